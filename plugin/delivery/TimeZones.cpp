#include "delivery/TimeZones.h"
#include "SqlTime.h"
#include "content/ContentException.h"
#include "delivery/Deliveries.h"
#include <Poco/DateTime.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <set>

namespace MassMailing
{
namespace
{
std::mutex zoneLock;

std::string zoneDir()
{
    const char* dir = std::getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Runs work with the process's TZ set to the zone, and puts TZ back as it was.
template <typename Work> auto inZone(const std::string& zone, Work work)
{
    std::lock_guard<std::mutex> lock(zoneLock);
    const char* before = std::getenv("TZ");
    std::string saved = before ? before : "";
    setenv("TZ", (":" + zone).c_str(), 1);
    tzset();
    struct Restore
    {
        bool had;
        std::string value;
        ~Restore()
        {
            if (had)
                setenv("TZ", value.c_str(), 1);
            else
                unsetenv("TZ");
            tzset();
        }
    } restore{before != nullptr, saved};
    return work();
}

bool parseUtc(const std::string& utc, std::tm& fields)
{
    fields = std::tm();
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(utc.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) !=
            6 ||
        !Poco::DateTime::isValid(year, month, day, hour, minute, second))
        return false;
    fields.tm_year = year - 1900;
    fields.tm_mon = month - 1;
    fields.tm_mday = day;
    fields.tm_hour = hour;
    fields.tm_min = minute;
    fields.tm_sec = second;
    return true;
}

std::string format(const std::tm& fields)
{
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &fields);
    return out;
}
} // namespace

bool TimeZones::known(const std::string& zone)
{
    if (zone.empty() || zone.size() > 64 || zone.front() == '/' || zone.find("..") != std::string::npos)
        return false;
    for (char c : zone)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+')
            return false;
    Poco::File file(zoneDir() + "/" + zone);
    if (!file.exists() || !file.isFile())
        return false;
    // A compiled zone, not one of the folder's tables.
    Poco::FileInputStream in(file.path());
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::string(magic, 4) == "TZif";
}

namespace
{
// The number written by exactly count digits at text[at], for the parsers of typed times.
bool digitsAt(const std::string& text, std::size_t at, std::size_t count, int& value)
{
    if (at + count > text.size())
        return false;
    value = 0;
    for (std::size_t i = at; i < at + count; ++i)
    {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}
} // namespace

std::string TimeZones::utcOf(const std::string& date, const std::string& time, const std::string& zone,
                             const std::string& field)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::string d = Poco::trim(date), t = Poco::trim(time);
    // YYYY-MM-DD from 1970; H:MM or HH:MM, seconds optional: what a date and a time box send.
    if (d.size() != 10 || !digitsAt(d, 0, 4, year) || d[4] != '-' || !digitsAt(d, 5, 2, month) ||
        d[7] != '-' || !digitsAt(d, 8, 2, day) || year < 1970 || !Poco::DateTime::isValid(year, month, day))
        throw FieldException(field, "bad_date",
                             "the date must be written YYYY-MM-DD, not \"" + d.substr(0, 64) + "\"");
    const std::size_t h = t.find(':') == 1 ? 1 : 2;
    const bool timeRead =
        digitsAt(t, 0, h, hour) && t.size() > h && t[h] == ':' && digitsAt(t, h + 1, 2, minute) &&
        (t.size() == h + 3 || (t.size() == h + 6 && t[h + 3] == ':' && digitsAt(t, h + 4, 2, second)));
    if (!timeRead || !Poco::DateTime::isValid(year, month, day, hour, minute, second))
        throw FieldException(field, "bad_time",
                             "the time must be written HH:MM, not \"" + t.substr(0, 64) + "\"");
    if (!known(zone))
        throw FieldException(field, "unknown_zone", "\"" + zone + "\" is not a time zone of the TZ database");

