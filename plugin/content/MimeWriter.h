#ifndef MassMailing_MimeWriter_INCLUDED
#define MassMailing_MimeWriter_INCLUDED

#include "content/MailMessage.h"
#include <ctime>
#include <string>

namespace MassMailing
{
/// Writes a MailMessage as the bytes of an RFC 5322 message, lines ended by CRLF:
/// multipart/mixed (attachments) > multipart/related (inline images) >
/// multipart/alternative (text/plain, then text/html), each level only when needed.
/// Text parts are quoted-printable UTF-8, binary parts base64; display names and the
/// subject use RFC 2047 encoded words when they are not ASCII; header lines are folded
/// to 78 characters where possible and never exceed 998.
///
/// A writer keeps a little state (a cached Date, a scratch buffer, random bytes for the
/// Message-IDs and boundaries): use one per thread.
/// It is meant to be called once per recipient, so it appends into one reserved string.
class MimeWriter
{
public:
    static const std::size_t DEFAULT_SIZE_LIMIT = 26214400;
    /// 25 MB: the largest message most providers accept (C3).

    explicit MimeWriter(std::size_t sizeLimit = DEFAULT_SIZE_LIMIT);

    MimeWriter(const MimeWriter& other);
    MimeWriter& operator=(const MimeWriter& other);
    /// The limit only: a copy draws random bytes of its own (two writers never share a Message-ID).

    std::string write(MailMessage& message);
    /// Sets message.messageId ("<random@sender-domain>") and message.date, then returns the
    /// message's bytes. Throws HeaderInjectionException when a name, the subject, an
    /// address, a header value, a content ID or a file name holds a CR or LF (the message
    /// names the field), InvalidAddressException for an address that cannot be written,
    /// Poco::InvalidArgumentException for a message without sender or recipient, a header
    /// MimeWriter writes itself or an invalid content type, and MessageTooLargeException
    /// when the result is larger than the limit.

    void write(MailMessage& message, std::string& out);
    /// As write(message), into out (cleared first), so that a caller sending many messages
    /// reuses one buffer.

    std::size_t size(const MailMessage& message);
    /// The number of bytes write() produces for this message (without DKIM signature),
    /// whatever the limit. Throws as write() does, except MessageTooLargeException.

    void checkSize(const MailMessage& message);
    /// Throws MessageTooLargeException ("the message is 26.3 MB; the limit is 25 MB") when
    /// the written message would be larger than the limit: for the composition screen, to
    /// say it before sending.

    std::size_t sizeLimit() const { return _sizeLimit; }

private:
    void writeMessage(const MailMessage& message, const std::string& messageId, const std::string& date,
                      const std::string& boundary, std::string& out) const;
    const std::string& currentDate();
    void randomHex(std::string& out, std::size_t bytes);

    std::size_t _sizeLimit;
    std::time_t _dateSecond = 0;
    std::string _date;
    std::string _scratch;
    unsigned char _random[4096];
    std::size_t _randomUsed = sizeof _random; // none left: fetched at the first message
};
} // namespace MassMailing

#endif
