#ifndef MassMailing_DeliveryReport_INCLUDED
#define MassMailing_DeliveryReport_INCLUDED

#include <Poco/DateTime.h>
#include <cstddef>
#include <string>
#include <vector>

namespace MassMailing
{
/// What a received message says about a message we sent (R3, A8): a delivery status
/// notification (RFC 3464 multipart/report with message/delivery-status, as Postfix, Exim,
/// Sendmail, Exchange and Gmail send them), a plain-text bounce quoting the original (qmail,
/// Exim without DSN, "Mail Delivery Subsystem" texts), a feedback-loop report (RFC 5965), or
/// an auto-reply (RFC 3834) that is none of these. It only reads: what it names is checked and
/// recorded by Bounces.
struct DeliveryReport
{
    enum class Kind
    {
        HardBounce,   /// A permanent failure (5.x.x).
        SoftBounce,   /// A temporary one (4.x.x, or Action: delayed).
        AutoReply,    /// "Out of office" and the like: not a bounce.
        Complaint,    /// A feedback report of type abuse: the person marked it as spam.
        NotUnderstood /// None of these, or one that names no message of ours: reason says why.
    };

    /// One recipient the report speaks of.
    struct Recipient
    {
        std::string finalRecipient; /// The address, without its "rfc822;" type.
        std::string action;         /// failed, delayed, delivered, relayed, expanded (lower case).
        std::string status;         /// "5.1.1"; derived from the diagnostic's reply code when missing.
        std::string diagnostic;     /// The server's text, without its "smtp;" type.
        std::string token;          /// The bounce token (BounceAddress) of the message it is about, or "".

        bool hard() const;
        /// The status says a permanent failure (5.x.x).

        std::string detail() const;
        /// What a row keeps as the server's text: "5.1.1 550 5.1.1 <x@example.net>: User unknown".
    };

    static constexpr std::size_t MAX_BYTES = 2 * 1024 * 1024;
    /// Only the first 2 MB of a message are read: a report is far smaller, a message that
    /// is larger cannot make the reader use more.

    Kind kind = Kind::NotUnderstood;
    std::string format;       /// How it was read: "dsn", "arf", "qmail", "text", "auto-reply", "".
    std::string reason;       /// Why it was not understood; empty otherwise.
    std::string feedbackType; /// Of a feedback report: "abuse", "fraud", ...
    std::string subject;
    Poco::DateTime at;        /// Its Date header (UTC), else receivedAt.
    std::string token;        /// The bounce token it names (envelope recipient first), or "".
    std::vector<Recipient> recipients;

    static DeliveryReport read(const std::string& message, const std::vector<std::string>& envelopeRecipients,
                               const Poco::DateTime& receivedAt);
    /// Classifies a received message (its first MAX_BYTES); envelopeRecipients are its RCPT TO
    /// addresses ("bounce+TOKEN@domain"). Never throws for what the message holds: what cannot
    /// be read makes it NotUnderstood, with the reason.

    static std::string kindName(Kind kind);
    /// "hard bounce", "soft bounce", "auto-reply", "complaint", "not understood".
};
} // namespace MassMailing

#endif