    auto utc = inZone(zone,
                      [&]() -> std::string
                      {
                          // Both readings of the wall time, standard and summer; the ones
                          // that give the wall time back exist, and the earliest comes first.
                          std::string best;
                          std::time_t first = 0;
                          for (int dst : {1, 0})
                          {
                              std::tm wall = std::tm();
                              wall.tm_year = year - 1900;
                              wall.tm_mon = month - 1;
                              wall.tm_mday = day;
                              wall.tm_hour = hour;
                              wall.tm_min = minute;
                              wall.tm_sec = second;
                              wall.tm_isdst = dst;
                              std::time_t at = std::mktime(&wall);
                              if (at == std::time_t(-1))
                                  continue;
                              std::tm back = std::tm();
                              localtime_r(&at, &back);
                              if (back.tm_year != year - 1900 || back.tm_mon != month - 1 ||
                                  back.tm_mday != day || back.tm_hour != hour || back.tm_min != minute)
                                  continue;
                              if (best.empty() || at < first)
                              {
                                  std::tm inUtc = std::tm();
                                  gmtime_r(&at, &inUtc);
                                  best = format(inUtc);
                                  first = at;
                              }
                          }
                          return best;
                      });
    if (utc.empty())
        throw FieldException(field, "no_such_time",
                             d + " " + t + " does not exist in " + zone + ": the clocks go forward then");
    return utc;
}

std::string TimeZones::utcOfInstant(const std::string& text, const std::string& field)
{
    auto refuse = [&]
    {
        return FieldException(field, "bad_time",
                              field +
                                  " must be an ISO-8601 time with its offset, such as "
                                  "2026-12-01T09:30:00+01:00, not \"" +
                                  text.substr(0, 64) + "\"");
    };
    // YYYY-MM-DDTHH:MM[:SS[.fraction]] then Z or +HH:MM / -HH:MM, nothing more.
    auto digits = [&](std::size_t at, std::size_t count, int& value)
    { return digitsAt(text, at, count, value); };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0;
    if (text.size() > 40 || !digits(0, 4, year) || text.size() < 16 || text[4] != '-' ||
        !digits(5, 2, month) || text[7] != '-' || !digits(8, 2, day) ||
        (text[10] != 'T' && text[10] != 't') || !digits(11, 2, hour) || text[13] != ':' ||
        !digits(14, 2, minute))
        throw refuse();
    std::size_t at = 16;
    if (at < text.size() && text[at] == ':')
    {
        if (!digits(at + 1, 2, second))
            throw refuse();
        at += 3;
        if (at < text.size() && text[at] == '.')
        {
            std::size_t end = at + 1;
            while (end < text.size() && text[end] >= '0' && text[end] <= '9')
                ++end;
            if (end == at + 1)
                throw refuse();
            at = end;
        }
    }
    int sign = 0;
    if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z'))
        sign = 1;
    else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
             digits(at + 1, 2, offsetHours) && text[at + 3] == ':' && digits(at + 4, 2, offsetMinutes))
        sign = text[at] == '+' ? 1 : -1;
    if (sign == 0 || year < 1970 || !Poco::DateTime::isValid(year, month, day, hour, minute, second) ||
        offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
        throw refuse();
    Poco::DateTime time(year, month, day, hour, minute, second);
    time -= Poco::Timespan(0, 0, sign * (offsetHours * 60 + offsetMinutes), 0, 0);
    return sqlTime(time);
}

std::string TimeZones::localOf(const std::string& utc, const std::string& zone)
{
    std::tm fields;
    if (!known(zone) || !parseUtc(utc, fields))
        return utc;
    std::time_t at = timegm(&fields);
    return inZone(zone,
                  [&]
                  {
                      std::tm local = std::tm();
                      localtime_r(&at, &local);
                      return format(local);
                  });
}

