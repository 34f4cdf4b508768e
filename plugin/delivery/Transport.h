#ifndef MassMailing_Transport_INCLUDED
#define MassMailing_Transport_INCLUDED

#include "delivery/Envelope.h"
#include <string>

namespace MassMailing
{
/// Where the delivery stage hands a written message over: the outbox folder, an SMTP
/// server, an HTTP sending API. A transport only carries bytes; it decides nothing about
/// retries, which the caller does from the TransportException it gets.
class Transport
{
public:
    virtual ~Transport();

    virtual void send(const Envelope& envelope, const std::string& message) = 0;
    /// Hands over one message: message holds the full RFC 5322 bytes, lines ended by CRLF
    /// (MimeWriter's output, signed or not). Returns once the message was accepted (the
    /// server said 250, the file is in place). Throws Poco::InvalidArgumentException for an
    /// envelope that Envelope::check() refuses, and TransportException when the message was
    /// not accepted: temporary() says whether trying again later may succeed.

    virtual void prepare(const Envelope& envelope, const std::string& message);
    /// Optionally starts the next send(envelope, message) ahead: an SMTP transport writes the
    /// envelope (MAIL FROM, RCPT TO, DATA) now and the message's bytes only in send(), so that
    /// the caller can record the message in flight while the server answers. Never throws;
    /// does nothing by default. Call send() with the same envelope next, or abandon().

    virtual void abandon();
    /// Gives up a prepared message without sending it (an SMTP transport closes the
    /// connection, so the server discards the transaction). Never throws.

    virtual std::string messageId() const;
    /// The id the receiving service gave the message of the last send() that returned (an
    /// SMS gateway's or a sending API's message id), for its delivery reports; "" when it
    /// gives none (the default).
};
} // namespace MassMailing

#endif
