#include "delivery/SmsChannel.h"
#include "content/ContentException.h"
#include "content/Personalizer.h"
#include "content/SmsText.h"
#include "content/Variables.h"
#include "delivery/SmsGatewayTransport.h"
#include "delivery/SmsOutboxTransport.h"
#include <Poco/NumberParser.h>
#include <map>

namespace MassMailing
{
namespace
{
class SmsMessages : public ChannelMessages
{
public:
    SmsMessages(const Campaign& campaign, Campaigns& campaigns) : _campaign(campaign), _campaigns(campaigns)
    {
    }

    Handover write(const Recipient& recipient) override
    {
        const std::string locale = Campaigns::messageLocale(_campaign, recipient.locale);
        std::string text = textFor(locale).render(Variables::valuesOf(recipient));
        const std::size_t segments = SmsText::count(text).segments;
        if (segments > SmsText::MAX_SEGMENTS)
            throw Poco::DataException("the text takes " + std::to_string(segments) +
                                      " SMS segments once personalised, more than " +
                                      std::to_string(SmsText::MAX_SEGMENTS));
        if (segments == 0)
            throw Poco::DataException("the text is empty once personalised");
        return {Envelope{SmsChannel::reference(recipient.row), {recipient.email}}, std::move(text)};
    }

private:
    const Personalizer& textFor(const std::string& locale)
    {
        auto found = _texts.find(locale);
        if (found == _texts.end())
            found = _texts
                        .emplace(locale,
                                 std::make_unique<Personalizer>(Campaigns::inLocale(_campaign, locale).text,
                                                                Variables::recipientNames(),
                                                                _campaigns.valuesFor(_campaign, locale),
                                                                Personalizer::Escaping::Text, "text"))
                        .first;
        return *found->second;
    }

    Campaign _campaign;
    Campaigns& _campaigns;
    std::map<std::string, std::unique_ptr<Personalizer>> _texts; // per message language
};
} // namespace

SmsChannel::SmsChannel(Campaigns& campaigns, std::function<SmsSettings()> settings)
    : _campaigns(campaigns), _settings(std::move(settings))
{
}

std::string SmsChannel::name() const
{
    return "sms";
}

std::unique_ptr<ChannelMessages> SmsChannel::messages(const Campaign& campaign) const
{
    return std::make_unique<SmsMessages>(campaign, _campaigns);
}

std::unique_ptr<Transport> SmsChannel::transport() const
{
    SmsSettings settings = _settings();
    if (settings.transport == "http")
        return std::make_unique<SmsGatewayTransport>(settings);
    return std::make_unique<SmsOutboxTransport>(settings.outboxDir, settings.from);
}

std::string SmsChannel::reference(long recipientRow)
{
    return "mm-" + std::to_string(recipientRow);
}

long SmsChannel::rowOf(const std::string& reference)
{
    Poco::Int64 row = 0;
    if (reference.compare(0, 3, "mm-") != 0 || !Poco::NumberParser::tryParse64(reference.substr(3), row) ||
        row <= 0)
        return 0;
    return long(row);
}
} // namespace MassMailing
