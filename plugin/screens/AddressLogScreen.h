#ifndef MassMailing_AddressLogScreen_INCLUDED
#define MassMailing_AddressLogScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Suppressions.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include "tracking/AddressLog.h"
#include "tracking/PersonalData.h"

namespace MassMailing
{
/// "Why did this person not receive it?" (R5, seed 002): search an address of the group and see
/// every campaign and test it was part of, its suppressions with their dates, and whether it is
/// still among the group's people; lift a bounce or complaint suppression (with a reason), send
/// a campaign to it again (with a reason). Without an address, the group's suppressions list.
/// Seeing needs massmailing.compose, lifting and sending again massmailing.send; a group's
/// administrator (massmailing.admin) exports the address's data and erases it (X2).
class AddressLogScreen
{
public:
    AddressLogScreen(Wizard& wizard, Campaigns& campaigns, AddressLog& log, Suppressions& suppressions,
                     Deliveries& deliveries, PersonalData& personalData);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET addresses/log[?address=A][&done=lift|resend][&page=N]

    CrmHost::Response submit(const CrmHost::Request& request);
    /// POST addresses/log: action "lift" (address, reason) or "resend" (id: the campaign, row,
    /// address, reason).

    CrmHost::Response exportData(const CrmHost::Request& request);
    /// GET addresses/export?address=A&format=json|csv: what the module holds about the address
    /// (X2), a download. massmailing.admin.

    CrmHost::Response erase(const CrmHost::Request& request);
    /// POST addresses/erase (address, confirm: the address typed again). massmailing.admin.

    static std::string href(long groupId, const std::string& address);
    /// The page of one address: "/g/12/massmailing/addresses/log?address=..." (URL-encoded).

private:
    CrmHost::Response render(const CrmHost::Request& request, const std::string& address, int status,
                             const std::string& error, const std::string& errorField);

    Wizard& _wizard;
    Campaigns& _campaigns;
    AddressLog& _log;
    Suppressions& _suppressions;
    Deliveries& _deliveries;
    PersonalData& _personalData;
};
} // namespace MassMailing

#endif
