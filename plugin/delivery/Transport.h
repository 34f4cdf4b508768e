#ifndef MassMailing_Transport_INCLUDED
#define MassMailing_Transport_INCLUDED

#include "delivery/Envelope.h"
#include <memory>
#include <string>
#include <vector>

namespace MassMailing
{
class TransportException;

/// Where the delivery stage hands a written message over: the outbox folder, an SMTP
/// server, an HTTP sending API. A transport only carries bytes; it decides nothing about
/// retries, which the caller does from the TransportException it gets.
class Transport
{
public:
    /// One message of a batch (an HTTP sending API takes several in one call).
    struct Parcel
    {
        long campaignId = 0;
        long row = 0; /// mm_recipients.id: the API's own id of the message (Mailjet's CustomID).
        Envelope envelope;
        std::string message; /// As for send().
    };

    /// What became of one parcel of a batch: accepted when refusal is null.
    struct Answer
    {
        std::shared_ptr<TransportException> refusal;
        bool accepted() const { return !refusal; }
    };

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

    virtual std::size_t batchSize() const;
    /// How many messages sendBatch() takes at once; 1 (the default): the caller uses send().

    virtual std::vector<Answer> sendBatch(const std::vector<Parcel>& parcels);
    /// Hands over up to batchSize() messages in one call and returns one answer per parcel,
    /// in order (a partial success: some accepted, others refused with their own reason).
    /// Throws TransportException when the call as a whole failed: nothing was accepted, or,
    /// when inDoubt(), the answer was lost after the call went out (any may have been
    /// accepted: reconcile() tells). The default sends each with send().

    virtual bool reconciles() const;
    /// Whether reconcile() can say what became of the messages of a lost answer; false by default.

    virtual std::vector<bool> reconcile(const std::vector<long>& rows);
    /// For each row (Parcel::row) of a batch whose answer was lost, whether the service holds
    /// a message of it (it was accepted). Throws TransportException when the service cannot
    /// be asked, and Poco::NotImplementedException when reconciles() is false.
};
} // namespace MassMailing

#endif
