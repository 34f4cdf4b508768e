#ifndef MassMailing_PushSender_INCLUDED
#define MassMailing_PushSender_INCLUDED

#include "push/PushSubscription.h"
#include "push/Vapid.h"
#include <Poco/Net/Context.h>
#include <Poco/Timestamp.h>
#include <functional>
#include <string>

namespace MassMailing
{
/// What a push service answered one message.
struct PushAnswer
{
    enum Kind
    {
        Sent,   /// 201 (or another 2xx): the service took it.
        Gone,   /// 404, 410: the subscription expired or was withdrawn; remove it.
        Retry,  /// 429, 5xx, or no answer: try again later (retryAfterSeconds when it said).
        Refused /// Another 4xx (400 bad request, 413 too large, 403 key mismatch): sending again won't help.
    };
    Kind kind = Refused;
    int status = 0;             /// The HTTP status; 0 when there was no answer.
    int retryAfterSeconds = -1; /// From Retry-After (seconds or an HTTP date); -1 when absent.
    std::string detail;         /// The status line or the connection's error, for the row's reason.
};

/// Sends one encrypted message to one subscription (RFC 8030 section 5): POST to its endpoint
/// with TTL, Urgency, Content-Encoding: aes128gcm and the VAPID Authorization, over HTTPS
/// (Poco's HTTPSClientSession, the certificate verified), or HTTP to a loopback stand-in.
class PushSender
{
public:
    struct Settings
    {
        int ttlSeconds = 4 * 7 * 24 * 3600; /// How long the service keeps it for an offline browser.
        std::string urgency = "normal";     /// very-low, low, normal, high (RFC 8030 section 5.3).
        int timeoutSeconds = 30;
        bool verifyCertificate = true;
        bool loopbackAllowed = false; /// http to 127.0.0.1 (PushSubscription::checkEndpoint).
    };

    PushSender(const Vapid& vapid, Settings settings, std::function<Poco::Timestamp()> clock);
    /// Throws Poco::Net::SSLException when the TLS context (the system's CA store) cannot be made.

    PushAnswer send(const PushSubscription& subscription, const std::string& payload) const;
    /// Encrypts payload (PushEncryption) for the subscription and posts it. Never throws for what
    /// the network or the service does (a Retry answer); throws FieldException for an endpoint
    /// PushSubscription::checkEndpoint refuses and Poco::InvalidArgumentException for a payload
    /// too long.

    static int retryAfter(const std::string& header, const Poco::Timestamp& now);
    /// Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); -1 when absent
    /// or unreadable.

    static PushAnswer::Kind kindOf(int status);

private:
    const Vapid& _vapid;
    Settings _settings;
    std::function<Poco::Timestamp()> _clock;
    Poco::Net::Context::Ptr _context; // TLS, made once: loading the CA store per message is slow
};
} // namespace MassMailing

#endif
