#include "push/PushChannel.h"
#include "content/Personalizer.h"
#include "content/Variables.h"
#include "delivery/TransportException.h"
#include "push/PushMessage.h"
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <map>

namespace MassMailing
{
namespace
{
class PushMessages : public ChannelMessages
{
public:
    PushMessages(const Campaign& campaign, Campaigns& campaigns, const PushChannel::UrlOf& url)
        : _campaign(campaign), _campaigns(campaigns), _url(url)
    {
    }

    Handover write(const Recipient& recipient) override
    {
        if (recipient.kind != "person")
            throw Poco::DataException("a push notification goes to a member, not to a " + recipient.kind);
        const std::string locale = Campaigns::messageLocale(_campaign, recipient.locale);
        const auto values = Variables::valuesOf(recipient);
        const Texts& texts = textsFor(locale);
        const PushMessage message{texts.title->render(values), texts.body->render(values),
                                  _url(_campaign, recipient)};
        return {Envelope{"mm-" + std::to_string(recipient.row),
                         {PushChannel::destination(_campaign.groupId, recipient.id)}},
                message.payload()};
    }

private:
    struct Texts
    {
        std::unique_ptr<Personalizer> title, body;
    };

    const Texts& textsFor(const std::string& locale)
    {
        auto found = _texts.find(locale);
        if (found != _texts.end())
            return found->second;
        const Campaign version = Campaigns::inLocale(_campaign, locale);
        Texts texts;
        texts.title = std::make_unique<Personalizer>(version.subject, Variables::recipientNames(),
                                                     _campaigns.valuesFor(_campaign, locale),
                                                     Personalizer::Escaping::Text, "subject");
        texts.body = std::make_unique<Personalizer>(version.text, Variables::recipientNames(),
                                                    _campaigns.valuesFor(_campaign, locale),
                                                    Personalizer::Escaping::Text, "text");
        return _texts.emplace(locale, std::move(texts)).first->second;
    }

    Campaign _campaign;
    Campaigns& _campaigns;
    const PushChannel::UrlOf& _url;
    std::map<std::string, Texts> _texts; // per message language
};

// Hands one member's notification to each of their devices (PushDelivery). A member reached on
// no device fails the row ("no subscription", "subscription gone"); one whose services asked to
// wait is tried again later, as a 4xx of SMTP is.
class PushTransport : public Transport
{
public:
    explicit PushTransport(const PushDelivery& delivery) : _delivery(delivery) {}

    void send(const Envelope& envelope, const std::string& payload) override
    {
        long groupId = 0, personId = 0;
        if (envelope.recipients.size() != 1 ||
            !PushChannel::parseDestination(envelope.recipients.front(), groupId, personId))
            throw Poco::InvalidArgumentException("a push envelope names one member: push:GROUP:PERSON");
        const PushDelivery::Outcome outcome = _delivery.deliverPayload(groupId, personId, payload);
        if (outcome.delivered())
            return;
        const bool later = outcome.retryAfterSeconds >= 0;
        throw TransportException(outcome.reason, later ? 450 : 550, outcome.reason,
                                 TransportException::Stage::Data);
    }

private:
    const PushDelivery& _delivery;
};
} // namespace

PushChannel::PushChannel(Campaigns& campaigns, const PushDelivery& delivery, UrlOf url)
    : _campaigns(campaigns), _delivery(delivery), _url(std::move(url))
{
}

std::string PushChannel::name() const
{
    return "push";
}

std::unique_ptr<ChannelMessages> PushChannel::messages(const Campaign& campaign) const
{
    return std::make_unique<PushMessages>(campaign, _campaigns, _url);
}

std::unique_ptr<Transport> PushChannel::transport() const
{
    return std::make_unique<PushTransport>(_delivery);
}

std::string PushChannel::destination(long groupId, long personId)
{
    return "push:" + std::to_string(groupId) + ":" + std::to_string(personId);
}

bool PushChannel::parseDestination(const std::string& text, long& groupId, long& personId)
{
    Poco::StringTokenizer parts(text, ":");
    Poco::Int64 group = 0, person = 0;
    if (parts.count() != 3 || parts[0] != "push" || !Poco::NumberParser::tryParse64(parts[1], group) ||
        !Poco::NumberParser::tryParse64(parts[2], person) || group <= 0 || person <= 0)
        return false;
    groupId = long(group);
    personId = long(person);
    return true;
}
} // namespace MassMailing
