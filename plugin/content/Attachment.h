#ifndef MassMailing_Attachment_INCLUDED
#define MassMailing_Attachment_INCLUDED

#include <cstddef>
#include <string>

namespace MassMailing
{
/// A file uploaded for a campaign (table mm_attachments): attached to the message, or an
/// image shown in the body (inlineId set). The bytes are a file in the module's data folder.
struct Attachment
{
    long id = 0;
    long campaignId = 0;
    std::string filename;    /// UTF-8, without any folder.
    std::string contentType; /// "application/pdf", "image/png"...
    std::size_t size = 0;    /// Bytes of the file.
    std::string inlineId;    /// Content-ID the body refers to as "cid:..."; empty: an attachment.
    std::string createdAt;

    bool isInline() const { return !inlineId.empty(); }
};
} // namespace MassMailing

#endif
