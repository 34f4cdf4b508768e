#ifndef MassMailing_MailMessage_INCLUDED
#define MassMailing_MailMessage_INCLUDED

#include "content/MailAddress.h"
#include <string>
#include <vector>

namespace MassMailing
{
/// The data of one email, before it is written: addresses, subject, the two bodies,
/// attachments, inline images and extra headers. Plain data: MimeWriter validates and
/// encodes it. For a campaign, keep one MailMessage and change only what depends on the
/// recipient (to, html, text, List-Unsubscribe), so attachments are not copied each time.
struct MailMessage
{
    /// A file attached to the message.
    struct Attachment
    {
        std::string filename;    /// UTF-8; written with RFC 2231 when not ASCII
        std::string contentType; /// "application/pdf"; empty means application/octet-stream
        std::string bytes;
    };

    /// An image shown in the HTML body, which refers to it as "cid:<contentId>".
    struct InlineImage
    {
        std::string contentId; /// without angle brackets: "logo@amap.example"
        std::string filename;
        std::string contentType; /// "image/png"
        std::string bytes;
    };

    /// A header MimeWriter does not produce itself: List-Unsubscribe, List-Unsubscribe-Post,
    /// Feedback-ID, Precedence...
    struct Header
    {
        std::string name;
        std::string value;
    };

    MailAddress from;
    MailAddress replyTo; /// empty: no Reply-To header
    std::vector<MailAddress> to;
    std::string subject; /// UTF-8
    std::string html;    /// UTF-8 HTML document or fragment; empty: text only
    std::string text;    /// UTF-8 plain text; empty: HTML only
    std::vector<Attachment> attachments;
    std::vector<InlineImage> inlineImages;
    std::vector<Header> headers;

    std::string messageId; /// "<...@sender-domain>", set by MimeWriter::write()
    std::string date;      /// RFC 5322 date, set by MimeWriter::write()

    void setHeader(const std::string& name, const std::string& value);
    /// Sets the header, replacing one of the same name (compared without case).

    const std::string* header(const std::string& name) const;
    /// The value of the header of that name (compared without case), or null.

    void removeHeader(const std::string& name);
    /// Removes every header of that name (compared without case).
};
} // namespace MassMailing

#endif
