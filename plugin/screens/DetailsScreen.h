#ifndef MassMailing_DetailsScreen_INCLUDED
#define MassMailing_DetailsScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// Step 1 of the wizard, "Details" (C1, C5, A3, A7): name, recipient type (fixed once the
/// campaign exists), sender name and address (a verified domain of the group), reply-to,
/// subject prefix and deduplication. A refused field is shown next to itself, with
/// everything the user typed kept.
class DetailsScreen
{
public:
    DetailsScreen(Wizard& wizard, Campaigns& campaigns, Deliveries& deliveries);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response newForm(const CrmHost::Request& request);  /// GET campaigns/new
    CrmHost::Response create(const CrmHost::Request& request);   /// POST campaigns/new
    CrmHost::Response editForm(const CrmHost::Request& request); /// GET campaigns/{id}/details
    CrmHost::Response update(const CrmHost::Request& request);   /// POST campaigns/{id}/details

private:
    CrmHost::Response form(const CrmHost::Request& request, const Campaign& values, bool exists,
                           const FieldException* error);
    static Campaign fromForm(const CrmHost::Request& request, Campaign campaign, bool exists);

    Wizard& _wizard;
    Campaigns& _campaigns;
    Deliveries& _deliveries;
};
} // namespace MassMailing

#endif
