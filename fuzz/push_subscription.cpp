// Fuzz target: a browser's push subscription as the subscribe page posts it (push/PushSubscription,
// JSON from the member's browser). Whatever the bytes, parse returns a subscription or throws
// FieldException; one it returns has an endpoint the sender may post to, a p256dh that is a point
// of P-256 and a 16-byte auth secret, kept in one spelling that parses again to itself.
#include "Base64.h"
#include "FieldException.h"
#include "FuzzInput.h"
#include "push/P256Key.h"
#include "push/PushSubscription.h"
#include <Poco/JSON/Object.h>
#include <cstdlib>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using MassMailing::PushSubscription;
    PushSubscription subscription;
    try
    {
        subscription = PushSubscription::parse(MassMailingFuzz::textOf(data, size), true);
    }
    catch (const MassMailing::FieldException&)
    {
        return 0;
    }
    PushSubscription::checkEndpoint(subscription.endpoint,
                                    true); // throws, hence aborts, if it was let through
    MassMailing::P256Key::fromPublic(MassMailing::unbase64url(subscription.p256dh));
    if (MassMailing::unbase64url(subscription.auth).size() != 16)
        std::abort();
    Poco::JSON::Object::Ptr keys = new Poco::JSON::Object;
    keys->set("p256dh", subscription.p256dh);
    keys->set("auth", subscription.auth);
    Poco::JSON::Object again;
    again.set("endpoint", subscription.endpoint);
    again.set("keys", keys);
    std::ostringstream text;
    again.stringify(text);
    const PushSubscription read = PushSubscription::parse(text.str(), true);
    if (read.endpoint != subscription.endpoint || read.p256dh != subscription.p256dh ||
        read.auth != subscription.auth)
        std::abort();
    return 0;
}
