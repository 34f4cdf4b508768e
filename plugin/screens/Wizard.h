#ifndef MassMailing_Wizard_INCLUDED
#define MassMailing_Wizard_INCLUDED

#include "CrmHost/Screen.h"
#include "CrmHost/TemplateRenderer.h"
#include "Rights.h"
#include "content/Campaigns.h"
#include "content/ContentException.h"
#include "screens/CampaignDoor.h"
#include <map>
#include <string>

namespace MassMailing
{
/// What the pages of the campaign wizard share (details, composition, recipients, preview and
/// test, send): the campaign of the URL, the steps bar, the page frame, and the user's words for
/// the stages' errors and for sizes, dates, statuses and recipient types.
class Wizard
{
public:
    Wizard(const CrmHost::TemplateRenderer& templates, Campaigns& campaigns);

    Campaign campaignOf(const CrmHost::Request& request, const std::string& right = Rights::COMPOSE);
    /// The campaign of the {id} in the path, through the one door (CampaignDoor::open), with
    /// its refusals in the user's words. Throws CrmHost::RequestError 404 or 403.

    static std::string base(const CrmHost::Request& request);
    /// "/g/12/massmailing/": the module's home in the URL's group.

    static std::string campaignBase(const CrmHost::Request& request, long campaignId);
    /// "/g/12/massmailing/campaigns/7/".

    CrmHost::Response page(const CrmHost::Request& request, const std::string& name, mstch::map context,
                           const std::string& title, int step = 0, const Campaign* campaign = nullptr,
                           int status = 200) const;
    /// Renders templates/massmailing/<name>.mustache inside the host's layout; the context
    /// gets "csrf", "base", the stylesheet, and with a step (1 to 5: details, composition,
    /// recipients, preview and test, send) the steps bar ("steps").

    std::string text(const std::string& key, const CrmHost::Request& request,
                     const std::map<std::string, std::string>& values = {}) const;
    /// The catalogue's text for key in the request's language, with {name} replaced by values.

    std::string errorText(const FieldException& error, const CrmHost::Request& request) const;
    /// The catalogue's words for the error (massmailing.error.<field>.<code>, else
    /// massmailing.error.<code>), or the stage's own message when the catalogue has none.

    std::string sizeText(const MessageTooLargeException& error, const CrmHost::Request& request) const;
    /// "The message is 26.3 MB; the limit is 25 MB." in the request's language.

    std::string statusText(const std::string& status, const CrmHost::Request& request) const;
    std::string recipientTypeText(const std::string& type, const CrmHost::Request& request) const;
    static std::string dateText(const std::string& stored, const std::string& locale);
    /// "2025-03-04 08:05:00" (UTC) as "04/03/2025 08:05" in French, "2025-03-04 08:05" in English.
    std::string bytesText(std::size_t bytes, const CrmHost::Request& request) const;
    /// "850 bytes", "12 KB", "1.4 MB" (in French: "octets", "Ko", "Mo").

private:
    const CrmHost::TemplateRenderer& _templates;
    CampaignDoor _door;
};
} // namespace MassMailing

#endif
