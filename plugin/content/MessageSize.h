#ifndef MassMailing_MessageSize_INCLUDED
#define MassMailing_MessageSize_INCLUDED

#include "content/Attachments.h"
#include "content/Campaigns.h"
#include <cstddef>

namespace MassMailing
{
/// The size of a campaign's message as MimeWriter writes it (C3), to say before anything is
/// sent that it is over the limit: "the message is 26.3 MB; the limit is 25 MB".
class MessageSize
{
public:
    MessageSize(Campaigns& campaigns, Attachments& attachments);

    std::size_t of(const Campaign& campaign);
    /// Bytes of one recipient's message, of its largest language version: headers, both bodies with the
    /// footer, attachments and inline images (a recipient's values and links change it by a few bytes only).
    /// Throws Poco::SyntaxException for a malformed mustache tag in the texts.

    void check(const Campaign& campaign);
    /// Throws MessageTooLargeException when of(campaign) is over MimeWriter's limit.

    static std::size_t limit();
    /// MimeWriter::DEFAULT_SIZE_LIMIT: 25 MB.

private:
    Campaigns& _campaigns;
    Attachments& _attachments;
};
} // namespace MassMailing

#endif
