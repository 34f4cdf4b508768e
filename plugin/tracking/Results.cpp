#include "tracking/Results.h"
#include "SqlTime.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "tracking/CsvLine.h"
#include "tracking/Events.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <algorithm>
#include <future>
#include <map>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// A condition as a count: 1 for each row where it holds.
std::string countOf(const std::string& condition)
{
    return "CAST(COALESCE(SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END), 0) AS SIGNED)";
}

// A sum that both databases return as a whole number (MariaDB's SUM is a DECIMAL otherwise;
// CAST AS SIGNED is valid on SQLite too).
std::string total(const std::string& expression)
{
    return "CAST(COALESCE(SUM(" + expression + "), 0) AS SIGNED)";
}

// A DATETIME as "YYYY-MM-DD HH:MM:SS" on both databases, "" for NULL.
std::string timeText(const std::string& column)
{
    return "COALESCE(SUBSTR(CAST(" + column + " AS CHAR), 1, 19), '')";
}

long number(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? 0L : long(value.convert<Poco::Int64>());
}

std::string text(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? std::string() : value.convert<std::string>();
}

// The hour of a time: "YYYY-MM-DD HH:00:00".
std::string hourOf(const std::string& time)
{
    return time.size() >= 13 ? time.substr(0, 13) + ":00:00" : time;
}
} // namespace

void ResultCounts::add(const ResultCounts& o)
{
    planned += o.planned;
    sent += o.sent;
    delivered += o.delivered;
    bouncedHard += o.bouncedHard;
    bouncedSoft += o.bouncedSoft;
    openedUnique += o.openedUnique;
    openedTotal += o.openedTotal;
    openedMachine += o.openedMachine;
    clickedUnique += o.clickedUnique;
    clickedTotal += o.clickedTotal;
    clickedMachine += o.clickedMachine;
    unsubscribed += o.unsubscribed;
    complained += o.complained;
    heldOut += o.heldOut;
}

double ResultCounts::rate(long part, long whole)
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

Results::Results(CrmHost::Database& database, std::function<Poco::DateTime()> clock)
    : _database(database), _sql(database.dialect()), _clock(std::move(clock))
{
}

namespace
{
// The counts of one slice, in the order of mm_result_slices' columns after campaign, domain, locale.
const char* const SLICE_COLUMNS = "planned, sent, bounced_hard, bounced_soft, opened, opens, machine_opens, "
                                  "clicked, clicks, machine_clicks, unsubscribed, complained, held_out";

ResultCounts countsAt(const Poco::Data::RecordSet& set, std::size_t row, std::size_t first)
{
    auto n = [&](std::size_t i) { return number(set.value(first + i, row)); };
    ResultCounts c;
    c.planned = n(0);
    c.sent = n(1);
    c.bouncedHard = n(2);
    c.bouncedSoft = n(3);
    c.delivered = std::max(0L, c.sent - c.bouncedHard - c.bouncedSoft);
    c.openedUnique = n(4);
    c.openedTotal = n(5);
    c.openedMachine = n(6);
    c.clickedUnique = n(7);
    c.clickedTotal = n(8);
    c.clickedMachine = n(9);
    c.unsubscribed = n(10);
    c.complained = n(11);
    c.heldOut = n(12);
    return c;
}

std::vector<long> valuesOf(const ResultCounts& c)
{
    return {c.planned,      c.sent,          c.bouncedHard,   c.bouncedSoft,  c.openedUnique,
            c.openedTotal,  c.openedMachine, c.clickedUnique, c.clickedTotal, c.clickedMachine,
            c.unsubscribed, c.complained,    c.heldOut};
}
} // namespace

