#ifndef MassMailing_AddressLogApi_INCLUDED
#define MassMailing_AddressLogApi_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Suppressions.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"
#include "tracking/AddressLog.h"
#include "tracking/PersonalData.h"

namespace MassMailing
{
/// The JSON routes of one address's delivery log and of a group's suppressions (R5, A8):
///   GET addresses/log?group=G&address=A   (compose)
///   GET suppressions?group=G[&limit=N&offset=K]   (compose)
///   POST suppressions/lift {"group", "address", "reason"}   (send)
///   POST campaigns/{id}/resend_to {"address", "reason"}   (send, in the campaign's group)
///   GET addresses/export?group=G&address=A[&format=csv]   (admin: X2)
///   POST addresses/erase {"group", "address", "confirm"}   (admin: X2)
///   GET erasures?group=G   (admin)
class AddressLogApi
{
public:
    AddressLogApi(Campaigns& campaigns, AddressLog& log, Suppressions& suppressions, Deliveries& deliveries,
                  PersonalData& personalData);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response log(const CrmHost::Request& request);
    CrmHost::Response suppressions(const CrmHost::Request& request);
    CrmHost::Response lift(const CrmHost::Request& request);
    CrmHost::Response resendTo(const CrmHost::Request& request);
    CrmHost::Response exportData(const CrmHost::Request& request);
    CrmHost::Response erase(const CrmHost::Request& request);
    CrmHost::Response erasures(const CrmHost::Request& request);

private:
    Campaigns& _campaigns;
    CampaignDoor _door;
    AddressLog& _log;
    Suppressions& _suppressions;
    Deliveries& _deliveries;
    PersonalData& _personalData;
};
} // namespace MassMailing

#endif
