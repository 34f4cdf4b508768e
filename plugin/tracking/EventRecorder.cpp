#include "tracking/EventRecorder.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "tracking/Events.h"
#include "tracking/MachineSignals.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <chrono>
#include <functional>
#include <map>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <set>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("massmailing.tracking");
}

std::string idList(const std::set<long>& ids)
{
    std::string out;
    for (long id : ids)
        out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

struct RowCounts
{
    long opens = 0, machineOpens = 0, clicks = 0, machineClicks = 0;
    std::string firstOpen, firstClick; // the earliest of this write, "" when none
};

struct LinkCounts
{
    long campaign = 0, clicks = 0, unique = 0, machine = 0;
};

struct HourCounts
{
    long opens = 0, machineOpens = 0, clicks = 0, machineClicks = 0;
};

void earliest(std::string& first, const std::string& at)
{
    if (first.empty() || at < first)
        first = at;
}

// One UPDATE of rows [from, to) of changed: each counter column adds its rows' numbers, the
// first times are kept when already set.
void updateRows(Poco::Data::Session& session, const std::vector<std::pair<long, const RowCounts*>>& changed,
                std::size_t from, std::size_t to)
{
    struct Column
    {
        const char* name;
        bool time;
        std::function<long(const RowCounts&)> number;
        std::function<std::string(const RowCounts&)> text;
    };
    const std::vector<Column> columns = {
        {"opens", false, [](const RowCounts& c) { return c.opens; }, nullptr},
        {"machine_opens", false, [](const RowCounts& c) { return c.machineOpens; }, nullptr},
        {"clicks", false, [](const RowCounts& c) { return c.clicks; }, nullptr},
        {"machine_clicks", false, [](const RowCounts& c) { return c.machineClicks; }, nullptr},
        {"first_open_at", true, nullptr, [](const RowCounts& c) { return c.firstOpen; }},
        {"first_click_at", true, nullptr, [](const RowCounts& c) { return c.firstClick; }}};
    // The bound values live here until the statement ran (Poco binds references).
    std::vector<long> ids, numbers;
    std::vector<std::string> texts;
    ids.reserve(2 * columns.size() * (to - from) + (to - from));
    numbers.reserve(columns.size() * (to - from));
    texts.reserve(2 * (to - from));
    Poco::Data::Statement update(session);
    std::string sets;
    std::vector<std::function<void()>> binds;
    for (const Column& column : columns)
    {
        std::string cases;
        std::vector<std::pair<long, std::size_t>> whens; // row id, index of its value
        for (std::size_t i = from; i < to; ++i)
        {
            const RowCounts& c = *changed[i].second;
            if (column.time ? column.text(c).empty() : column.number(c) == 0)
                continue;
            ids.push_back(changed[i].first);
            if (column.time)
                texts.push_back(column.text(c));
            else
                numbers.push_back(column.number(c));
            whens.push_back({long(ids.size() - 1), column.time ? texts.size() - 1 : numbers.size() - 1});
            cases += " WHEN ? THEN ?";
        }
        if (whens.empty())
            continue;
        const std::string name = column.name;
        sets += std::string(sets.empty() ? "" : ", ") + name + " = " +
                (column.time ? "COALESCE(" + name + ", CASE id" + cases + " END)"
                             : name + " + CASE id" + cases + " ELSE 0 END");
        for (const auto& [idIndex, valueIndex] : whens)
        {
            const bool time = column.time;
            const long idAt = idIndex;
            const std::size_t valueAt = valueIndex;
            binds.push_back(
                [&update, &ids, &numbers, &texts, time, idAt, valueAt]
                {
                    update, use(ids[std::size_t(idAt)]);
                    if (time)
                        update, use(texts[valueAt]);
                    else
                        update, use(numbers[valueAt]);
                });
        }
    }
    if (sets.empty())
        return;
    std::string where;
    for (std::size_t i = from; i < to; ++i)
        where += (i == from ? "" : ",") + std::to_string(changed[i].first);
    update << "UPDATE mm_recipients SET " + sets + " WHERE id IN (" + where + ")";
    for (const auto& bind : binds)
        bind();
    update.execute();
}

} // namespace

