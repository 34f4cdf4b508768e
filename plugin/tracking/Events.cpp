#include "tracking/Events.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include <Poco/Data/Statement.h>
#include <algorithm>
#include <set>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
const std::string Event::open = "open";
const std::string Event::click = "click";
const std::string Event::bounce = "bounce";
const std::string Event::delay = "delay";
const std::string Event::complaint = "complaint";
const std::string Event::unsubscribe = "unsubscribe";
const std::string Event::autoReply = "auto_reply";

bool Events::known(const std::string& kind)
{
    for (const std::string* k : {&Event::open, &Event::click, &Event::bounce, &Event::delay,
                                 &Event::complaint, &Event::unsubscribe, &Event::autoReply})
        if (*k == kind)
            return true;
    return false;
}

bool Events::recorded(Poco::Data::Session& session, const Event& event)
{
    long campaign = event.campaignId, row = event.recipientRow;
    std::string kind = event.kind, at = sqlTime(event.at), detail = event.detail.substr(0, 500);
    Poco::Int64 count = 0;
    session << "SELECT COUNT(*) FROM mm_events WHERE campaign_id = ? AND recipient_row = ? AND kind = ? AND "
               "at = ? "
               "AND detail = ?",
        use(campaign), use(row), use(kind), use(at), use(detail), into(count), now;
    return count > 0;
}

void Events::insert(Poco::Data::Session& session, const std::vector<Event>& events)
{
    // Multi-row VALUES (Poco's MySQL connector has no bulk binding); 100 rows of 9 values stay
    // under SQLite's oldest limit of 999 bound variables.
    constexpr std::size_t rowsPerStatement = 100;
    for (std::size_t start = 0; start < events.size(); start += rowsPerStatement)
    {
        const std::size_t end = std::min(events.size(), start + rowsPerStatement);
        struct Row
        {
            long campaign, recipient;
            std::string kind;
            int machine;
            long link;
            std::string at, userAgent, ip, detail;
        };
        std::vector<Row> rows;
        rows.reserve(end - start);
        for (std::size_t i = start; i < end; ++i)
        {
            const Event& e = events[i];
            rows.push_back({e.campaignId, e.recipientRow, e.kind, e.machine ? 1 : 0, e.linkId, sqlTime(e.at),
                            e.userAgent.substr(0, 300), e.ip.substr(0, 64), e.detail.substr(0, 500)});
        }
        std::string sql = "INSERT INTO mm_events (campaign_id, recipient_row, kind, machine, link_id, at, "
                          "user_agent, ip, detail) VALUES ";
        for (std::size_t i = 0; i < rows.size(); ++i)
            sql += std::string(i == 0 ? "" : ", ") + "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
        Poco::Data::Statement statement(session);
        statement << sql;
        for (Row& r : rows)
            statement, use(r.campaign), use(r.recipient), use(r.kind), use(r.machine), use(r.link), use(r.at),
                use(r.userAgent), use(r.ip), use(r.detail);
        statement.execute();
    }
    // The results' snapshots of these campaigns may miss them: an event's time is not always
    // after the snapshot's (written a moment later in the same second, or a sending service's own
    // time), so the mark is cleared here, where every event is written.
    std::set<long> campaigns;
    for (const Event& e : events)
        campaigns.insert(e.campaignId);
    if (campaigns.empty())
        return;
    std::string ids;
    for (long id : campaigns)
        ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    session << "UPDATE mm_result_snapshots SET last_event_at = '' WHERE last_event_at <> '' AND campaign_id "
               "IN (" +
                   ids + ")",
        now;
}

long Events::anonymise(Poco::Data::Session& session, long groupId, const std::string& identity)
{
    const SqlDialect sql(SqlDialect::of(session));
    const std::string pattern = "%" + identity + "%";
    Poco::Data::Statement update(session);
    update << "UPDATE mm_events SET ip = '', user_agent = '', detail = " + sql.withoutText("detail") +
                  " WHERE recipient_row IN (SELECT r.id FROM mm_recipients r WHERE r.email_identity = ? AND "
                  "r.campaign_id IN (SELECT id FROM mm_campaigns WHERE group_id = ?))",
        bind(pattern), bind(identity), bind(groupId);
    return long(update.execute());
}
} // namespace MassMailing
