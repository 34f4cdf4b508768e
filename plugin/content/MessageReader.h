#ifndef MassMailing_MessageReader_INCLUDED
#define MassMailing_MessageReader_INCLUDED

#include <cstddef>
#include <string>
#include <vector>

namespace MassMailing
{
/// A written message read back (the outbox screen shows it): headers, the two bodies, files.
struct ReadMessage
{
    struct Header
    {
        std::string name;
        std::string value; /// Unfolded, RFC 2047 encoded words decoded.
    };

    struct File
    {
        std::string contentType;
        std::string filename;
        std::string contentId; /// Without angle brackets; empty for an attachment.
        std::string bytes;     /// Decoded.
    };

    std::vector<Header> headers; /// The message's own headers, in order.
    std::string text;            /// The first text/plain part, decoded (UTF-8 as written), lines ended by LF.
    std::string html;            /// The first text/html part, decoded, lines ended by LF.
    std::vector<File> files;     /// Attachments and inline images.
    bool tooDeep = false;        /// Parts nested deeper than MessageReader::MAX_DEPTH were left unread.

    std::string header(const std::string& name) const;
    /// The first header of that name (compared without case), or "".

    std::string htmlWithImages() const;
    /// The HTML with "cid:..." of the inline images replaced by data: URIs, to show it alone.
};

/// Reads the RFC 5322 messages MimeWriter writes (and most others): nested multiparts,
/// quoted-printable and base64 parts, RFC 2231 file names. Never throws for a malformed
/// message: what cannot be read is left out.
class MessageReader
{
public:
    static const int MAX_DEPTH = 10; /// How deep multiparts are read; deeper ones are left (tooDeep).

    static ReadMessage read(const std::string& bytes);

    static std::string headOf(const std::string& path, std::size_t maxBytes = 65536);
    /// The first bytes of a message file, up to the end of its headers. Throws
    /// Poco::FileException when the file cannot be read.

    static std::string header(const std::string& head, const std::string& name);
    /// The value of the first header of that name in a message's head, unfolded and decoded.
};
} // namespace MassMailing

#endif
