#include "tracking/MailjetEvents.h"
#include "audience/EmailAddress.h"
#include "content/HmacSha256.h"
#include "delivery/Deliveries.h"
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <set>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
std::string text(const Poco::JSON::Object::Ptr& object, const std::string& name, std::size_t longest = 500)
{
    if (!object->has(name) || object->isNull(name))
        return "";
    try
    {
        return object->get(name).convert<std::string>().substr(0, longest);
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}

bool truth(const Poco::JSON::Object::Ptr& object, const std::string& name)
{
    const std::string value = Poco::toLower(text(object, name));
    return value == "true" || value == "1";
}

MailjetEvent eventOf(const Poco::JSON::Object::Ptr& object)
{
    static const std::set<std::string> kinds = {"sent",    "open", "click", "bounce",
                                                "blocked", "spam", "unsub"};
    MailjetEvent event;
    event.kind = Poco::toLower(text(object, "event", 20));
    Poco::Int64 row = 0;
    if (!Poco::NumberParser::tryParse64(Poco::trim(text(object, "CustomID", 64)), row) || row <= 0)
        row = 0;
    event.row = long(row);
    event.messageId = text(object, "MessageID", 40);
    event.email = Poco::trim(text(object, "email", 320));
    Poco::Int64 seconds = 0;
    if (Poco::NumberParser::tryParse64(text(object, "time", 20), seconds) && seconds > 0 &&
        seconds < 32503680000) // before the year 3000
        event.at = Poco::DateTime(Poco::Timestamp::fromEpochTime(std::time_t(seconds)));
    event.url = text(object, "url", 2048);
    event.ip = text(object, "ip", 64);
    event.agent = text(object, "agent", 300);
    event.hardBounce = truth(object, "hard_bounce");
    std::string error = text(object, "error_related_to", 100);
    const std::string why = text(object, "error", 200), comment = text(object, "comment", 200);
    if (!why.empty())
        error += (error.empty() ? "" : ": ") + why;
    if (!comment.empty())
        error += (error.empty() ? "" : " ") + std::string("(") + comment + ")";
    event.error = error;
    event.source = text(object, "source", 100);
    if (!kinds.count(event.kind) || event.row == 0 || (event.kind == "click" && event.url.empty()))
        event.kind.clear();
    return event;
}
} // namespace

std::vector<MailjetEvent> MailjetEvent::parse(const std::string& body)
{
    if (body.size() > MAX_BYTES)
        throw Poco::DataFormatException("the events are longer than 4 MB");
    Poco::Dynamic::Var parsed;
    try
    {
        parsed = Poco::JSON::Parser().parse(body);
    }
    catch (const Poco::Exception& error)
    {
        throw Poco::DataFormatException("the events are not JSON: " + error.message());
    }
    catch (const std::exception& error)
    {
        throw Poco::DataFormatException(std::string("the events are not JSON: ") + error.what());
    }
    std::vector<MailjetEvent> events;
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
        events.push_back(eventOf(parsed.extract<Poco::JSON::Object::Ptr>()));
    else if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
    {
        Poco::JSON::Array::Ptr array = parsed.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i)
        {
            Poco::JSON::Object::Ptr object = array->getObject(i);
            if (!object)
                throw Poco::DataFormatException("event " + std::to_string(i) + " is not an object");
            events.push_back(eventOf(object));
        }
    }
    else
        throw Poco::DataFormatException("the events are neither an object nor an array");
    return events;
}

MailjetEvents::MailjetEvents(CrmHost::Database& database, const Bounces& bounces,
                             const Unsubscribes& unsubscribes, EventRecorder& recorder, CampaignLinks& links)
    : _database(database), _bounces(bounces), _unsubscribes(unsubscribes), _recorder(recorder), _links(links)
{
}