EventRecorder::EventRecorder(CrmHost::Database& database, const GroupSettings& groups, std::string ipKey,
                             std::function<int()> machineSeconds, Settings settings)
    : _database(database), _groups(groups), _ipKey(std::move(ipKey)),
      _machineSeconds(std::move(machineSeconds)), _settings(settings)
{
    for (int i = 0; i < std::max(1, _settings.writers); ++i)
        _lanes.push_back(std::make_unique<Lane>());
}

EventRecorder::~EventRecorder()
{
    stop();
}

void EventRecorder::start()
{
    std::lock_guard<std::mutex> guard(_lock);
    _stopping = false;
    for (auto& lane : _lanes)
        if (!lane->thread.joinable())
            lane->thread = std::thread([this, &lane = *lane] { run(lane); });
}

void EventRecorder::stop()
{
    std::lock_guard<std::mutex> guard(_lock);
    _stopping = true;
    for (auto& lane : _lanes)
    {
        {
            std::lock_guard<std::mutex> wake(lane->lock); // no wait begins between the test and the sleep
        }
        lane->wake.notify_all();
        if (lane->thread.joinable())
            lane->thread.join();
    }
    try
    {
        flush();
    }
    catch (const Poco::Exception& error)
    {
        logger().error("Opens and clicks not recorded at stop: %s", error.displayText());
    }
}

void EventRecorder::record(Hit hit)
{
    Lane& lane = *_lanes[std::size_t(std::max(0L, hit.row)) % _lanes.size()];
    const std::size_t most = std::max<std::size_t>(1, _settings.maxQueued / _lanes.size());
    std::size_t queued = 0;
    {
        std::unique_lock<std::mutex> lock(lane.lock);
        if (lane.queue.size() >= most)
        {
            lane.wake.notify_one();
            if (!lane.room.wait_for(lock, std::chrono::milliseconds(_settings.fullWaitMillis),
                                    [&] { return lane.queue.size() < most; }))
            {
                ++_dropped;
                return;
            }
        }
        lane.queue.push_back(std::move(hit));
        queued = lane.queue.size();
    }
    if (queued == _settings.batch)
        lane.wake.notify_one();
}

void EventRecorder::run(Lane& lane)
{
    std::unique_lock<std::mutex> lock(lane.lock);
    while (!_stopping)
    {
        lane.wake.wait_for(lock, std::chrono::milliseconds(_settings.flushMillis),
                           [&] { return _stopping || lane.queue.size() >= _settings.batch; });
        if (_stopping)
            break;
        if (lane.queue.empty())
            continue;
        lock.unlock();
        try
        {
            flush(lane);
        }
        catch (const Poco::Exception& error)
        {
            logger().error("Opens and clicks not recorded: %s", error.displayText());
        }
        catch (const std::exception& error)
        {
            logger().error("Opens and clicks not recorded: %s", std::string(error.what()));
        }
        lock.lock();
    }
}

std::size_t EventRecorder::flush()
{
    std::size_t written = 0;
    for (auto& lane : _lanes)
        written += flush(*lane);
    return written;
}

std::size_t EventRecorder::flush(Lane& lane)
{
    std::lock_guard<std::mutex> writing(lane.writing);
    std::size_t written = 0;
    for (;;)
    {
        std::deque<Hit> hits;
        {
            std::lock_guard<std::mutex> guard(lane.lock);
            // At most a few batches per transaction: locks held briefly, statements bounded.
            const std::size_t take =
                std::min(lane.queue.size(), std::max<std::size_t>(_settings.batch, 1) * 10);
            if (take == 0)
                return written;
            hits.insert(hits.end(), std::make_move_iterator(lane.queue.begin()),
                        std::make_move_iterator(lane.queue.begin() + long(take)));
            lane.queue.erase(lane.queue.begin(), lane.queue.begin() + long(take));
        }
        lane.room.notify_all();
        const std::size_t size = hits.size();
        try
        {
            written += write(std::move(hits));
        }
        catch (...)
        {
            _dropped += size;
            throw;
        }
    }
}

