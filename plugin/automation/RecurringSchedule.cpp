#include "automation/RecurringSchedule.h"
#include "FieldException.h"
#include "SqlTime.h"
#include "delivery/TimeZones.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Timespan.h>
#include <cstdio>

namespace MassMailing
{
namespace
{
const char* const FIELD_NAMES[] = {"minute", "hour", "day of month", "month", "day of week"};

FieldException badCron(const std::string& why)
{
    return FieldException("trigger.cron", "bad_cron", "the schedule " + why);
}

int number(const std::string& text, int low, int high, const char* field)
{
    unsigned value = 0;
    if (text.empty() || text.size() > 2 || !Poco::NumberParser::tryParseUnsigned(text, value) ||
        int(value) < low || int(value) > high)
        throw badCron(std::string("has a bad ") + field + " \"" + text + "\" (" + std::to_string(low) + "-" +
                      std::to_string(high) + ")");
    return int(value);
}

std::set<int> field(const std::string& text, int low, int high, const char* name)
{
    std::set<int> values;
    if (text.empty())
        throw badCron(std::string("lacks its ") + name);
    for (const std::string& part : Poco::StringTokenizer(text, ",", 0))
    {
        std::string range = part;
        int step = 1;
        std::size_t slash = part.find('/');
        if (slash != std::string::npos)
        {
            range = part.substr(0, slash);
            step = number(part.substr(slash + 1), 1, high, name);
        }
        int from = low, to = high;
        if (range != "*")
        {
            std::size_t dash = range.find('-');
            from = number(range.substr(0, dash), low, high, name);
            to = dash == std::string::npos ? (slash == std::string::npos ? from : high)
                                           : number(range.substr(dash + 1), low, high, name);
            if (to < from)
                throw badCron(std::string("has a backward range in its ") + name + " \"" + range + "\"");
        }
        for (int value = from; value <= to; value += step)
            values.insert(value);
    }
    return values;
}

std::string two(int value)
{
    char text[8];
    std::snprintf(text, sizeof text, "%02d", value);
    return text;
}
} // namespace

RecurringSchedule::RecurringSchedule(const std::string& cron, const std::string& zone)
    : _cron(Poco::trim(cron)), _zone(zone)
{
    if (!TimeZones::known(zone))
        throw FieldException("trigger.timezone", "unknown_zone", "\"" + zone + "\" is not a known time zone");
    if (_cron.size() > 100)
        throw badCron("is longer than 100 characters");
    Poco::StringTokenizer fields(_cron, " \t", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    if (fields.count() != 5)
        throw badCron("needs five fields: minute hour day-of-month month day-of-week");
    _minutes = field(fields[0], 0, 59, FIELD_NAMES[0]);
    _hours = field(fields[1], 0, 23, FIELD_NAMES[1]);
    _days = field(fields[2], 1, 31, FIELD_NAMES[2]);
    _months = field(fields[3], 1, 12, FIELD_NAMES[3]);
    _weekdays = field(fields[4], 0, 7, FIELD_NAMES[4]);
    if (_weekdays.count(7))
        _weekdays.insert(0);
    _anyDay = fields[2][0] == '*';
    _anyWeekday = fields[4][0] == '*';
}

std::vector<std::string> RecurringSchedule::onDay(int year, int month, int day) const
{
    std::vector<std::string> times;
    if (!_months.count(month))
        return times;
    Poco::DateTime date(year, month, day);
    bool dayMatches = _days.count(day) > 0, weekdayMatches = _weekdays.count(date.dayOfWeek()) > 0;
    bool matches = _anyDay && _anyWeekday ? true
                   : _anyDay              ? weekdayMatches
                   : _anyWeekday          ? dayMatches
                                          : dayMatches || weekdayMatches;
    if (!matches)
        return times;
    std::string text = std::to_string(year) + "-" + two(month) + "-" + two(day);
    for (int hour : _hours)
        for (int minute : _minutes)
        {
            try
            {
                times.push_back(TimeZones::utcOf(text, two(hour) + ":" + two(minute), _zone, "trigger"));
            }
            catch (const FieldException&)
            {
                // A time the clocks skip that day: no occurrence.
            }
        }
    return times;
}

std::vector<std::string> RecurringSchedule::between(const std::string& afterUtc,
                                                    const std::string& untilUtc) const
{
    std::vector<std::string> times;
    Poco::DateTime from, until;
    if (!readSqlTime(TimeZones::localOf(afterUtc, _zone), from) ||
        !readSqlTime(TimeZones::localOf(untilUtc, _zone), until))
        return times;
    Poco::DateTime day(from.year(), from.month(), from.day());
    Poco::DateTime last(until.year(), until.month(), until.day());
    for (; day <= last; day += Poco::Timespan(1, 0, 0, 0, 0))
        for (const std::string& time : onDay(day.year(), day.month(), day.day()))
            if (time > afterUtc && time <= untilUtc && (times.empty() || time > times.back()))
                times.push_back(time);
    return times;
}

std::vector<std::string> RecurringSchedule::next(const std::string& afterUtc, std::size_t count) const
{
    std::vector<std::string> times;
    Poco::DateTime from;
    if (count == 0 || !readSqlTime(TimeZones::localOf(afterUtc, _zone), from))
        return times;
    Poco::DateTime day(from.year(), from.month(), from.day());
    for (int i = 0; i <= 366 && times.size() < count; ++i, day += Poco::Timespan(1, 0, 0, 0, 0))
        for (const std::string& time : onDay(day.year(), day.month(), day.day()))
            if (time > afterUtc && times.size() < count && (times.empty() || time > times.back()))
                times.push_back(time);
    return times;
}
} // namespace MassMailing