MailjetEvents::Outcome MailjetEvents::record(const std::vector<MailjetEvent>& events) const
{
    Outcome outcome;
    Poco::Data::Session session = _database.session();
    for (const MailjetEvent& event : events)
    {
        if (event.kind.empty())
        {
            ++outcome.ignored;
            continue;
        }
        std::vector<Poco::Int64> campaigns, groups, people;
        std::vector<std::string> addresses;
        long row = event.row;
        session << "SELECT r.campaign_id, c.group_id, r.recipient_id, r.email FROM mm_recipients r JOIN "
                   "mm_campaigns "
                   "c ON c.id = r.campaign_id WHERE r.id = ?",
            use(row), into(campaigns), into(groups), into(people), into(addresses), now;
        // The row must be the one the event speaks of: its address, as sent to.
        if (campaigns.empty() || (!event.email.empty() && EmailAddress::identity(event.email) !=
                                                              EmailAddress::identity(addresses.front())))
        {
            ++outcome.ignored;
            continue;
        }
        const long campaignId = long(campaigns.front()), groupId = long(groups.front());
        const std::string address = addresses.front();
        if (event.kind == "open" || event.kind == "click")
        {
            Hit hit;
            hit.kind = event.kind == "open" ? Hit::Kind::Open : Hit::Kind::Click;
            hit.groupId = groupId;
            hit.campaignId = campaignId;
            hit.row = row;
            hit.at = event.at;
            hit.userAgent = event.agent;
            hit.ip = event.ip;
            if (event.kind == "click")
            {
                try
                {
                    hit.linkId = _links.idOf(campaignId, event.url);
                }
                catch (const Poco::InvalidArgumentException&) // longer than a link we keep
                {
                    ++outcome.ignored;
                    continue;
                }
            }
            _recorder.record(hit);
        }
        else if (event.kind == "unsub")
        {
            LinkToken token{LinkPurpose::Unsubscribe, groupId, campaignId, long(people.front()), address};
            _unsubscribes.unsubscribe(token, UnsubscribeMethod::Link);
        }
        else if (event.kind == "sent")
        {
            Deliveries::confirmedSent(session, campaignId, row, event.at);
        }
        else
        {
            // A bounce, a message Mailjet blocked (it sends nothing to that address), a spam report.
            DeliveryReport report;
            report.at = event.at;
            report.format = "mailjet";
            DeliveryReport::Recipient recipient;
            recipient.finalRecipient = address;
            if (event.kind == "spam")
            {
                report.kind = DeliveryReport::Kind::Complaint;
                report.feedbackType =
                    "abuse (Mailjet" + (event.source.empty() ? "" : ", " + event.source) + ")";
            }
            else
            {
                const bool hard = event.kind == "blocked" || event.hardBounce;
                report.kind = hard ? DeliveryReport::Kind::HardBounce : DeliveryReport::Kind::SoftBounce;
                recipient.action = hard ? "failed" : "delayed";
                recipient.status = hard ? "5.0.0" : "4.0.0";
                recipient.diagnostic = (event.kind == "blocked" ? "blocked by Mailjet: " : "Mailjet: ") +
                                       (event.error.empty() ? std::string("no reason given") : event.error);
            }
            report.recipients.push_back(recipient);
            _bounces.recordFor(BounceToken{campaignId, row, false}, report);
        }
        ++outcome.recorded;
    }
    return outcome;
}

std::string MailjetEvents::webhookToken(const std::string& key)
{
    static const char* const digits = "0123456789abcdef";
    const std::string digest = HmacSha256(key).digest("mailjet events");
    std::string hex;
    for (std::size_t i = 0; i < 16; ++i)
    {
        hex += digits[static_cast<unsigned char>(digest[i]) >> 4];
        hex += digits[static_cast<unsigned char>(digest[i]) & 15];
    }
    return hex;
}

bool MailjetEvents::webhookTokenMatches(const std::string& key, const std::string& token)
{
    const std::string expected = webhookToken(key);
    unsigned char differ = token.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i)
        differ |= static_cast<unsigned char>(expected[i] ^ (i < token.size() ? token[i] : 0));
    return differ == 0;
}
} // namespace MassMailing
