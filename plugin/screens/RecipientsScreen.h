#ifndef MassMailing_RecipientsScreen_INCLUDED
#define MassMailing_RecipientsScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "audience/AudienceLoads.h"
#include "content/Campaigns.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>

namespace MassMailing
{
/// Step 3 of the wizard, "Recipients" (A1, A3, A5–A11): load the group's targets one after
/// another (their union), exclude a target or the recipients of an earlier campaign, hold out
/// a control group; the summary of "Calculer" with the rows left out by reason; the rows, a page
/// at a time, each with its checkbox; addresses typed by hand and CSV imports, each refused
/// line reported with its number; people without a valid address listed but not selectable.
///
/// Every change goes to the audience stage, which resolves the audience again; the page shows
/// what it says.
class RecipientsScreen
{
public:
    RecipientsScreen(Wizard& wizard, Campaigns& campaigns, Audience& audience, AudienceLoads& loads,
                     std::function<long()> monthlyLimit);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET campaigns/{id}/recipients[?list=planned|REASON][&page=N][&done=ACTION]

    CrmHost::Response submit(const CrmHost::Request& request);
    /// POST campaigns/{id}/recipients: the "action" (load, exclude, exclude_campaign,
    /// control_group, checks, add, import, calculate, clear), or the per-item buttons
    /// "remove" (an address) and "remove_source" (a loaded or excluded source).

    CrmHost::Response load(const CrmHost::Request& request);
    /// GET campaigns/{id}/recipients/load: where the campaign's load stands, in JSON (state,
    /// step, stepText, rows, done, total), polled by the page while it runs.

    static std::string targetValue(const CrmHost::Target& target);
    /// The option value that names a target and its params: "members.catalogue_buyers?catalogue=3&...".

private:
    struct Outcome
    {
        int status = 200;
        std::string notice;
        std::string error;
        std::string addressesError;
        std::string importError;
        std::string typed; /// The typed addresses to show again: the refused lines.
        bool hasReport = false;
        CsvReport report;
        std::string reportTitle;
    };

    CrmHost::Response render(const CrmHost::Request& request, const Campaign& campaign,
                             const Outcome& outcome);
    void applyChecks(const CrmHost::Request& request, const AudienceOwner& owner);
    std::string reportLine(const CsvRefusal& refusal, const CrmHost::Request& request) const;
    std::string targetLabel(const std::string& key, const std::map<std::string, std::string>& params,
                            const CrmHost::Request& request) const;
    std::string reasonText(const std::string& reason, const CrmHost::Request& request) const;
    static std::string listHref(const CrmHost::Request& request, long campaignId, const std::string& list,
                                long page);
    static std::string profileHref(const CrmHost::Request& request, const AudienceRow& row);

    Wizard& _wizard;
    Campaigns& _campaigns;
    Audience& _audience;
    AudienceLoads& _loads;
    std::function<long()> _monthlyLimit;
};
} // namespace MassMailing

#endif
