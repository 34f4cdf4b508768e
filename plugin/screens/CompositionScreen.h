#ifndef MassMailing_CompositionScreen_INCLUDED
#define MassMailing_CompositionScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "content/Attachments.h"
#include "content/Campaigns.h"
#include "content/MessageSize.h"
#include "content/PreviousMessages.h"
#include "content/Templates.h"
#include "delivery/Deliveries.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// Step 2 of the wizard, "Composition" (C2-C4, C8, C10): the subject and the body, started
/// from a saved template, a blank page or pasted HTML (expert mode); the rich-text editor
/// (Quill, served by AssetScreen) with a variable picker; images and attachments with the
/// message's size against the 25 MB limit; reuse of a previous message; save as template;
/// other language versions (C11), each a subject and an HTML body, and one to force.
///
/// The page is one multipart form, so that whatever button is pressed, what was typed is
/// saved first and never lost; the button's "action" says what to do next.
class CompositionScreen
{
public:
    CompositionScreen(Wizard& wizard, Campaigns& campaigns, Deliveries& deliveries, Attachments& attachments,
                      Templates& templates, PreviousMessages& previous, MessageSize& size);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET campaigns/{id}/composition[?mode=editor|html]

    CrmHost::Response submit(const CrmHost::Request& request);
    /// POST campaigns/{id}/composition: saves the subject and the body (FieldException shown
    /// next to its field), then does the "action": save, preview, details, upload, remove,
    /// use_template, blank, reuse, save_template, mode_html, mode_editor, add_version,
    /// remove_version.

    CrmHost::Response file(const CrmHost::Request& request);
    /// GET campaigns/{id}/files/{file}: an uploaded file, for the editor to show an image.

private:
    struct Problem
    {
        std::string field; /// "subject", "html", "file", "reuse", "template", "forced_locale",
                           /// "versions[N].subject" (...), "" (on top)
        std::string text;
    };

    CrmHost::Response render(const CrmHost::Request& request, const Campaign& campaign,
                             const std::string& mode, const std::string& notice, const Problem& problem,
                             bool typed);
    /// typed: the subject and body are the user's input of a refused POST, shown as they are.
    void act(const CrmHost::Request& request, const std::string& action, Campaign& campaign);
    std::vector<CampaignVersion> versionsFrom(const CrmHost::Request& request, const Campaign& stored);
    /// The language versions of the form (version_N_locale, _subject, _html), their HTML with
    /// cid: references; the plain text of each is the stored one of its locale.
    mstch::array versionsContext(const CrmHost::Request& request, const Campaign& campaign,
                                 const Problem& problem, bool typed);
    mstch::array forcedChoices(const CrmHost::Request& request, const Campaign& campaign);
    /// The choices of "force one version": none, then fr, en and the locale of each version.
    static std::string filesUrl(const CrmHost::Request& request, long campaignId);

    Wizard& _wizard;
    Campaigns& _campaigns;
    Deliveries& _deliveries;
    Attachments& _attachments;
    Templates& _templates;
    PreviousMessages& _previous;
    MessageSize& _size;
};
} // namespace MassMailing

#endif