std::string EventRecorder::ipOf(long groupId, const std::string& ip) const
{
    return _groups.value(groupId, "tracking.ip") == "hash" ? hashed(ip) : ip;
}

std::string EventRecorder::hashed(const std::string& ip) const
{
    if (ip.empty())
        return ip;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const std::string input = "ip:" + ip;
    HMAC(EVP_sha256(), _ipKey.data(), int(_ipKey.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &size);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i)
    {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::size_t EventRecorder::write(std::deque<Hit> hits)
{
    Poco::Data::Session session = _database.session();
    const int machineSeconds = _machineSeconds ? _machineSeconds() : 10;

    // The rows' campaigns and sending times, in one read: a hit whose row is not of its
    // campaign's is dropped (the token is signed: only a deleted campaign does that).
    std::set<long> rowIds;
    for (const Hit& hit : hits)
        if (!hit.test && hit.row > 0)
            rowIds.insert(hit.row);
    std::map<long, std::pair<long, std::string>> rows; // id -> (campaign, sent_at)
    // Each person's links clicked before this write, for the unique counts.
    std::set<std::pair<long, long>> clicked;
    if (!rowIds.empty())
    {
        Poco::Data::Statement select(session);
        select << "SELECT id, campaign_id, CAST(sent_at AS CHAR) FROM mm_recipients WHERE id IN (" +
                      idList(rowIds) + ")",
            now;
        Poco::Data::RecordSet set(select);
        for (std::size_t r = 0; r < set.rowCount(); ++r)
            rows[long(set.value(0, r).convert<Poco::Int64>())] = {
                long(set.value(1, r).convert<Poco::Int64>()),
                set.value(2, r).isEmpty() ? std::string() : set.value(2, r).convert<std::string>()};
        std::set<long> clickers;
        for (const Hit& hit : hits)
            if (!hit.test && hit.kind == Hit::Kind::Click && hit.linkId > 0)
                clickers.insert(hit.row);
        if (!clickers.empty())
        {
            Poco::Data::Statement earlier(session);
            earlier << "SELECT DISTINCT recipient_row, link_id FROM mm_events WHERE recipient_row IN (" +
                           idList(clickers) + ") AND kind = 'click' AND machine = 0",
                now;
            Poco::Data::RecordSet found(earlier);
            for (std::size_t r = 0; r < found.rowCount(); ++r)
                clicked.insert({long(found.value(0, r).convert<Poco::Int64>()),
                                long(found.value(1, r).convert<Poco::Int64>())});
        }
    }

    std::map<long, bool> hashIp; // group -> its "tracking.ip" is "hash", read once per write
    std::vector<Event> events;
    events.reserve(hits.size());
    std::map<long, RowCounts> rowCounts;
    std::map<long, LinkCounts> linkCounts;
    std::map<std::pair<long, std::string>, HourCounts> hourCounts;
    for (Hit& hit : hits)
    {
        const bool test = hit.test || hit.row <= 0;
        std::string sentAt;
        if (!test)
        {
            auto row = rows.find(hit.row);
            if (row == rows.end() || row->second.first != hit.campaignId)
            {
                ++_dropped;
                continue;
            }
            sentAt = row->second.second;
        }
        std::string reason = hit.machine;
        if (reason.empty() && hit.kind == Hit::Kind::Click && hit.linkId == 0)
            reason = "hidden link";
        Poco::DateTime sent;
        if (reason.empty() && !test &&
            (!readSqlTime(sentAt, sent) || MachineSignals::early(sent, hit.at, machineSeconds)))
            reason = "early";
        const bool machine = !reason.empty();

        Event event;
        event.campaignId = hit.campaignId;
        event.recipientRow = test ? 0 : hit.row;
        event.kind = hit.kind == Hit::Kind::Open ? Event::open : Event::click;
        event.machine = machine;
        event.linkId = hit.linkId;
        event.at = hit.at;
        event.userAgent = hit.userAgent;
        auto rule = hashIp.find(hit.groupId);
        if (rule == hashIp.end())
            rule = hashIp.emplace(hit.groupId, _groups.value(hit.groupId, "tracking.ip") == "hash").first;
        event.ip = rule->second ? hashed(hit.ip) : hit.ip;
        event.detail = test ? (machine ? "test message; machine: " + reason : "test message") : reason;
        events.push_back(event);
        if (test)
            continue;

        const std::string at = sqlTime(hit.at);
        RowCounts& counts = rowCounts[hit.row];
        Poco::DateTime hourTime(hit.at.year(), hit.at.month(), hit.at.day(), hit.at.hour());
        HourCounts& hour = hourCounts[{hit.campaignId, sqlTime(hourTime)}];
        if (hit.kind == Hit::Kind::Open)
        {
            if (machine)
                ++counts.machineOpens, ++hour.machineOpens;
            else
            {
                ++counts.opens, ++hour.opens;
                earliest(counts.firstOpen, at);
            }
            continue;
        }
        if (machine)
            ++counts.machineClicks, ++hour.machineClicks;
        else
        {
            ++counts.clicks, ++hour.clicks;
            earliest(counts.firstClick, at);
        }
        if (hit.linkId == 0)
            continue; // the trap: no link of the campaign
        LinkCounts& link = linkCounts[hit.linkId];
        link.campaign = hit.campaignId;
        if (machine)
            ++link.machine;
        else
        {
            ++link.clicks;
            if (clicked.insert({hit.row, hit.linkId}).second)
                ++link.unique;
        }
    }
    if (events.empty())
        return 0;

    session.begin();
    try
    {
        Events::insert(session, events);
        // A few statements per write, not one per row (each is a round trip): the rows of a chunk
        // in one UPDATE, a CASE per column naming the rows it changes. In id order, as every
        // writer of these rows: two transactions never wait for each other in a circle.
        constexpr std::size_t rowsPerStatement = 500;
        std::vector<std::pair<long, const RowCounts*>> changed;
        for (const auto& [id, c] : rowCounts)
            changed.push_back({id, &c});
        for (std::size_t from = 0; from < changed.size(); from += rowsPerStatement)
            updateRows(session, changed, from, std::min(changed.size(), from + rowsPerStatement));
        for (auto& [id, c] : linkCounts)
        {
            long linkId = id;
            session << "UPDATE mm_links SET clicks = clicks + ?, unique_clicks = unique_clicks + ?, "
                       "machine_clicks = machine_clicks + ? WHERE id = ? AND campaign_id = ?",
                use(c.clicks), use(c.unique), use(c.machine), use(linkId), use(c.campaign), now;
        }
        const std::string upsert = SqlDialect(_database.dialect())
                                       .addingOnConflict("campaign_id, hour", {"opens", "machine_opens",
                                                                               "clicks", "machine_clicks"});
        for (auto& [key, c] : hourCounts)
        {
            long campaign = key.first;
            std::string hour = key.second;
            session << "INSERT INTO mm_result_hours (campaign_id, hour, opens, machine_opens, clicks, "
                       "machine_clicks) VALUES (?, ?, ?, ?, ?, ?)" +
                           upsert,
                use(campaign), use(hour), use(c.opens), use(c.machineOpens), use(c.clicks),
                use(c.machineClicks), now;
        }
        session.commit();
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
    _recorded += events.size();
    return events.size();
}
} // namespace MassMailing
