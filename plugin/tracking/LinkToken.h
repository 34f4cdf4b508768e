#ifndef MassMailing_LinkToken_INCLUDED
#define MassMailing_LinkToken_INCLUDED

#include <string>

namespace MassMailing
{
/// What a personal link is for. A token signed for one purpose is refused for another.
enum class LinkPurpose : unsigned char
{
    Unsubscribe = 1, /// Leave a group's messages (the footer link and List-Unsubscribe).
    ViewOnline = 2,  /// Read a message in the browser (C7).
    Open = 3,        /// The message's 1x1 image: an open (R3).
    Click = 4        /// One link of the message, through the module's redirect: a click (R3).
};

/// What a personal link in a message carries, signed by LinkSigner so that nobody can make
/// one up or change it: whose link it is, for which group and campaign, and what it does.
/// Ids are 0 when they do not apply (no group in a "view online" link). In an open or a click
/// token recipientId is the recipient's row (mm_recipients.id, 0 in a test message), and a
/// click token names its link (mm_links.id; 0 is the hidden trap link no person can see).
struct LinkToken
{
    LinkPurpose purpose = LinkPurpose::Unsubscribe;
    long groupId = 0;
    long campaignId = 0;
    long recipientId = 0;
    std::string address; /// The recipient's address as it was sent to; empty when it does not apply.
    bool test = false;   /// A link of a test message (C9): it shows, and changes nothing for anyone.
    long linkId = 0;     /// A click token's mm_links.id; signed only in click tokens.

    bool operator==(const LinkToken& other) const;
    bool operator!=(const LinkToken& other) const { return !(*this == other); }

    static std::string purposeName(LinkPurpose purpose);
    /// "unsubscribe", "view online", "open" or "click", for messages.
};
} // namespace MassMailing

#endif
