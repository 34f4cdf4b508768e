#ifndef MassMailing_SqlTime_INCLUDED
#define MassMailing_SqlTime_INCLUDED

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <string>

namespace MassMailing
{
/// How every stage writes a time into the database and compares it there: UTC,
/// "YYYY-MM-DD HH:MM:SS", as CURRENT_TIMESTAMP writes it. SQLite keeps times as text and
/// compares them as text, so one spelling is what makes "sent this month" or "due" right on
/// both databases.
constexpr const char* SQL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S";

inline std::string sqlTime(const Poco::DateTime& time)
{
    return Poco::DateTimeFormatter::format(time, SQL_TIME_FORMAT);
}

/// Reads a time written so (its first 19 characters: MariaDB may add fractions). False if it is not one.
inline bool readSqlTime(const std::string& text, Poco::DateTime& time)
{
    int zone = 0;
    return Poco::DateTimeParser::tryParse(SQL_TIME_FORMAT, text.substr(0, 19), time, zone);
}
} // namespace MassMailing

#endif