CampaignResults Results::of(const Campaign& campaign, std::size_t topDomains)
{
    CampaignResults results;
    results.campaignId = campaign.id;
    {
        Poco::Data::Session session = _database.session();
        long id = campaign.id;
        std::vector<std::string> statuses, started;
        session << "SELECT status, " + timeText("started_at") + " FROM mm_campaigns WHERE id = ?", use(id),
            into(statuses), into(started), now;
        if (statuses.empty())
            throw Poco::NotFoundException("campaign " + std::to_string(campaign.id));
        results.status = statuses.front();
        results.startedAt = started.front();
    }
    Snapshot snapshot;
    if (!readSnapshot(campaign.id, snapshot) ||
        (snapshot.computedAt < sqlTime(_clock() - Poco::Timespan(MAX_AGE_SECONDS, 0)) &&
         mayHaveChanged(campaign, results.status, results.startedAt, snapshot)))
    {
        refresh(campaign);
        readSnapshot(campaign.id, snapshot);
    }
    results.computedAt = snapshot.computedAt;
    readCounts(campaign, results, topDomains);
    readHours(results);
    readLinks(results);
    readControl(campaign, results, snapshot);
    return results;
}

bool Results::readSnapshot(long campaignId, Snapshot& snapshot)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> computed, lastEvent;
    std::vector<Poco::Int64> control, sent;
    long id = campaignId;
    session << "SELECT " + timeText("computed_at") +
                   ", last_event_at, control_ordered, sent_ordered FROM mm_result_snapshots WHERE "
                   "campaign_id = ?",
        use(id), into(computed), into(lastEvent), into(control), into(sent), now;
    if (computed.empty())
        return false;
    snapshot = {computed.front(), lastEvent.front(), long(control.front()), long(sent.front())};
    return true;
}

// The time of the latest event of the campaign: one index seek per kind (mm_events_campaign is
// (campaign_id, kind, at); a GROUP BY kind would read every event of the campaign).
std::string Results::lastEventAt(long campaignId)
{
    Poco::Data::Session session = _database.session();
    std::string latest;
    long id = campaignId;
    for (const std::string* kind : {&Event::open, &Event::click, &Event::bounce, &Event::delay,
                                    &Event::complaint, &Event::unsubscribe, &Event::autoReply})
    {
        std::string k = *kind;
        std::vector<std::string> times;
        session << "SELECT " + timeText("MAX(at)") + " FROM mm_events WHERE campaign_id = ? AND kind = ?",
            use(id), use(k), into(times), now;
        if (!times.empty())
            latest = std::max(latest, times.front());
    }
    return latest;
}

