#ifndef MassMailing_HomeScreen_INCLUDED
#define MassMailing_HomeScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/RecipientDirectory.h"
#include "content/Campaigns.h"
#include "delivery/DeliveryProgress.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// The module's home in a group: the campaigns waiting for an approver's yes (for approvers),
/// the group's campaigns (drafts, scheduled and in progress with their time in the zone they
/// were planned in, each with Edit and Cancel, sent) with a button to start a new one, and its
/// JSON status route.
class HomeScreen
{
public:
    HomeScreen(Wizard& wizard, Campaigns& campaigns, RecipientDirectory& directory,
               DeliveryProgress& progress);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response page(const CrmHost::Request& request) const;
    /// GET /g/G/massmailing/: the campaign list.

    CrmHost::Response status(const CrmHost::Request& request) const;
    /// GET /api/v1/massmailing/status?group=G: {"module", "version", "group"}.

private:
    Wizard& _wizard;
    Campaigns& _campaigns;
    RecipientDirectory& _directory;
    DeliveryProgress& _progress;
};
} // namespace MassMailing

#endif
