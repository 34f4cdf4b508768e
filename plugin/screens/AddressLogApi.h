#ifndef MassMailing_AddressLogApi_INCLUDED
#define MassMailing_AddressLogApi_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Suppressions.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"
#include "tracking/AddressLog.h"

namespace MassMailing
{
/// The JSON routes of one address's delivery log and of a group's suppressions (R5, A8):
///   GET addresses/log?group=G&address=A   (compose)
///   GET suppressions?group=G[&limit=N&offset=K]   (compose)
///   POST suppressions/lift {"group", "address", "reason"}   (send)
///   POST campaigns/{id}/resend_to {"address", "reason"}   (send, in the campaign's group)
class AddressLogApi
{
public:
    AddressLogApi(Campaigns& campaigns, AddressLog& log, Suppressions& suppressions, Deliveries& deliveries);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response log(const CrmHost::Request& request);
    CrmHost::Response suppressions(const CrmHost::Request& request);
    CrmHost::Response lift(const CrmHost::Request& request);
    CrmHost::Response resendTo(const CrmHost::Request& request);

private:
    Campaigns& _campaigns;
    CampaignDoor _door;
    AddressLog& _log;
    Suppressions& _suppressions;
    Deliveries& _deliveries;
};
} // namespace MassMailing

#endif
