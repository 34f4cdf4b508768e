// Fuzz target: a rule's schedule (automation/RecurringSchedule) as the JSON API and the
// automations screen read it. Input lines: the cron expression, the zone, a UTC time.
// The constructor refuses with FieldException and nothing else; the occurrences of an accepted
// schedule are UTC times in strictly increasing order, after the time given.
#include "FieldException.h"
#include "FuzzInput.h"
#include "automation/RecurringSchedule.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 3);
    const std::string &cron = fields[0], &zone = fields[1], &after = fields[2];
    try
    {
        MassMailing::RecurringSchedule schedule(cron, zone);
        std::string from = after.size() == 19 ? after : "2026-10-20 00:00:00";
        std::vector<std::string> next = schedule.next(from, 3);
        for (std::size_t i = 0; i < next.size(); ++i)
            if (next[i].size() != 19 || next[i] <= from || (i > 0 && next[i] <= next[i - 1]))
                std::abort();
    }
    catch (const MassMailing::FieldException&)
    {
        // bad_cron or unknown_zone: the field is refused.
    }
    return 0;
}
