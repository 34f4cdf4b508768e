#ifndef MassMailing_DeliveryProgress_INCLUDED
#define MassMailing_DeliveryProgress_INCLUDED

#include "CrmHost/Database.h"
#include "delivery/Deliveries.h"
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// Where a campaign's delivery stands: its plan as stored (UTC, with the zone it was entered
/// in), who reviewed it, why it is paused, and its recipients by status with the pace of the
/// last minutes and the end that pace promises (D1, D3, D8).
struct DeliveryState
{
    std::string status;
    std::string scheduledAt; /// UTC; empty when not scheduled.
    std::string timeZone;
    long maxPerHour = 0;
    std::string deadline; /// UTC; empty: none.
    long reviewedBy = 0;
    std::string reviewNote; /// Why it was rejected.
    std::string pauseReason;
    std::string startedAt;
    std::string finishedAt;
    std::map<std::string, long> counts; /// queued, in_flight, sent, failed, skipped, in_doubt.
    long total = 0;                     /// Every row to deliver, whatever its status.
    long remaining = 0;                 /// queued and in flight.
    long perHour = 0;                   /// Sent per hour in the last 5 min, at most maxPerHour.
    std::string expectedEnd;            /// UTC, from perHour; empty when unknown or finished.
    std::string localTime;              /// "09:00": each recipient at that hour of their zone; "" otherwise.
    bool optimisedHour = false;         /// Each person at the hour they opened most (with localTime).
    SendCalendar calendar;              /// When it may send (D12); empty: any time.
    bool waitingForCalendar = false;    /// Sending, and the calendar does not let it send now.
    std::string nextDue;                /// UTC: when the next queued row is due (a local time); "" if now.
};

/// One recipient row as delivery sees it.
struct DeliveryRow
{
    long id = 0;
    std::string email;
    std::string firstName;
    std::string lastName;
    std::string status;
    std::string reason; /// Why it was skipped.
    std::string detail; /// The server's answer of a failure.
    std::string sentAt;
    long attempts = 0;
};

/// What the screens show of a campaign's delivery; it reads, the Deliveries change.
class DeliveryProgress
{
public:
    DeliveryProgress(CrmHost::Database& database, Deliveries& deliveries, Clock clock);

    DeliveryState state(long campaignId);
    /// Throws Poco::NotFoundException for an unknown campaign.

    std::vector<DeliveryRow> rows(long campaignId, const std::string& status, std::size_t limit,
                                  std::size_t offset);
    /// The campaign's rows of that delivery status (all but those left out when empty), by id.

private:
    CrmHost::Database& _database;
    Deliveries& _deliveries;
    Clock _clock;
};
} // namespace MassMailing

#endif
