#include "CronExpression.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

namespace CrmHost
{
namespace
{
template <std::size_t N>
void parseField(const std::string& text, int low, int high, const char* name, std::bitset<N>& bits)
{
    auto fail = [&]()
    {
        throw Poco::SyntaxException(std::string("cron ") + name + " field \"" + text + "\" is not valid (" +
                                    std::to_string(low) + "-" + std::to_string(high) + ")");
    };
    auto number = [&](const std::string& s)
    {
        unsigned value = 0;
        if (!Poco::NumberParser::tryParseUnsigned(s, value) || int(value) < low || int(value) > high)
            fail();
        return int(value);
    };
    Poco::StringTokenizer items(text, ",");
    if (items.count() == 0)
        fail();
    for (const auto& item : items)
    {
        std::string range = item;
        int step = 1;
        auto slash = item.find('/');
        if (slash != std::string::npos)
        {
            range = item.substr(0, slash);
            unsigned s = 0;
            if (!Poco::NumberParser::tryParseUnsigned(item.substr(slash + 1), s) || s == 0)
                fail();
            step = int(s);
        }
        int from = low, to = high;
        if (range != "*")
        {
            auto dash = range.find('-');
            from = number(range.substr(0, dash));
            to = dash == std::string::npos ? (slash == std::string::npos ? from : high)
                                           : number(range.substr(dash + 1));
            if (to < from)
                fail();
        }
        for (int v = from; v <= to; v += step)
            bits.set(std::size_t(v));
    }
}
} // namespace

CronExpression::CronExpression(const std::string& expression)
{
    Poco::StringTokenizer fields(expression, " \t", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    if (fields.count() != 5)
        throw Poco::SyntaxException("cron expression \"" + expression +
                                    "\" must have 5 fields: minute hour day-of-month month day-of-week");
    parseField(fields[0], 0, 59, "minute", _minutes);
    parseField(fields[1], 0, 23, "hour", _hours);
    parseField(fields[2], 1, 31, "day-of-month", _days);
    parseField(fields[3], 1, 12, "month", _months);
    std::bitset<8> weekdays;
    parseField(fields[4], 0, 7, "day-of-week", weekdays);
    for (int d = 0; d < 7; ++d)
        _weekdays[d] = weekdays[d] || (d == 0 && weekdays[7]); // 7 is Sunday too
    _anyDay = fields[2] == "*";
    _anyWeekday = fields[4] == "*";
}

bool CronExpression::matches(const Poco::DateTime& t) const
{
    if (!_minutes[t.minute()] || !_hours[t.hour()] || !_months[t.month()])
        return false;
    bool day = _days[t.day()];
    bool weekday = _weekdays[t.dayOfWeek()];
    if (_anyDay || _anyWeekday)
        return day && weekday;
    return day || weekday;
}
} // namespace CrmHost
