#ifndef MassMailing_EmailChannel_INCLUDED
#define MassMailing_EmailChannel_INCLUDED

#include "delivery/CampaignMessages.h"
#include "delivery/Channel.h"
#include "delivery/TestSend.h"

namespace MassMailing
{
/// The email channel: each row's message written by CampaignMessages (MIME, DKIM, its bounce
/// address as the return path) and handed to the configured mail transport (outbox, SMTP...).
class EmailChannel : public Channel
{
public:
    EmailChannel(Campaigns& campaigns, const TestSend::Services& services);

    std::string name() const override; /// "email"
    std::unique_ptr<ChannelMessages> messages(const Campaign& campaign) const override;
    std::unique_ptr<Transport> transport() const override;

private:
    Campaigns& _campaigns;
    const TestSend::Services& _services;
};
} // namespace MassMailing

#endif