namespace
{
// ISO weekday (1 Monday ... 7 Sunday) of a "YYYY-MM-DD HH:MM:SS" time; 0 when it is none.
int isoWeekday(const std::string& local)
{
    Poco::DateTime day;
    if (!readSqlTime(local, day))
        return 0;
    return day.dayOfWeek() == 0 ? 7 : day.dayOfWeek();
}

bool allowsDay(const SendCalendar& calendar, const std::string& local)
{
    return calendar.days.empty() || calendar.days.find(char('0' + isoWeekday(local))) != std::string::npos;
}

bool allowsHour(const SendCalendar& calendar, const std::string& hhmm)
{
    return (calendar.from.empty() || hhmm >= calendar.from) && (calendar.to.empty() || hhmm < calendar.to);
}
} // namespace

bool TimeZones::inCalendar(const std::string& utc, const std::string& zone, const SendCalendar& calendar)
{
    if (calendar.empty())
        return true;
    std::string local = localOf(utc, known(zone) ? zone : "UTC");
    if (local.size() < 16 || isoWeekday(local) == 0)
        return false; // not a time this reads
    return allowsDay(calendar, local) && allowsHour(calendar, local.substr(11, 5));
}

std::string TimeZones::nextLocal(const std::string& fromUtc, const std::string& time, const std::string& zone,
                                 const SendCalendar& calendar)
{
    const std::string in = known(zone) ? zone : "UTC";
    if (!allowsHour(calendar, time))
        return "";
    std::string local = localOf(fromUtc, in);
    int year = 0, month = 0, dayOfMonth = 0;
    if (local.size() < 19 || !Poco::NumberParser::tryParse(local.substr(0, 4), year) ||
        !Poco::NumberParser::tryParse(local.substr(5, 2), month) ||
        !Poco::NumberParser::tryParse(local.substr(8, 2), dayOfMonth) ||
        !Poco::DateTime::isValid(year, month, dayOfMonth))
        return ""; // not a time this reads (fromUtc is no "YYYY-MM-DD HH:MM:SS")
    Poco::DateTime day(year, month, dayOfMonth);
    for (int d = 0; d < 15; ++d, day += Poco::Timespan(1, 0, 0, 0, 0))
    {
        char date[32];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", day.year(), day.month(), day.day());
        if (!allowsDay(calendar, std::string(date) + " 00:00:00"))
            continue;
        std::string at;
        try
        {
            at = utcOf(date, time, in, "local_time");
        }
        catch (const FieldException&)
        {
            continue; // the clocks skip that time that day
        }
        if (at >= fromUtc)
            return at;
    }
    return "";
}

std::string TimeZones::offsetOf(const std::string& utc, const std::string& zone)
{
    std::tm fields;
    if (!known(zone) || !parseUtc(utc, fields))
        return "+00:00";
    std::time_t at = timegm(&fields);
    long offset = inZone(zone,
                         [&]
                         {
                             std::tm local = std::tm();
                             localtime_r(&at, &local);
                             return long(local.tm_gmtoff);
                         });
    char out[32];
    long minutes = std::labs(offset) / 60;
    std::snprintf(out, sizeof out, "%c%02ld:%02ld", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
    return out;
}

std::vector<std::string> TimeZones::names()
{
    std::set<std::string> names{"UTC"};
    try
    {
        Poco::FileInputStream in(zoneDir() + "/zone1970.tab");
        std::string line;
        while (std::getline(in, line))
        {
            if (line.empty() || line[0] == '#')
                continue;
            // country codes, coordinates, zone, comment: separated by tabs.
            std::size_t first = line.find('\t');
            std::size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
            if (second == std::string::npos)
                continue;
            std::size_t end = line.find('\t', second + 1);
            names.insert(line.substr(second + 1, end == std::string::npos ? end : end - second - 1));
        }
    }
    catch (const Poco::Exception&)
    {
        // Without the table, the zones a user of this platform is most likely to want.
        names.insert({"Europe/Paris", "Europe/Brussels", "Europe/London", "America/Montreal"});
    }
    return {names.begin(), names.end()};
}
} // namespace MassMailing
