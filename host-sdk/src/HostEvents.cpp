#include "HostEvents.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
const char* const TIME_FORMAT = "%Y-%m-%d %H:%M:%S";

std::string format(const Poco::DateTime& time)
{
    return Poco::DateTimeFormatter::format(time, TIME_FORMAT);
}

// A column of a row as text, times as "YYYY-MM-DD HH:MM:SS" on both databases.
std::string text(Poco::Data::RecordSet& rows, std::size_t column)
{
    const Poco::Dynamic::Var& value = rows.value(column);
    if (value.isEmpty())
        return "";
    if (value.type() == typeid(Poco::DateTime))
        return format(value.extract<Poco::DateTime>());
    std::string result = value.convert<std::string>();
    return result.size() > 19 && result[10] == ' ' ? result.substr(0, 19) : result;
}

// One kind of occurrence: a query whose first columns are id, group and at, then the data's columns.
struct Source
{
    std::string name;
    std::string sql;
    std::vector<std::string> dataColumns;
    bool upcoming; // due within the horizon before its time, not after it
};
} // namespace

HostEvents::HostEvents(Database& database, Publish publish, Clock clock, Settings settings)
    : _database(database), _publish(std::move(publish)), _clock(std::move(clock)), _settings(settings)
{
}

std::vector<HostEvent> HostEvents::due()
{
    Poco::DateTime now = _clock();
    std::string until = format(now);
    std::string from = format(now - Poco::Timespan(_settings.lookbackHours * Poco::Timespan::HOURS));
    std::string upcomingUntil = format(now + Poco::Timespan(_settings.upcomingHours * Poco::Timespan::HOURS));
    // The *.upcoming are due once their time is within the horizon and has not passed.
    std::vector<Source> sources = {
        {"orders.opened",
         "SELECT id, group_id, orders_open_at, id, starts_at, orders_open_at, orders_close_at, place FROM "
         "distributions WHERE orders_open_at IS NOT NULL AND orders_open_at > ? AND orders_open_at <= ?",
         {"distribution", "starts_at", "orders_open_at", "orders_close_at", "place"},
         false},
        {"distribution.upcoming",
         "SELECT id, group_id, starts_at, id, starts_at, ends_at, orders_close_at, place FROM distributions "
         "WHERE starts_at > ? AND starts_at <= ?",
         {"distribution", "starts_at", "ends_at", "orders_close_at", "place"},
         true},
        {"session.upcoming",
         "SELECT id, group_id, starts_at, id, title, coach, starts_at FROM studio_sessions WHERE starts_at > "
         "? "
         "AND starts_at <= ?",
         {"session", "title", "coach", "starts_at"},
         true},
        {"member.joined",
         "SELECT person_id, group_id, joined_at, person_id FROM memberships WHERE joined_at > ? AND "
         "joined_at <= ?",
         {"person"},
         0}};

    Poco::Data::Session session = _database.session();
    std::vector<HostEvent> events;
    for (const Source& source : sources)
    {
        Poco::Data::Statement select(session);
        std::string low = source.upcoming ? until : from;
        std::string high = source.upcoming ? upcomingUntil : until;
        select << source.sql, useRef(low), useRef(high);
        select.execute();
        Poco::Data::RecordSet rows(select);
        for (bool more = rows.moveFirst(); more; more = rows.moveNext())
        {
            HostEvent event;
            event.name = source.name;
            std::string key = text(rows, 0);
            event.data["group"] = text(rows, 1);
            event.at = text(rows, 2);
            for (std::size_t i = 0; i < source.dataColumns.size(); ++i)
                event.data[source.dataColumns[i]] = text(rows, 3 + i);
            // A person joins a group once: the pair names the occurrence.
            event.id =
                source.name + ":" + (source.name == "member.joined" ? event.data["group"] + ":" : "") + key;
            events.push_back(event);
        }
    }

    std::vector<std::string> emitted;
    session << "SELECT id FROM host_events WHERE emitted_at > ?", into(emitted),
        bind(format(now - Poco::Timespan((_settings.lookbackHours + _settings.upcomingHours) *
                                         Poco::Timespan::HOURS))),
        Poco::Data::Keywords::now;
    std::sort(emitted.begin(), emitted.end());
    events.erase(std::remove_if(events.begin(), events.end(),
                                [&](const HostEvent& event)
                                { return std::binary_search(emitted.begin(), emitted.end(), event.id); }),
                 events.end());
    std::stable_sort(events.begin(), events.end(),
                     [](const HostEvent& a, const HostEvent& b) { return a.at < b.at; });
    return events;
}

int HostEvents::emit()
{
    std::vector<HostEvent> events = due();
    std::string ignore = _database.dialect() == Dialect::MySQL ? "INSERT IGNORE" : "INSERT OR IGNORE";
    for (const HostEvent& event : events)
    {
        _publish(event);
        // Recorded after the offer: a crash in between offers it again, never not at all.
        Poco::Data::Session session = _database.session();
        std::string id = event.id, name = event.name, at = event.at, emittedAt = format(_clock());
        long group = std::stol(event.data.at("group"));
        session << ignore + " INTO host_events (id, name, group_id, at, emitted_at) VALUES (?, ?, ?, ?, ?)",
            use(id), use(name), use(group), use(at), use(emittedAt), now;
    }
    return int(events.size());
}
} // namespace CrmHost
