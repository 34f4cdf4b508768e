#ifndef PushTests_PushService_INCLUDED
#define PushTests_PushService_INCLUDED

#include "push/PushSubscription.h"
#include "push/Vapid.h"
#include "tracking/SigningKey.h"
#include <Poco/JSON/Object.h>
#include <Poco/Process.h>
#include <memory>
#include <string>
#include <vector>

namespace PushTests
{
/// The host's VAPID identity as Module.cpp makes it: the key file of the data folder.
inline MassMailing::Vapid hostVapid(const std::string& dataDir, const std::string& subject)
{
    using namespace MassMailing;
    return Vapid(P256Key::fromPrivate(SigningKey(dataDir, "", Vapid::KEY_FILE_NAME).bytes()), subject);
}

/// push_service.py as a child process on 127.0.0.1: subscriptions whose private keys it keeps,
/// and every message it received, decrypted, with its VAPID token checked against vapidKey.
class PushService
{
public:
    PushService(const std::string& folder, const std::string& vapidKey, bool tls = false);
    /// Starts it and waits until it listens (with tls, over HTTPS with a self-signed certificate). Throws
    /// Poco::RuntimeException when it does not within 20 seconds.
    ~PushService();
    PushService(const PushService&) = delete;
    PushService& operator=(const PushService&) = delete;

    MassMailing::PushSubscription subscribe(const std::string& mode) const;
    /// A new subscription as a browser would make it, answered as mode says (ok: 201, gone: 410,
    /// busy: 429 with Retry-After: 2 twice then 201, down: 503, refuse: 400).

    std::vector<Poco::JSON::Object::Ptr> received() const;
    /// The messages received so far, in order (push_service.py's record of each).

private:
    std::string _folder;
    std::unique_ptr<Poco::ProcessHandle> _process;
    int _port = 0;
    bool _tls = false;
};
} // namespace PushTests

#endif
