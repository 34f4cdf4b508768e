#ifndef MassMailing_Composer_INCLUDED
#define MassMailing_Composer_INCLUDED

#include "audience/Recipient.h"
#include "content/Campaign.h"
#include "content/MailMessage.h"
#include "content/MessageFiles.h"
#include "content/Personalizer.h"
#include "content/TrackedLinks.h"
#include <functional>
#include <set>

namespace MassMailing
{
/// The signed links of one recipient's message, made by the tracking stage.
struct MessageLinks
{
    std::string unsubscribe; /// One-click URL (RFC 8058), also the footer's link.
    std::string viewOnline;
    TrackingLinks tracking = {}; /// Opens and clicks; empty (links as written, no image) when off.
};

/// Turns a campaign into each recipient's message. Built once per campaign: the texts are
/// prepared (Personalizer), the plain text is generated from the HTML when the campaign has
/// none, and the footer with the unsubscribe and "view online" links is added when the
/// body does not place them itself.
class Composer
{
public:
    Composer(const Campaign& campaign, const mstch::map& campaignValues,
             const std::function<std::string(const std::string&)>& translate, MessageFiles files = {});
    /// campaignValues: the values that are the same for every recipient (group_name, ...).
    /// translate: catalogue text for a key in the message's language (the footer's words).
    /// files: the campaign's attachments and inline images (Attachments::files()).

    MailMessage compose(const Recipient& recipient, const MessageLinks& links,
                        const std::string& recipientToken = "", const RecipientLists& lists = {}) const;
    /// The message for one recipient, addressed to recipient.email, with List-Unsubscribe,
    /// List-Unsubscribe-Post and Feedback-ID headers, X-MM-Recipient naming recipientToken
    /// (the bounce address's, BounceAddress) when there is one, and a copy of the files. With
    /// links.tracking on, the HTML's and the text's links go through the redirect and the
    /// HTML gets the open image (TrackedLinks); the unsubscribe and "view online" links stay.
    /// lists: the recipient's lists (Campaigns::orderLines), for the texts' sections.

    bool uses(const std::string& variable) const;
    /// Whether the subject or a body names the variable, so that a caller reads what fills it
    /// only for the campaigns that need it.

private:
    Campaign _campaign;
    MessageFiles _files;
    Personalizer _subject;
    Personalizer _html;
    Personalizer _text;
    std::set<std::string> _used; /// The variables the texts name.
};
} // namespace MassMailing

#endif
