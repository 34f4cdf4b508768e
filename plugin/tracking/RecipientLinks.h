#ifndef MassMailing_RecipientLinks_INCLUDED
#define MassMailing_RecipientLinks_INCLUDED

#include "LinkSigner.h"
#include <string>

namespace MassMailing
{
/// The personal links of one message, signed so that they cannot be forged: the
/// unsubscribe link (footer and List-Unsubscribe header, RFC 8058 one-click) and the
/// "view online" link (C7). The message is personalised with them once per recipient.
class RecipientLinks
{
public:
    static const char* const UNSUBSCRIBE_PATH;
    /// "unsubscribe/": public path of the unsubscribe screen, followed by the token.

    static const char* const VIEW_ONLINE_PATH;
    /// "view/": public path of the "view online" screen, followed by the token.

    RecipientLinks(const LinkSigner& signer, std::string publicBase);
    /// publicBase is ModuleContext::publicUrl(""): the absolute URL the public paths follow
    /// ("https://crm.example/p/massmailing/"). The signer must outlive this object.

    std::string unsubscribeUrl(long groupId, long campaignId, long recipientId,
                               const std::string& address) const;
    /// The absolute URL that unsubscribes the address from the group's messages: the
    /// footer's link, and the URL of List-Unsubscribe (with List-Unsubscribe-Post:
    /// List-Unsubscribe=One-Click). A GET shows a confirmation; a POST unsubscribes.
    /// Throws Poco::InvalidArgumentException as LinkSigner::sign() does.

    std::string viewOnlineUrl(long campaignId, long recipientId, const std::string& address) const;
    /// The absolute URL of the message as this recipient, at this address, received it.
    /// Throws Poco::InvalidArgumentException as LinkSigner::sign() does.

    std::string testUnsubscribeUrl(long groupId, long campaignId) const;
    std::string testViewOnlineUrl(long campaignId, long recipientId, const std::string& address) const;
    /// The links of a test message (C9), filled with a sample recipient's values, marked as a
    /// test's (LinkToken::test): the unsubscribe link names nobody and changes nothing (the
    /// screen says so), the "view online" link shows the sample's message with such links
    /// again. A test sent to an outside address thus never unsubscribes the sample member.

private:
    const LinkSigner& _signer;
    std::string _publicBase;
};
} // namespace MassMailing

#endif
