#ifndef MassMailing_ResultsScreen_INCLUDED
#define MassMailing_ResultsScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "content/Campaigns.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include "tracking/Results.h"

namespace MassMailing
{
/// A campaign's results (R3, R4, A10; seed 004's "Résultats"): the funnel with counts and rates,
/// opens and clicks per hour (an SVG chart and its table), clicks per link, results per domain
/// and per language version, the control group beside the sent group; the page reloads itself
/// while the campaign sends. Its JSON, and the CSV of one line per recipient, streamed.
/// Reading them needs the compose right in the campaign's group (CampaignDoor).
class ResultsScreen
{
public:
    ResultsScreen(Wizard& wizard, Campaigns& campaigns, Results& results);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response page(const CrmHost::Request& request);
    /// GET /g/G/massmailing/campaigns/{id}/results
    CrmHost::Response json(const CrmHost::Request& request);
    /// GET /api/v1/massmailing/campaigns/{id}/results
    CrmHost::Response csv(const CrmHost::Request& request);
    /// GET /api/v1/massmailing/campaigns/{id}/results.csv: text/csv, streamed (Results::writeCsv).
    CrmHost::Response csvPage(const CrmHost::Request& request);
    /// GET /g/G/massmailing/campaigns/{id}/results.csv: the same, for the page's link.

    static const int REFRESH_SECONDS = 30; /// How often the page reloads while the campaign sends.

private:
    CrmHost::Response csvOf(const Campaign& campaign);
    std::string percent(long part, long whole, const CrmHost::Request& request) const;

    Wizard& _wizard;
    CampaignDoor _door;
    Results& _results;
};
} // namespace MassMailing

#endif
