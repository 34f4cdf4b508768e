#ifndef MassMailing_TrackingScreen_INCLUDED
#define MassMailing_TrackingScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "CrmHost/TemplateRenderer.h"
#include "screens/Routes.h"
#include "tracking/CampaignLinks.h"
#include "tracking/EventRecorder.h"
#include "tracking/LinkSigner.h"
#include <functional>

namespace MassMailing
{
/// The public screens behind a message's tracked links (R3), no login: the signed token says
/// whose message and which link. GET and HEAD /p/massmailing/c/{token} record a click and
/// answer 302 to the campaign's link the token names (mm_links, by its id and campaign):
/// never a URL from the request, so no open redirect. GET and HEAD /p/massmailing/o/{token}
/// record an open and answer a 1x1 transparent GIF (the host adds Cache-Control: no-store).
/// A HEAD request, a known proxy or scanner, or the hidden trap link is recorded as a machine
/// (MachineSignals); EventRecorder decides the rest.
class TrackingScreen
{
public:
    static const char* const CLICK_PATH; /// "c/{token}"
    static const char* const OPEN_PATH;  /// "o/{token}"

    TrackingScreen(const LinkSigner& signer, CampaignLinks& links, EventRecorder& recorder,
                   const CrmHost::TemplateRenderer& templates, std::function<Poco::DateTime()> clock);
    /// All four must outlive the screen; clock: the time of a hit (UTC).

    Routes routes();
    /// Its public routes: GET and HEAD of each path.

    CrmHost::Response click(const CrmHost::Request& request) const;
    /// 302 to the link. A bad, cut or changed token, or one whose link the campaign does not
    /// have: 404 and a page that says the link is not valid; nothing recorded. The trap
    /// link: 200, a near-empty page, recorded as a machine's click.

    CrmHost::Response open(const CrmHost::Request& request) const;
    /// The GIF, whatever the token; recorded only when it is an open token this module signed.

    static const std::string& pixel();
    /// The 43 bytes of the 1x1 transparent GIF.

private:
    Hit hitOf(const CrmHost::Request& request, const LinkToken& token, Hit::Kind kind) const;

    const LinkSigner& _signer;
    CampaignLinks& _links;
    EventRecorder& _recorder;
    const CrmHost::TemplateRenderer& _templates;
    std::function<Poco::DateTime()> _clock;
};
} // namespace MassMailing

#endif
