#include "delivery/EmailChannel.h"

namespace MassMailing
{
namespace
{
class EmailMessages : public ChannelMessages
{
public:
    EmailMessages(const Campaign& campaign, Campaigns& campaigns, const TestSend::Services& services)
        : _messages(campaign, campaigns, services) // reads the DKIM key
    {
    }

    Handover write(const Recipient& recipient) override
    {
        ReturnPath returnPath = _messages.returnPath(recipient.row);
        std::string bytes = _messages.bytesFor(recipient, returnPath);
        return {Envelope{returnPath.address, {recipient.email}}, std::move(bytes)};
    }

private:
    CampaignMessages _messages;
};
} // namespace

EmailChannel::EmailChannel(Campaigns& campaigns, const TestSend::Services& services)
    : _campaigns(campaigns), _services(services)
{
}

std::string EmailChannel::name() const
{
    return "email";
}

std::unique_ptr<ChannelMessages> EmailChannel::messages(const Campaign& campaign) const
{
    return std::make_unique<EmailMessages>(campaign, _campaigns, _services);
}

std::unique_ptr<Transport> EmailChannel::transport() const
{
    return _services.transport();
}
} // namespace MassMailing
