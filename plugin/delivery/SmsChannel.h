#ifndef MassMailing_SmsChannel_INCLUDED
#define MassMailing_SmsChannel_INCLUDED

#include "content/Campaigns.h"
#include "delivery/Channel.h"
#include "delivery/SmsSettings.h"
#include <functional>

namespace MassMailing
{
/// The SMS channel (issue 15): each row's text is the campaign's text personalised for the
/// recipient (its language version's), sent to the row's address, an E.164 number that the
/// audience normalised. The handover's bytes are the UTF-8 text; its envelope's from is the
/// row's reference ("mm-" and the row's id), which the gateway is given as {{id}} and names
/// in its delivery reports (as an email's return path names the row in its bounces). A text
/// longer than SmsText::MAX_SEGMENTS segments fails the row.
class SmsChannel : public Channel
{
public:
    SmsChannel(Campaigns& campaigns, std::function<SmsSettings()> settings);
    /// settings: the ones in force, read for each new transport.

    std::string name() const override; /// "sms"
    std::unique_ptr<ChannelMessages> messages(const Campaign& campaign) const override;
    std::unique_ptr<Transport> transport() const override;
    /// The SMS outbox or the HTTP gateway, as the settings say. Throws
    /// Poco::InvalidArgumentException for settings SmsSettings::parse refuses.

    static std::string reference(long recipientRow);
    /// "mm-123": what the gateway is given as {{id}}.
    static long rowOf(const std::string& reference);
    /// The row a reference names; 0 when it is none.

private:
    Campaigns& _campaigns;
    std::function<SmsSettings()> _settings;
};
} // namespace MassMailing

#endif
