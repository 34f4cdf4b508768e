#ifndef MassMailing_AudienceApi_INCLUDED
#define MassMailing_AudienceApi_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "audience/AudienceLoads.h"
#include "content/Campaigns.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"
#include <Poco/JSON/Object.h>
#include <functional>

namespace MassMailing
{
/// The audience routes of the JSON API: targets, loading and excluding, the summary (A9)
/// and the recipients with their status and reason.
class AudienceApi
{
public:
    using Translate = std::function<std::string(const std::string& key, const std::string& locale)>;

    AudienceApi(Campaigns& campaigns, Audience& audience, AudienceLoads& loads, Translate translate,
                std::function<long()> monthlyLimit);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response targets(const CrmHost::Request& request); /// GET targets?group=G[&recipient_type=T]
    CrmHost::Response change(const CrmHost::Request& request);
    /// POST campaigns/{id}/audience[?wait=true]: the summary (200) when the resolution ends within
    /// a second or wait=true; else 202 with the load's state and "poll", the route to ask. 409
    /// while another load of the campaign runs.
    CrmHost::Response load(const CrmHost::Request& request);       /// GET campaigns/{id}/audience/load
    CrmHost::Response importCsv(const CrmHost::Request& request);  /// POST campaigns/{id}/audience/csv
    CrmHost::Response summary(const CrmHost::Request& request);    /// GET campaigns/{id}/summary
    CrmHost::Response recipients(const CrmHost::Request& request); /// GET campaigns/{id}/recipients

    std::string label(const CrmHost::Target& target, const std::string& locale) const;
    /// The target's label in the user's language, its {placeholders} filled from its params.

    static AudienceOwner ownerOf(const Campaign& campaign);
    static std::string summaryJson(const AudienceSummary& summary);

private:
    Campaign campaignOf(const CrmHost::Request& request, bool change);
    CrmHost::Response resolved(const CrmHost::Request& request, const AudienceOwner& owner,
                               const std::function<void(Poco::JSON::Object&)>& fill = {});
    static std::string stateJson(const AudienceLoads::State& state, long campaignId,
                                 const std::function<void(Poco::JSON::Object&)>& fill);

    Campaigns& _campaigns;
    CampaignDoor _door;
    Audience& _audience;
    AudienceLoads& _loads;
    Translate _translate;
    std::function<long()> _monthlyLimit;
};
} // namespace MassMailing

#endif
