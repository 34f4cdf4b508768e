#ifndef MassMailing_RecurringSchedule_INCLUDED
#define MassMailing_RecurringSchedule_INCLUDED

#include <set>
#include <string>
#include <vector>

namespace MassMailing
{
/// When a rule's occurrences fall (M4): a five-field cron expression "m h dom mon dow" read in
/// a named time zone ("0 18 * * 2" in Europe/Paris: every Tuesday at 18:00, Paris time, summer
/// and winter). Fields take *, a number, a range a-b, a step */n or a-b/n, and lists of these;
/// day of week 0 or 7 is Sunday; when both day fields are restricted, either matches (cron's
/// rule). A local time the clocks skip (spring forward) has no occurrence that day; one they
/// pass twice is taken the first time (TimeZones::utcOf).
class RecurringSchedule
{
public:
    RecurringSchedule(const std::string& cron, const std::string& zone);
    /// Throws FieldException (trigger.cron bad_cron naming the field, trigger.timezone
    /// unknown_zone).

    std::vector<std::string> between(const std::string& afterUtc, const std::string& untilUtc) const;
    /// The occurrences t with afterUtc < t <= untilUtc, UTC "YYYY-MM-DD HH:MM:SS", in order.

    std::vector<std::string> next(const std::string& afterUtc, std::size_t count) const;
    /// The first count occurrences after afterUtc (fewer when there are none within a year).

    const std::string& cron() const { return _cron; }
    const std::string& zone() const { return _zone; }

private:
    std::vector<std::string> onDay(int year, int month, int day) const;

    std::string _cron;
    std::string _zone;
    std::set<int> _minutes, _hours, _days, _months, _weekdays;
    bool _anyDay = true, _anyWeekday = true;
};
} // namespace MassMailing

#endif
