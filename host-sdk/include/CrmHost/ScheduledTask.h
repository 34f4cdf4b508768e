#ifndef CrmHost_ScheduledTask_INCLUDED
#define CrmHost_ScheduledTask_INCLUDED

#include <functional>
#include <string>

namespace CrmHost
{
/// When a task fires: every N seconds, or on a five-field cron expression
/// ("*/5 * * * *": minute, hour, day of month, month, day of week), in UTC.
struct Schedule
{
    int intervalSeconds = 0;
    std::string cron;

    static Schedule every(int seconds) { return Schedule{seconds, ""}; }
    static Schedule cronExpression(const std::string& expression) { return Schedule{0, expression}; }
};

/// A task the host scheduler fires, also runnable by hand with `crmhost task run NAME`.
struct ScheduledTask
{
    std::string name;        /// Unique, e.g. "massmailing.send".
    std::string description; /// One line for `task list`.
    Schedule schedule;
    std::function<bool()> run;
    /// Does one round of work and returns true when due work is left, so that
    /// `task run NAME --until-idle` calls it again. Exceptions are logged by the host.
};
} // namespace CrmHost

#endif
