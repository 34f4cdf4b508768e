#include "push/PushSubscription.h"
#include "Base64.h"
#include "FieldException.h"
#include "push/P256Key.h"
#include <Poco/JSON/Parser.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

namespace MassMailing
{
namespace
{
std::string text(const Poco::JSON::Object::Ptr& object, const std::string& name, const std::string& field)
{
    if (!object || !object->has(name) || !object->get(name).isString())
        throw FieldException(field, "required", field + " is missing from the subscription");
    return object->getValue<std::string>(name);
}

std::string decoded(const std::string& value, const std::string& field)
{
    try
    {
        return unbase64url(value);
    }
    catch (const Poco::Exception&)
    {
        throw FieldException(field, "invalid", field + " is not base64url");
    }
}

bool isLoopback(const std::string& host)
{
    if (host == "localhost")
        return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}
} // namespace

void PushSubscription::checkEndpoint(const std::string& endpoint, bool loopbackAllowed)
{
    if (endpoint.size() > MAX_ENDPOINT)
        throw FieldException("endpoint", "too_long",
                             "the endpoint is longer than " + std::to_string(MAX_ENDPOINT) + " characters");
    Poco::URI uri;
    try
    {
        uri = Poco::URI(endpoint);
    }
    catch (const Poco::Exception&)
    {
        throw FieldException("endpoint", "invalid", "the endpoint is not a URL");
    }
    if (uri.getHost().empty() || !uri.getUserInfo().empty())
        throw FieldException("endpoint", "invalid", "the endpoint is not an absolute URL with a host");
    if (uri.getScheme() == "https")
        return;
    if (uri.getScheme() == "http" && loopbackAllowed && isLoopback(uri.getHost()))
        return;
    throw FieldException("endpoint", "not_https", "a push service is reached over https");
}

PushSubscription PushSubscription::parse(const std::string& json, bool loopbackAllowed)
{
    Poco::JSON::Object::Ptr object;
    try
    {
        Poco::JSON::Parser parser;
        object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        throw FieldException("subscription", "invalid", "the subscription is not a JSON object");
    }
    catch (const std::exception&) // Poco::Dynamic::Var's bad cast for a JSON that is not an object
    {
        throw FieldException("subscription", "invalid", "the subscription is not a JSON object");
    }
    PushSubscription subscription;
    subscription.endpoint = text(object, "endpoint", "endpoint");
    checkEndpoint(subscription.endpoint, loopbackAllowed);
    Poco::JSON::Object::Ptr keys =
        object->has("keys") && object->get("keys").type() == typeid(Poco::JSON::Object::Ptr)
            ? object->getObject("keys")
            : nullptr;
    subscription.p256dh = text(keys, "p256dh", "p256dh");
    subscription.auth = text(keys, "auth", "auth");
    const std::string point = decoded(subscription.p256dh, "p256dh");
    try
    {
        P256Key::fromPublic(point);
    }
    catch (const Poco::InvalidArgumentException&)
    {
        throw FieldException("p256dh", "invalid", "p256dh is not a P-256 public key");
    }
    const std::string secret = decoded(subscription.auth, "auth");
    if (secret.size() != 16)
        throw FieldException("auth", "invalid", "auth is not a 16-byte secret");
    // Kept in one spelling (unpadded base64url), whatever the browser sent.
    subscription.p256dh = base64url(point);
    subscription.auth = base64url(secret);
    return subscription;
}
} // namespace MassMailing
