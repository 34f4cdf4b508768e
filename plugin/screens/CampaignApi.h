#ifndef MassMailing_CampaignApi_INCLUDED
#define MassMailing_CampaignApi_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/RecipientDirectory.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "delivery/DeliveryProgress.h"
#include "delivery/TestSend.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"

namespace MassMailing
{
/// The campaign routes of the JSON API (/api/v1/massmailing/...): they parse, call the
/// stages and answer; errors become {"error": {"code", "message", "field"}}.
class CampaignApi
{
public:
    CampaignApi(Campaigns& campaigns, RecipientDirectory& directory, TestSend& testSend,
                Deliveries& deliveries, DeliveryProgress& progress);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response create(const CrmHost::Request& request); /// POST campaigns
    CrmHost::Response list(const CrmHost::Request& request);   /// GET campaigns?group=G
    CrmHost::Response get(const CrmHost::Request& request);    /// GET campaigns/{id}
    CrmHost::Response update(const CrmHost::Request& request); /// PUT campaigns/{id}
    CrmHost::Response
    preview(const CrmHost::Request& request);                /// GET campaigns/{id}/preview?recipient=KIND:ID
    CrmHost::Response test(const CrmHost::Request& request); /// POST campaigns/{id}/test
    CrmHost::Response variables(const CrmHost::Request& request); /// GET variables?group=G&recipient_type=T

    static void apply(const class JsonBody& in, Campaign& campaign);
    /// The fields of POST campaigns read into campaign (those absent keep its values), for
    /// every route that takes a campaign's body (automations' "campaign").

    static CrmHost::Response guard(const std::function<CrmHost::Response()>& call);
    /// Runs a handler, turning the stages' exceptions into JSON errors.

private:
    Campaign campaignOf(const CrmHost::Request& request, const std::string& right);
    /// The campaign of the {id} in the path, through the one door (CampaignDoor).

    Campaigns& _campaigns;
    CampaignDoor _door;
    RecipientDirectory& _directory;
    TestSend& _testSend;
    Deliveries& _deliveries;
    DeliveryProgress& _progress;
};
} // namespace MassMailing

#endif