// One pass over the campaign's rows, grouped by domain and locale (the stored domain, migration
// 009): a plain read, so that no row stays locked while it runs; then the slices and the
// snapshot are replaced in one short transaction.
void Results::refresh(const Campaign& campaign)
{
    const std::string computedAt = sqlTime(_clock()), lastEvent = lastEventAt(campaign.id);
    Poco::Data::Session session = _database.session();
    long id = campaign.id;
    Poco::Data::Statement select(session);
    select << "SELECT domain, locale, " + countOf(meantToDeliver) + ", " + countOf(wentOut) + ", " +
                  countOf(bouncedHard) + ", " + countOf(bouncedSoft) + ", " + countOf("opens > 0") + ", " +
                  total("opens") + ", " + total("machine_opens") + ", " + countOf("clicks > 0") + ", " +
                  total("clicks") + ", " + total("machine_clicks") + ", " +
                  countOf("unsubscribed_at IS NOT NULL") + ", " + countOf("complained_at IS NOT NULL") +
                  ", " + countOf(heldOut) +
                  " FROM mm_recipients WHERE campaign_id = ? GROUP BY domain, locale",
        use(id), now;
    Poco::Data::RecordSet set(select);
    ResultCounts all;
    std::vector<std::string> rows;
    for (std::size_t row = 0; row < set.rowCount(); ++row)
    {
        ResultCounts c = countsAt(set, row, 2);
        all.add(c);
        std::string values = "(?, ?, ?";
        for (long v : valuesOf(c))
            values += ", " + std::to_string(v);
        rows.push_back(values + ")");
    }
    std::vector<std::string> texts;
    for (std::size_t row = 0; row < set.rowCount(); ++row)
    {
        texts.push_back(text(set.value(0, row)));
        texts.push_back(text(set.value(1, row)));
    }

    // A10: who ordered within ORDER_DAYS after the send began, in each group: the distinct people
    // of the group's orders in that window (the host's table, as audience's loaders read it),
    // joined to the campaign's rows by person (an index lookup each, mm_recipients_who).
    long controlOrdered = 0, sentOrdered = 0;
    std::string started, from, until;
    {
        std::vector<std::string> times;
        session << "SELECT " + timeText("started_at") + " FROM mm_campaigns WHERE id = ?", use(id),
            into(times), now;
        started = times.empty() ? std::string() : times.front();
    }
    if (all.heldOut > 0 && ordersCompared(campaign, started, from, until))
    {
        long group = campaign.groupId;
        std::vector<std::string> sides;
        std::vector<Poco::Int64> counts;
        session
            << "SELECT CASE WHEN " + heldOut +
                   " THEN 'control' ELSE 'sent' END, COUNT(*) FROM (SELECT DISTINCT o.person_id FROM orders "
                   "o "
                   "WHERE o.group_id = ? AND o.ordered_at >= ? AND o.ordered_at < ?) p JOIN mm_recipients ON "
                   "campaign_id = ? AND kind = 'person' AND recipient_id = p.person_id WHERE " +
                   heldOut + " OR " + wentOut + " GROUP BY 1",
            use(group), use(from), use(until), use(id), into(sides), into(counts), now;
        for (std::size_t i = 0; i < sides.size(); ++i)
            (sides[i] == "control" ? controlOrdered : sentOrdered) += long(counts[i]);
    }

    session.begin();
    try
    {
        session << "DELETE FROM mm_result_slices WHERE campaign_id = ?", use(id), now;
        const std::size_t CHUNK = 200;
        for (std::size_t first = 0; first < rows.size(); first += CHUNK)
        {
            Poco::Data::Statement insert(session);
            std::string sql = "INSERT INTO mm_result_slices (campaign_id, domain, locale, " +
                              std::string(SLICE_COLUMNS) + ") VALUES ";
            std::vector<std::string> bound;
            for (std::size_t i = first; i < std::min(rows.size(), first + CHUNK); ++i)
            {
                sql += (i > first ? ", " : "") + rows[i];
                bound.push_back(std::to_string(id));
                bound.push_back(texts[2 * i]);
                bound.push_back(texts[2 * i + 1]);
            }
            insert << sql;
            for (auto& value : bound)
                insert, use(value);
            insert.execute();
        }
        session << "DELETE FROM mm_result_snapshots WHERE campaign_id = ?", use(id), now;
        std::string at = computedAt, last = lastEvent;
        session
            << "INSERT INTO mm_result_snapshots (campaign_id, computed_at, last_event_at, control_ordered, "
               "sent_ordered) VALUES (?, ?, ?, ?, ?)",
            use(id), use(at), use(last), use(controlOrdered), use(sentOrdered), now;
        session.commit();
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
}

bool Results::refreshDue(std::size_t most)
{
    const Poco::DateTime current = _clock();
    const std::string recent = sqlTime(current - Poco::Timespan(RECENT_DAYS, 0, 0, 0, 0)),
                      stale = sqlTime(current - Poco::Timespan(FRESH_SECONDS, 0));
    const std::string old = sqlTime(current - Poco::Timespan(MAX_AGE_SECONDS / 2, 0));
    std::vector<Poco::Int64> ids, running, control;
    std::vector<std::string> computed, lastEvents, started, kinds;
    {
        Poco::Data::Session session = _database.session();
        std::string r = recent;
        session
            << "SELECT c.id, CASE WHEN " + campaignRunning + " THEN 1 ELSE 0 END, " +
                   timeText("s.computed_at") + ", COALESCE(s.last_event_at, ''), " +
                   timeText("c.started_at") +
                   ", COALESCE(g.kind, ''), CAST(CASE WHEN EXISTS (SELECT 1 FROM mm_result_slices x WHERE "
                   "x.campaign_id = c.id AND x.held_out > 0) THEN 1 ELSE 0 END AS SIGNED) FROM mm_campaigns "
                   "c "
                   "LEFT JOIN mm_result_snapshots s ON s.campaign_id = c.id LEFT JOIN host_groups g ON g.id "
                   "= "
                   "c.group_id WHERE (" +
                   campaignRunning + " OR c.finished_at >= ?) ORDER BY s.computed_at, c.id",
            use(r), into(ids), into(running), into(computed), into(lastEvents), into(started), into(kinds),
            into(control), now;
    }
    std::size_t done = 0;
    Campaigns campaigns(_database);
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        // The control group's orders come in without events: counted again now and then while
        // their window is open (before of() would find the counts too old). A control group: its
        // snapshot held rows out.
        std::string from, until;
        const bool ordersOpen = control[i] > 0 && ordersWindow(kinds[i], started[i], from, until) &&
                                computed[i] < until && computed[i] < old;
        bool due = computed[i].empty() || (running[i] && computed[i] < stale) || ordersOpen ||
                   lastEventAt(long(ids[i])) > lastEvents[i];
        if (!due)
            continue;
        if (done == most)
            return true;
        if (auto campaign = campaigns.find(long(ids[i])))
            refresh(*campaign);
        ++done;
    }
    return false;
}

