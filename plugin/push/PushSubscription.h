#ifndef MassMailing_PushSubscription_INCLUDED
#define MassMailing_PushSubscription_INCLUDED

#include <string>

namespace MassMailing
{
/// One browser's subscription of one member (a device): where its push service takes messages
/// and the keys the messages are encrypted for, as PushSubscription.toJSON() gives them.
struct PushSubscription
{
    long id = 0;
    long groupId = 0;
    long personId = 0;
    std::string endpoint;  /// The push service's URL for this browser.
    std::string p256dh;    /// The browser's P-256 public key, base64url (65 bytes).
    std::string auth;      /// The browser's auth secret, base64url (16 bytes).
    std::string userAgent; /// The browser that subscribed, as it said (to tell devices apart).
    std::string createdAt; /// UTC "YYYY-MM-DD HH:MM:SS".

    static constexpr std::size_t MAX_ENDPOINT = 1000;

    static PushSubscription parse(const std::string& json, bool loopbackAllowed = false);
    /// A subscription as the browser sends it: {"endpoint": URL, "keys": {"p256dh", "auth"}}
    /// (other fields, like "expirationTime", ignored), its endpoint checked by checkEndpoint.
    /// Throws FieldException naming the field ("endpoint", "p256dh", "auth", or "subscription"
    /// for text that is not such an object).

    static void checkEndpoint(const std::string& endpoint, bool loopbackAllowed = false);
    /// An endpoint the module may post to: an absolute https URL of at most MAX_ENDPOINT
    /// characters; with loopbackAllowed (massmailing.push.allow_loopback, for a push service
    /// stand-in on 127.0.0.1), http to a loopback address too. Otherwise a member's subscription
    /// could make the host post to its own local services. Throws FieldException("endpoint", ...).
};
} // namespace MassMailing

#endif
