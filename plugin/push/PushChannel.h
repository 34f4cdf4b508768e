#ifndef MassMailing_PushChannel_INCLUDED
#define MassMailing_PushChannel_INCLUDED

#include "content/Campaigns.h"
#include "delivery/Channel.h"
#include "push/PushDelivery.h"
#include <functional>

namespace MassMailing
{
/// The push channel (issue 15, point 4): a row's destination is the member (a person of the
/// group), whose every subscribed device gets the notification: the campaign's subject as the
/// title and its text part as the body, both personalised for the member (its language
/// version's), and a URL. The handover's envelope names the group and the person
/// ("push:GROUP:PERSON"), its bytes are the payload (PushMessage); PushTransport fans it out.
class PushChannel : public Channel
{
public:
    using UrlOf = std::function<std::string(const Campaign&, const Recipient&)>;

    PushChannel(Campaigns& campaigns, const PushDelivery& delivery, UrlOf url);
    /// url: the address a click on the notification opens (the message viewed online).

    std::string name() const override; /// "push"
    std::unique_ptr<ChannelMessages> messages(const Campaign& campaign) const override;
    std::unique_ptr<Transport> transport() const override;

    static std::string destination(long groupId, long personId);
    /// "push:GROUP:PERSON".
    static bool parseDestination(const std::string& text, long& groupId, long& personId);

private:
    Campaigns& _campaigns;
    const PushDelivery& _delivery;
    UrlOf _url;
};
} // namespace MassMailing

#endif
