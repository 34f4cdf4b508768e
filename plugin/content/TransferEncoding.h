#ifndef MassMailing_TransferEncoding_INCLUDED
#define MassMailing_TransferEncoding_INCLUDED

#include <string>

namespace MassMailing
{
/// The two content transfer encodings of RFC 2045 a message body needs, appending to a
/// string. Poco's encoders are streams that take one character at a time; these run once
/// per recipient of a campaign, so they write straight into the message's buffer.
class TransferEncoding
{
public:
    static void appendQuotedPrintable(std::string& out, const std::string& text);
    /// Appends text as quoted-printable: lines of at most 76 characters (soft breaks "="),
    /// CRLF, LF or CR alone become a CRLF line break, "=", control and non-ASCII bytes are
    /// encoded, as are spaces and tabs at the end of a line and a "." opening a line (so the
    /// result needs no SMTP dot-stuffing).

    static void appendBase64(std::string& out, const std::string& bytes);
    /// Appends bytes as base64 in lines of 76 characters, each ended by CRLF.

    static std::size_t base64Size(std::size_t bytes);
    /// The number of characters appendBase64() appends for that many bytes.
};
} // namespace MassMailing

#endif
