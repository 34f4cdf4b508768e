#include "push/Vapid.h"
#include "Base64.h"
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sstream>

namespace MassMailing
{
const char* const Vapid::KEY_FILE_NAME = "vapid.key";

Vapid::Vapid(P256Key key, std::string subject) : _key(std::move(key)), _subject(std::move(subject)) {}

std::string Vapid::publicKey() const
{
    return base64url(_key.publicBytes());
}

std::string Vapid::origin(const std::string& endpoint)
{
    Poco::URI uri(endpoint);
    if (uri.getScheme().empty() || uri.getHost().empty())
        throw Poco::SyntaxException("not an absolute URL: " + endpoint);
    std::string origin = uri.getScheme() + "://" + uri.getHost();
    const unsigned short port = uri.getSpecifiedPort();
    const bool usual =
        (uri.getScheme() == "https" && port == 443) || (uri.getScheme() == "http" && port == 80);
    if (port != 0 && !usual)
        origin += ":" + std::to_string(port);
    return origin;
}

std::string Vapid::authorization(const std::string& endpoint, const Poco::Timestamp& now) const
{
    Poco::JSON::Object claims;
    claims.set("aud", origin(endpoint));
    claims.set("exp", Poco::Int64(now.epochTime() + TOKEN_SECONDS));
    claims.set("sub", _subject);
    std::ostringstream text;
    claims.stringify(text);
    const std::string signingInput =
        base64url(R"({"typ":"JWT","alg":"ES256"})") + "." + base64url(text.str());
    const std::string token = signingInput + "." + base64url(_key.signEs256(signingInput));
    return "vapid t=" + token + ", k=" + publicKey();
}
} // namespace MassMailing
