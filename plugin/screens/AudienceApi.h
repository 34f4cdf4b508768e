#ifndef MassMailing_AudienceApi_INCLUDED
#define MassMailing_AudienceApi_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "content/Campaigns.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"
#include <functional>

namespace MassMailing
{
/// The audience routes of the JSON API: targets, loading and excluding, the summary (A9)
/// and the recipients with their status and reason.
class AudienceApi
{
public:
    using Translate = std::function<std::string(const std::string& key, const std::string& locale)>;

    AudienceApi(Campaigns& campaigns, Audience& audience, Translate translate,
                std::function<long()> monthlyLimit);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response targets(const CrmHost::Request& request);    /// GET targets?group=G[&recipient_type=T]
    CrmHost::Response change(const CrmHost::Request& request);     /// POST campaigns/{id}/audience
    CrmHost::Response importCsv(const CrmHost::Request& request);  /// POST campaigns/{id}/audience/csv
    CrmHost::Response summary(const CrmHost::Request& request);    /// GET campaigns/{id}/summary
    CrmHost::Response recipients(const CrmHost::Request& request); /// GET campaigns/{id}/recipients

    std::string label(const CrmHost::Target& target, const std::string& locale) const;
    /// The target's label in the user's language, its {placeholders} filled from its params.

    static AudienceOwner ownerOf(const Campaign& campaign);
    static std::string summaryJson(const AudienceSummary& summary);

private:
    Campaign campaignOf(const CrmHost::Request& request, bool change);

    Campaigns& _campaigns;
    CampaignDoor _door;
    Audience& _audience;
    Translate _translate;
    std::function<long()> _monthlyLimit;
};
} // namespace MassMailing

#endif
