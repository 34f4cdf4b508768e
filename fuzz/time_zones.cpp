// Fuzz target: a time typed in a named zone, and back (delivery/TimeZones), as the send screen
// and the API's schedule read them. Input lines: the date, the time, the zone, a UTC time (also
// read as the API's instant with its offset, utcOfInstant).
// utcOf refuses with FieldException and nothing else; a time it accepts reads back, in the
// same zone, as the wall time typed (localOf); localOf, offsetOf, inCalendar and nextLocal never
// throw.
#include "FuzzInput.h"
#include "content/ContentException.h"
#include "delivery/TimeZones.h"
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 4);
    const std::string &date = fields[0], &time = fields[1], &zone = fields[2], &utc = fields[3];

    MassMailing::TimeZones::known(zone);
    MassMailing::TimeZones::localOf(utc, zone);
    MassMailing::TimeZones::offsetOf(utc, zone);
    try
    {
        std::string at = MassMailing::TimeZones::utcOf(date, time, zone, "at");
        std::string local = MassMailing::TimeZones::localOf(at, zone);
        MassMailing::TimeZones::offsetOf(at, zone);
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, ly = 0, lmo = 0, ld = 0, lh = 0, lmi = 0, ls = 0;
        if (std::sscanf(date.c_str(), " %4d-%2d-%2d", &y, &mo, &d) == 3 &&
            std::sscanf(time.c_str(), " %2d:%2d", &h, &mi) == 2 &&
            std::sscanf(local.c_str(), "%d-%d-%d %d:%d:%d", &ly, &lmo, &ld, &lh, &lmi, &ls) == 6 &&
            (ly != y || lmo != mo || ld != d || lh != h || lmi != mi))
            std::abort(); // the UTC time does not read back as the wall time typed
    }
    catch (const MassMailing::FieldException&)
    {
        // bad_date, bad_time, unknown_zone or no_such_time: the field is refused.
    }
    try
    {
        // An instant accepted is a UTC time that reads back as one: YYYY-MM-DD HH:MM:SS.
        std::string at = MassMailing::TimeZones::utcOfInstant(utc, "at");
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
        if (at.size() != 19 ||
            std::sscanf(at.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 || y < 1969)
            std::abort();
    }
    catch (const MassMailing::FieldException&)
    {
        // bad_time: refused.
    }
    // The sending calendar (D12): the date field as its days, the time as its hours; never a
    // throw, and a due time found is a UTC time at or after the start.
    MassMailing::SendCalendar calendar{date, time, ""};
    MassMailing::TimeZones::inCalendar(utc, zone, calendar);
    std::string due = MassMailing::TimeZones::nextLocal(utc, time, zone, calendar);
    if (!due.empty() && (due.size() != 19 || due < utc))
        std::abort();
    return 0;
}
