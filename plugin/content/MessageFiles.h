#ifndef MassMailing_MessageFiles_INCLUDED
#define MassMailing_MessageFiles_INCLUDED

#include "content/MailMessage.h"
#include <vector>

namespace MassMailing
{
/// The files a campaign's message carries (C3): attachments, and images the HTML body shows
/// as "cid:...". Read once per campaign by Attachments::files(), given to the Composer.
struct MessageFiles
{
    std::vector<MailMessage::Attachment> attachments;
    std::vector<MailMessage::InlineImage> inlineImages;
};
} // namespace MassMailing

#endif