// The slices of the last snapshot: the funnel, the domains and the versions are their sums.
void Results::readCounts(const Campaign& campaign, CampaignResults& results, std::size_t topDomains)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    long id = campaign.id;
    select << "SELECT domain, locale, " + std::string(SLICE_COLUMNS) +
                  " FROM mm_result_slices WHERE campaign_id = ?",
        use(id), now;
    Poco::Data::RecordSet set(select);
    std::map<std::string, ResultCounts> byDomain, byVersion;
    for (std::size_t row = 0; row < set.rowCount(); ++row)
    {
        ResultCounts c = countsAt(set, row, 2);
        results.counts.add(c);
        byDomain[text(set.value(0, row))].add(c);
        // The version a recipient of this locale was sent, as content chooses it; "" the main one.
        std::string locale = text(set.value(1, row)), version;
        const std::string chosen = Campaigns::messageLocale(campaign, locale);
        for (const auto& v : campaign.versions)
            if (v.locale == chosen)
                version = chosen;
        byVersion[version].add(c);
    }
    // The domains with the most recipients planned first (then by name), the rest as "others".
    std::vector<ResultSlice> domains;
    for (const auto& [name, counts] : byDomain)
        if (counts.planned > 0)
            domains.push_back({name, false, counts});
    std::sort(domains.begin(), domains.end(),
              [](const ResultSlice& a, const ResultSlice& b) {
                  return a.counts.planned != b.counts.planned ? a.counts.planned > b.counts.planned
                                                              : a.name < b.name;
              });
    if (domains.size() > topDomains)
    {
        ResultSlice others{"", true, {}};
        for (std::size_t i = topDomains; i < domains.size(); ++i)
            others.counts.add(domains[i].counts);
        domains.resize(topDomains);
        domains.push_back(others);
    }
    results.domains = std::move(domains);
    // The main version first, then the others by locale.
    for (const auto& [name, counts] : byVersion)
        if (counts.planned > 0 || name.empty())
            results.versions.push_back({name, false, counts});
}

void Results::readHours(CampaignResults& results)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> hours;
    std::vector<Poco::Int64> opens, machineOpens, clicks, machineClicks;
    long id = results.campaignId;
    session
        << "SELECT " + timeText("hour") +
               ", opens, machine_opens, clicks, machine_clicks FROM mm_result_hours WHERE campaign_id = ? "
               "ORDER BY hour",
        use(id), into(hours), into(opens), into(machineOpens), into(clicks), into(machineClicks), now;
    std::map<std::string, ResultHour> counted;
    for (std::size_t i = 0; i < hours.size(); ++i)
    {
        ResultHour& h = counted[hourOf(hours[i])];
        h.hour = hourOf(hours[i]);
        h.opens += long(opens[i]);
        h.machineOpens += long(machineOpens[i]);
        h.clicks += long(clicks[i]);
        h.machineClicks += long(machineClicks[i]);
    }
    // Every hour from the start of the send (or the first counted) to the last counted, or to
    // now while it sends; at most MAX_HOURS, the first ones.
    std::string first = results.startedAt.empty() ? std::string() : hourOf(results.startedAt);
    if (!counted.empty() && (first.empty() || counted.begin()->first < first))
        first = counted.begin()->first;
    if (first.empty())
        return;
    std::string last = counted.empty() ? first : counted.rbegin()->first;
    if (Deliveries::running(results.status))
        last = std::max(last, hourOf(sqlTime(_clock())));
    Poco::DateTime at;
    if (!readSqlTime(first, at))
        return;
    for (std::size_t i = 0; i < MAX_HOURS; ++i, at += Poco::Timespan(3600, 0))
    {
        std::string hour = sqlTime(at);
        if (hour > last)
            break;
        auto found = counted.find(hour);
        ResultHour h = found == counted.end() ? ResultHour() : found->second;
        h.hour = hour;
        results.hours.push_back(h);
    }
}

