#ifndef CrmHost_CronExpression_INCLUDED
#define CrmHost_CronExpression_INCLUDED

#include <Poco/DateTime.h>
#include <bitset>
#include <string>

namespace CrmHost
{
/// A five-field cron expression: minute hour day-of-month month day-of-week (0 = Sunday).
/// Each field: "*", "N", "A-B", a step "*/S" or "A-B/S", or a comma-separated list of these.
class CronExpression
{
public:
    explicit CronExpression(const std::string& expression);
    /// Throws Poco::SyntaxException naming the field that is wrong.

    bool matches(const Poco::DateTime& minute) const;
    /// True when the expression fires in this minute (UTC). As in cron, when both day fields
    /// are restricted, either may match.

private:
    std::bitset<60> _minutes;
    std::bitset<24> _hours;
    std::bitset<32> _days;
    std::bitset<13> _months;
    std::bitset<7> _weekdays;
    bool _anyDay = false;
    bool _anyWeekday = false;
};
} // namespace CrmHost

#endif
