#ifndef MassMailing_Vapid_INCLUDED
#define MassMailing_Vapid_INCLUDED

#include "push/P256Key.h"
#include <Poco/Timestamp.h>
#include <string>

namespace MassMailing
{
/// The application server's identity towards push services (VAPID, RFC 8292): a P-256 key pair
/// made once per host and kept in the data folder, whose public key browsers bind to each
/// subscription, and the ES256-signed JWT that authorises each message.
class Vapid
{
public:
    static const char* const KEY_FILE_NAME;
    /// "vapid.key", in the module's data folder: its 32 random bytes (made once, 0600, by
    /// tracking/SigningKey, which every process sharing the folder reads the same) are the
    /// private scalar (Module.cpp).
    static constexpr int TOKEN_SECONDS = 12 * 3600;
    /// How long a token is valid (RFC 8292 allows at most 24 hours).

    Vapid(P256Key key, std::string subject);
    /// subject: a contact for the push service, "mailto:..." or an https URL.

    std::string publicKey() const;
    /// The public key in base64url (the applicationServerKey of pushManager.subscribe, and k=).

    std::string authorization(const std::string& endpoint, const Poco::Timestamp& now) const;
    /// "vapid t=JWT, k=KEY" for a message to that endpoint: the JWT's aud is the endpoint's
    /// origin, exp now + TOKEN_SECONDS, sub the subject. Throws Poco::SyntaxException for an
    /// endpoint that is not an absolute URL.

    static std::string origin(const std::string& endpoint);
    /// "https://push.example.net" (with ":port" when not the scheme's default).

    const P256Key& key() const { return _key; }

private:
    P256Key _key;
    std::string _subject;
};
} // namespace MassMailing

#endif