void Results::readLinks(CampaignResults& results)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids, unique, clicks, machine;
    std::vector<std::string> urls;
    long id = results.campaignId;
    session << "SELECT id, url, unique_clicks, clicks, machine_clicks FROM mm_links WHERE campaign_id = ? "
               "ORDER BY clicks DESC, unique_clicks DESC, id",
        use(id), into(ids), into(urls), into(unique), into(clicks), into(machine), now;
    for (std::size_t i = 0; i < ids.size(); ++i)
        results.links.push_back({long(ids[i]), urls[i], long(unique[i]), long(clicks[i]), long(machine[i])});
}

// A10: the control group beside the sent group: the sizes as they are now, who ordered as the
// snapshot found it.
void Results::readControl(const Campaign& campaign, CampaignResults& results, const Snapshot& snapshot)
{
    ControlComparison& control = results.control;
    control.controlSize = results.counts.heldOut;
    control.sentSize = results.counts.sent;
    control.present = control.controlSize > 0;
    if (!control.present)
        return;
    control.withOrders = ordersCompared(campaign, results.startedAt, control.from, control.until);
    control.controlOrdered = snapshot.controlOrdered;
    control.sentOrdered = snapshot.sentOrdered;
}

// Orders are compared in a food group whose send began: from its start, ORDER_DAYS long.
bool Results::ordersWindow(const std::string& groupKind, const std::string& startedAt, std::string& from,
                           std::string& until)
{
    Poco::DateTime start;
    if (groupKind != "food" || startedAt.empty() || !readSqlTime(startedAt, start))
        return false;
    from = sqlTime(start);
    until = sqlTime(start + Poco::Timespan(ORDER_DAYS, 0, 0, 0, 0));
    return true;
}

bool Results::ordersCompared(const Campaign& campaign, const std::string& startedAt, std::string& from,
                             std::string& until)
{
    Poco::Data::Session session = _database.session();
    long group = campaign.groupId;
    std::vector<std::string> kinds;
    session << "SELECT kind FROM host_groups WHERE id = ?", use(group), into(kinds), now;
    return !kinds.empty() && ordersWindow(kinds.front(), startedAt, from, until);
}

// What a snapshot may have missed: rows of a campaign that sends, events since, the control
// group's orders (it held rows out) of the window that was still open when it was made. A
// finished campaign with none of them keeps its counts however old they are, so that its page
// never waits for a count of all its rows.
bool Results::mayHaveChanged(const Campaign& campaign, const std::string& status,
                             const std::string& startedAt, const Snapshot& snapshot)
{
    std::string from, until;
    // Events::insert clears the snapshot's mark of the newest event: then any event is news.
    if (Deliveries::running(status) || lastEventAt(campaign.id) > snapshot.lastEventAt)
        return true;
    if (!ordersCompared(campaign, startedAt, from, until) || snapshot.computedAt >= until)
        return false;
    Poco::Data::Session session = _database.session();
    long id = campaign.id;
    Poco::Int64 held = 0;
    session << "SELECT " + total("held_out") + " FROM mm_result_slices WHERE campaign_id = ?", use(id),
        into(held), now;
    return held > 0;
}

