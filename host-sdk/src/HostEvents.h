#ifndef CrmHost_HostEvents_INCLUDED
#define CrmHost_HostEvents_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/HostEvent.h"
#include <Poco/DateTime.h>
#include <functional>
#include <vector>

namespace CrmHost
{
/// The typed events of the host's own data (H2): orders.opened, distribution.upcoming,
/// session.upcoming and member.joined (HostEvent.h), found in the tables at each round of the
/// host's task host.events and offered to the subscribers. Each occurrence has a stable id and
/// is recorded in host_events once offered, so that the next rounds, the next start and the
/// other nodes do not offer it again (a crash between the two offers it twice: subscribers key
/// on the id).
class HostEvents
{
public:
    using Clock = std::function<Poco::DateTime()>;
    using Publish = std::function<void(const HostEvent&)>;

    struct Settings
    {
        int upcomingHours = 48;  /// *.upcoming are offered this long before their time.
        int lookbackHours = 168; /// An occurrence older than this is never offered.
    };

    HostEvents(Database& database, Publish publish, Clock clock, Settings settings);

    std::vector<HostEvent> due();
    /// The occurrences whose time has come and that host_events does not hold, oldest first.

    int emit();
    /// Offers each due occurrence to the subscribers, then records it; returns how many.

private:
    Database& _database;
    Publish _publish;
    Clock _clock;
    Settings _settings;
};
} // namespace CrmHost

#endif
