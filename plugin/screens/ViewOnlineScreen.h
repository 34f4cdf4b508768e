#ifndef MassMailing_ViewOnlineScreen_INCLUDED
#define MassMailing_ViewOnlineScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "CrmHost/TemplateRenderer.h"
#include "audience/Audience.h"
#include "content/Attachments.h"
#include "delivery/TestSend.h"
#include "screens/Routes.h"
#include "tracking/LinkSigner.h"

namespace MassMailing
{
/// The public screen behind a message's "view online" link (C7), /p/massmailing/view/{token}:
/// the message as this recipient received it, in the browser, without a login (the signed token
/// says whose message it is).
class ViewOnlineScreen
{
public:
    static const char* const PATH;
    /// "view/{token}".

    ViewOnlineScreen(const LinkSigner& signer, Campaigns& campaigns, Audience& audience,
                     RecipientDirectory& directory, TestSend& testSend, Attachments& attachments,
                     const CrmHost::TemplateRenderer& templates);
    /// All must outlive the screen.

    Routes routes();
    /// Its public routes: no login, the signed token or the file name is all (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request) const;
    /// The message's HTML as a page of its own, images included. A bad or altered token answers
    /// 400, a campaign or recipient that no longer exists 404, each with a page that says so.

private:
    CrmHost::Response failure(const CrmHost::Request& request, int status,
                              const std::string& messageKey) const;

    const LinkSigner& _signer;
    Campaigns& _campaigns;
    Audience& _audience;
    RecipientDirectory& _directory;
    TestSend& _testSend;
    Attachments& _attachments;
    const CrmHost::TemplateRenderer& _templates;
};
} // namespace MassMailing

#endif