void Results::eachRecipient(long campaignId,
                            const std::function<void(const std::vector<RecipientResult>&)>& page,
                            std::size_t pageSize)
{
    Poco::Data::Session session = _database.session();
    const long id = campaignId;
    const std::string sql =
        "SELECT id, email, first_name, last_name, CASE WHEN " + handedOver +
        " THEN 'in_flight' ELSE status END, reason, detail, bounce, bounce_detail, " + timeText("sent_at") +
        ", " + timeText("first_open_at") + ", opens, machine_opens, " + timeText("first_click_at") +
        ", clicks, machine_clicks, " + timeText("unsubscribed_at") + ", " + timeText("complained_at") +
        " FROM mm_recipients WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT " + std::to_string(pageSize);
    // The rows after `after`, read by the one thread that uses the session at that time.
    auto read = [&session, &sql, id](Poco::Int64 after)
    {
        std::vector<Poco::Int64> ids, opens, machineOpens, clicks, machineClicks;
        std::vector<std::string> emails, firstNames, lastNames, statuses, reasons, details, bounces,
            bounceDetails, sentAt, firstOpenAt, firstClickAt, unsubscribedAt, complainedAt;
        long campaign = id;
        Poco::Data::Statement select(session);
        select << sql, use(campaign), use(after), into(ids), into(emails), into(firstNames), into(lastNames),
            into(statuses), into(reasons), into(details), into(bounces), into(bounceDetails), into(sentAt),
            into(firstOpenAt), into(opens), into(machineOpens), into(firstClickAt), into(clicks),
            into(machineClicks), into(unsubscribedAt), into(complainedAt);
        select.execute();
        std::vector<RecipientResult> rows;
        rows.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
        {
            RecipientResult r;
            r.id = long(ids[i]);
            r.email = std::move(emails[i]);
            r.firstName = std::move(firstNames[i]);
            r.lastName = std::move(lastNames[i]);
            r.status = std::move(statuses[i]);
            r.reason = std::move(reasons[i]);
            r.detail = std::move(details[i]);
            r.bounce = std::move(bounces[i]);
            r.bounceDetail = std::move(bounceDetails[i]);
            r.sentAt = std::move(sentAt[i]);
            r.firstOpenAt = std::move(firstOpenAt[i]);
            r.opens = long(opens[i]);
            r.machineOpens = long(machineOpens[i]);
            r.firstClickAt = std::move(firstClickAt[i]);
            r.clicks = long(clicks[i]);
            r.machineClicks = long(machineClicks[i]);
            r.unsubscribedAt = std::move(unsubscribedAt[i]);
            r.complainedAt = std::move(complainedAt[i]);
            rows.push_back(std::move(r));
        }
        return rows;
    };
    // The next page is read while this one is handed on (written to the client): the database's
    // time and the writing's overlap instead of adding up. A future's destructor waits for its
    // read, so an exception of page() never leaves a thread on the session.
    std::vector<RecipientResult> rows = read(0);
    while (!rows.empty())
    {
        std::future<std::vector<RecipientResult>> next;
        if (rows.size() == pageSize)
            next = std::async(std::launch::async, read, Poco::Int64(rows.back().id));
        page(rows);
        if (!next.valid())
            return;
        rows = next.get();
    }
}

const std::vector<std::string>& Results::csvHeader()
{
    static const std::vector<std::string> header{
        "address",        "first_name",  "last_name",      "status",          "reason",       "detail",
        "bounce",         "bounce_text", "sent_at",        "first_open_at",   "opens",        "machine_opens",
        "first_click_at", "clicks",      "machine_clicks", "unsubscribed_at", "complained_at"};
    return header;
}

std::vector<std::string> Results::csvCells(const RecipientResult& r)
{
    return {r.email,
            r.firstName,
            r.lastName,
            r.status,
            r.reason,
            r.detail,
            r.bounce,
            r.bounceDetail,
            r.sentAt,
            r.firstOpenAt,
            std::to_string(r.opens),
            std::to_string(r.machineOpens),
            r.firstClickAt,
            std::to_string(r.clicks),
            std::to_string(r.machineClicks),
            r.unsubscribedAt,
            r.complainedAt};
}

void Results::writeCsv(long campaignId, std::ostream& out)
{
    out << CsvLine::of(csvHeader());
    std::string buffer;
    eachRecipient(campaignId,
                  [&](const std::vector<RecipientResult>& rows)
                  {
                      buffer.clear();
                      for (const auto& row : rows)
                          CsvLine::append(buffer, csvCells(row));
                      out.write(buffer.data(), std::streamsize(buffer.size()));
                  });
    out.flush();
}
} // namespace MassMailing
