#ifndef MassMailing_CampaignDoor_INCLUDED
#define MassMailing_CampaignDoor_INCLUDED

#include "CrmHost/Screen.h"
#include "content/Campaigns.h"
#include <string>

namespace MassMailing
{
/// The one way every page and API route reaches a campaign by its id. The campaign's own
/// group decides, wherever the id comes from: the module must be enabled there, and the user
/// must hold a right of the module there.
class CampaignDoor
{
public:
    explicit CampaignDoor(Campaigns& campaigns);

    Campaign open(const CrmHost::Request& request, const std::string& right) const;
    /// The campaign of the {id} parameter. right is Rights::COMPOSE, SEND, APPROVE, or
    /// Rights::ANY (any of them: to look at it). Throws CrmHost::RequestError 404 when there
    /// is no such campaign, when it belongs to another group than the URL's, when the module
    /// is not enabled in its group, or when the user holds none of the module's rights there
    /// (a campaign the user may not see does not exist for them); 403 naming the right when
    /// the user may see it but not do this.

    static bool holds(const CrmHost::Request& request, const std::string& right, long groupId);
    /// Whether the user holds right in the group (for Rights::ANY: any of the module's rights).

private:
    Campaigns& _campaigns;
};
} // namespace MassMailing

#endif
