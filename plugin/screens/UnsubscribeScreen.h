#ifndef MassMailing_UnsubscribeScreen_INCLUDED
#define MassMailing_UnsubscribeScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "CrmHost/TemplateRenderer.h"
#include "audience/Suppressions.h"
#include "screens/Routes.h"
#include "tracking/LinkSigner.h"
#include "tracking/Unsubscribes.h"
#include <optional>

namespace MassMailing
{
/// The public screens behind a message's unsubscribe link, /p/massmailing/unsubscribe/{token}
/// (no login: the signed token says whose link it is). A GET only asks for confirmation, so
/// that link scanners following it unsubscribe nobody; a POST unsubscribes. The link of a test
/// message (LinkToken::test) changes nothing and says so, whatever is asked of it.
class UnsubscribeScreen
{
public:
    static const char* const PATH;
    /// "unsubscribe/{token}": GET confirm(), POST unsubscribe().

    static const char* const RESUBSCRIBE_PATH;
    /// "unsubscribe/{token}/resubscribe": POST resubscribe().

    UnsubscribeScreen(const LinkSigner& signer, const Suppressions& suppressions,
                      const CrmHost::TemplateRenderer& templates, const Unsubscribes& unsubscribes);
    /// All four must outlive the screen. Unsubscribes records the unsubscription, counted for
    /// the link's campaign (X1).

    Routes routes();
    /// Its public routes: no login, the signed token or the file name is all (see Routes.h).

    CrmHost::Response confirm(const CrmHost::Request& request) const;
    /// GET: a page naming the group and the address, with a button that POSTs; when the
    /// address has already left the group, the page that says so, with a resubscribe button.
    /// Changes nothing. A bad or altered token answers 400, an unknown group 404.

    CrmHost::Response unsubscribe(const CrmHost::Request& request) const;
    /// POST: records the unsubscription. From the page's button (method "link"): a page that
    /// says no more of the group's messages will come, with a resubscribe button. With the
    /// form field List-Unsubscribe=One-Click (RFC 8058, method "one-click"): 200 and a short
    /// plain text. A bad or altered token answers 400, an unknown group 404.

    CrmHost::Response resubscribe(const CrmHost::Request& request) const;
    /// POST: takes the unsubscription back (only the person holds the link) and says so.
    /// A bad or altered token answers 400, an unknown group 404.

private:
    std::optional<LinkToken> verified(const CrmHost::Request& request) const;
    CrmHost::Response page(const CrmHost::Request& request, const std::string& name, mstch::map context,
                           int status = 200) const;
    CrmHost::Response failure(const CrmHost::Request& request, int status,
                              const std::string& messageKey) const;
    CrmHost::Response testMessage(const CrmHost::Request& request, bool oneClick) const;
    /// The answer to any use of a test message's link: 200, "nothing was changed".
    CrmHost::Response plainText(const CrmHost::Request& request, int status, const std::string& key) const;

    const LinkSigner& _signer;
    const Suppressions& _suppressions;
    const CrmHost::TemplateRenderer& _templates;
    const Unsubscribes& _unsubscribes;
};
} // namespace MassMailing

#endif
