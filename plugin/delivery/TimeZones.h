#ifndef MassMailing_TimeZones_INCLUDED
#define MassMailing_TimeZones_INCLUDED

#include <string>
#include <vector>

namespace MassMailing
{
/// When a campaign may send (D12): on these ISO weekdays ("12345": Monday to Friday; empty:
/// every day), from this hour to that one ("08:00" to "18:00"; empty: the whole day), read in
/// a zone.
struct SendCalendar
{
    std::string days;
    std::string from;
    std::string to;

    bool empty() const { return days.empty() && from.empty() && to.empty(); }
};

/// Named time zones ("Europe/Paris") from the system's TZ database (/usr/share/zoneinfo,
/// Debian package tzdata): a time typed in a zone into UTC with the offset that zone has on
/// that date (+01:00 in winter, +02:00 in summer for Paris), and back (D1).
///
/// Poco's LocalDateTime knows only the process's own zone, so the C library does the work
/// with TZ set to the zone, under a lock (TZ is the process's environment).
class TimeZones
{
public:
    static bool known(const std::string& zone);
    /// A zone of the TZ database ("Europe/Paris", "UTC"); false for anything else.

    static std::string utcOf(const std::string& date, const std::string& time, const std::string& zone,
                             const std::string& field);
    /// "2026-12-01" "09:30" in "Europe/Paris" as "2026-12-01 08:30:00" (UTC). Throws
    /// FieldException on field: bad_date, bad_time, unknown_zone, or no_such_time for a time
    /// the clocks skip when they go forward (02:30 on the last Sunday of March in Paris). A
    /// time that happens twice (when the clocks go back) is taken the first time.

    static std::string utcOfInstant(const std::string& iso8601, const std::string& field);
    /// "2026-12-01T09:30:00+01:00" (seconds and fractions optional, Z for UTC) as
    /// "2026-12-01 08:30:00" (UTC). The offset is required and at most 14 hours; every part
    /// is checked. Throws FieldException(field, "bad_time") for anything else.

    static std::string localOf(const std::string& utc, const std::string& zone);
    /// "2026-12-01 08:30:00" (UTC) as "2026-12-01 09:30:00" in the zone; utc as it is when
    /// it is not such a time or the zone is unknown.

    static std::string offsetOf(const std::string& utc, const std::string& zone);
    /// The zone's offset at that UTC time: "+01:00".

    static bool inCalendar(const std::string& utc, const std::string& zone, const SendCalendar& calendar);
    /// Whether the calendar allows that UTC time, read in the zone (UTC for an unknown zone).

    static std::string nextLocal(const std::string& fromUtc, const std::string& time, const std::string& zone,
                                 const SendCalendar& calendar);
    /// The first UTC time at or after fromUtc when it is time ("09:00") in the zone on a day
    /// the calendar allows; "" when none comes within 14 days (time outside its hours). A day
    /// whose clocks skip that time is passed over.

    static std::vector<std::string> names();
    /// The zones to choose from (the TZ database's zone1970.tab, sorted, and UTC).
};
} // namespace MassMailing

#endif
