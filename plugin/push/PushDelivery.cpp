#include "push/PushDelivery.h"

namespace MassMailing
{
PushDelivery::PushDelivery(const PushSubscriptions& subscriptions, const PushSender& sender,
                           std::function<void(int seconds)> wait, Settings settings)
    : _subscriptions(subscriptions), _sender(sender), _wait(std::move(wait)), _settings(settings)
{
}

PushDelivery::Outcome PushDelivery::deliver(long groupId, long personId, const PushMessage& message) const
{
    return deliverPayload(groupId, personId, message.payload());
}

PushDelivery::Outcome PushDelivery::deliverPayload(long groupId, long personId,
                                                   const std::string& payload) const
{
    Outcome outcome;
    const auto devices = _subscriptions.ofPerson(groupId, personId);
    outcome.subscriptions = int(devices.size());
    std::string last;
    for (const auto& device : devices)
    {
        int backoff = _settings.firstWaitSeconds;
        for (int attempt = 1;; ++attempt)
        {
            PushAnswer answer = _sender.send(device, payload);
            last = answer.detail;
            if (answer.kind == PushAnswer::Sent)
            {
                ++outcome.sent;
                break;
            }
            if (answer.kind == PushAnswer::Gone)
            {
                _subscriptions.removeEndpoint(groupId, device.endpoint);
                ++outcome.gone;
                break;
            }
            if (answer.kind == PushAnswer::Refused)
            {
                ++outcome.refused;
                break;
            }
            const int wait = answer.retryAfterSeconds >= 0 ? answer.retryAfterSeconds : backoff;
            if (attempt >= _settings.attempts || wait > _settings.maxWaitSeconds)
            {
                outcome.retryAfterSeconds = std::max(outcome.retryAfterSeconds, wait);
                break;
            }
            _wait(wait);
            backoff *= 2;
        }
    }
    if (!outcome.delivered())
        outcome.reason = devices.empty()                         ? "no subscription"
                         : outcome.gone == outcome.subscriptions ? "subscription gone"
                                                                 : last;
    return outcome;
}
} // namespace MassMailing
