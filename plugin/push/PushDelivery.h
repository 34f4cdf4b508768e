#ifndef MassMailing_PushDelivery_INCLUDED
#define MassMailing_PushDelivery_INCLUDED

#include "push/PushMessage.h"
#include "push/PushSender.h"
#include "push/PushSubscriptions.h"
#include <functional>

namespace MassMailing
{
/// One message to one member: sent to each of their subscriptions (devices). A subscription
/// the service says is gone (404, 410) is removed; 429 and 5xx are tried again after a back-off
/// (Retry-After honoured) a few times, within a bound; past it the caller is told to come back.
class PushDelivery
{
public:
    struct Settings
    {
        int attempts = 3;         /// Tries per subscription (the first included).
        int firstWaitSeconds = 1; /// The back-off: 1, 2, 4 ... seconds without Retry-After.
        int maxWaitSeconds = 30;  /// A wait asked for beyond this is left to the caller.
    };

    struct Outcome
    {
        int subscriptions = 0;      /// Devices the member had when it started.
        int sent = 0;               /// Devices whose service took the message.
        int gone = 0;               /// Subscriptions removed (404, 410).
        int refused = 0;            /// Refused for good (another 4xx).
        int retryAfterSeconds = -1; /// Not sent yet to some device, try the member again after this.
        std::string reason;         /// For a member reached on no device: "no subscription",
                                    /// "subscription gone", or the last answer.
        bool delivered() const { return sent > 0; }
    };

    PushDelivery(const PushSubscriptions& subscriptions, const PushSender& sender,
                 std::function<void(int seconds)> wait, Settings settings);
    /// wait: sleeps for the back-off (the tests record it instead).

    Outcome deliver(long groupId, long personId, const PushMessage& message) const;
    /// Sends the message to each of the member's subscriptions. Throws the database's exception,
    /// and Poco::InvalidArgumentException for a message that cannot fit (PushMessage::payload).

    Outcome deliverPayload(long groupId, long personId, const std::string& payload) const;
    /// The same with the payload already written (PushMessage::payload(): a channel's row).

private:
    const PushSubscriptions& _subscriptions;
    const PushSender& _sender;
    std::function<void(int)> _wait;
    Settings _settings;
};
} // namespace MassMailing

#endif
