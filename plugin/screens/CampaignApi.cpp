#include "screens/CampaignApi.h"
#include "CrmHost/Exceptions.h"
#include "content/ContentException.h"
#include "delivery/TransportException.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <sstream>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const char* const COMPOSE = "massmailing.compose";

std::string stringify(const Poco::Dynamic::Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

Poco::JSON::Object::Ptr body(const Request& request)
{
    try
    {
        auto parsed = Poco::JSON::Parser().parse(request.body.empty() ? "{}" : request.body);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
            return parsed.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& error)
    {
        throw RequestError(400, "bad_json", "the body is not valid JSON: " + error.message());
    }
    throw RequestError(400, "bad_json", "the body must be a JSON object");
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& field,
                 const std::string& fallback = "")
{
    if (!object->has(field) || object->isNull(field))
        return fallback;
    Poco::Dynamic::Var value = object->get(field);
    if (!value.isString())
        throw RequestError(400, "bad_type", field + " must be a string", field);
    return value.extract<std::string>();
}

long number(const std::string& text, const std::string& field)
{
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(text, value))
        throw RequestError(400, "bad_number", field + " must be a number, not \"" + text + "\"", field);
    return long(value);
}

Poco::JSON::Object::Ptr toJson(const Campaign& c)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", Poco::Int64(c.id));
    o->set("group", Poco::Int64(c.groupId));
    o->set("channel", c.channel);
    o->set("recipient_type", c.recipientType);
    o->set("name", c.name);
    o->set("sender_name", c.senderName);
    o->set("sender_email", c.senderEmail);
    o->set("reply_to", c.replyTo);
    o->set("subject", c.subject);
    o->set("subject_prefix", c.subjectPrefix);
    o->set("html", c.html);
    o->set("text", c.text);
    o->set("dedupe", c.dedupe);
    o->set("forced_locale", c.forcedLocale);
    o->set("status", c.status);
    o->set("created_at", c.createdAt);
    Poco::JSON::Array::Ptr versions = new Poco::JSON::Array;
    for (const auto& v : c.versions)
    {
        Poco::JSON::Object::Ptr version = new Poco::JSON::Object;
        version->set("locale", v.locale);
        version->set("subject", v.subject);
        version->set("html", v.html);
        version->set("text", v.text);
        versions->add(version);
    }
    o->set("versions", versions);
    return o;
}

// Fields of the body override those of the campaign.
void apply(const Poco::JSON::Object::Ptr& in, Campaign& c)
{
    c.channel = text(in, "channel", c.channel);
    c.recipientType = text(in, "recipient_type", c.recipientType);
    c.name = text(in, "name", c.name);
    c.senderName = text(in, "sender_name", c.senderName);
    c.senderEmail = text(in, "sender_email", c.senderEmail);
    c.replyTo = text(in, "reply_to", c.replyTo);
    c.subject = text(in, "subject", c.subject);
    c.subjectPrefix = text(in, "subject_prefix", c.subjectPrefix);
    c.html = text(in, "html", c.html);
    c.text = text(in, "text", c.text);
    c.dedupe = text(in, "dedupe", c.dedupe);
    c.forcedLocale = text(in, "forced_locale", c.forcedLocale);
    // The versions given replace all of them; absent, they stay as they are.
    if (!in->has("versions"))
        return;
    c.versions.clear();
    if (in->isNull("versions"))
        return;
    auto list = in->getArray("versions");
    if (!list)
        throw RequestError(400, "bad_type", "versions must be an array of {locale, subject, html, text}",
                           "versions");
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        std::string field = "versions[" + std::to_string(i) + "]";
        auto item = list->getObject(static_cast<unsigned>(i));
        if (!item)
            throw RequestError(400, "bad_type", field + " must be an object {locale, subject, html, text}",
                               field);
        CampaignVersion version;
        auto member = [&](const std::string& name)
        {
            try
            {
                return text(item, name);
            }
            catch (const RequestError&)
            {
                throw RequestError(400, "bad_type", field + "." + name + " must be a string",
                                   field + "." + name);
            }
        };
        version.locale = member("locale");
        version.subject = member("subject");
        version.html = member("html");
        version.text = member("text");
        c.versions.push_back(version);
    }
}

Response problemsAnswer(const VariablesException& error)
{
    Poco::JSON::Array::Ptr problems = new Poco::JSON::Array;
    std::string message;
    for (const auto& problem : error.problems())
    {
        Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
        p->set("variable", problem.variable);
        p->set("reason", problem.reason);
        p->set("affected", Poco::Int64(problem.affected));
        problems->add(p);
        message +=
            (message.empty() ? "" : "; ") + std::string("{{") + problem.variable + "}} is " +
            (problem.reason == "unknown" ? "not a known variable" : "not available for these recipients") +
            " (" + std::to_string(problem.affected) + " recipients affected)";
    }
    Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
    e->set("code", "unfilled_variables");
    e->set("message", message);
    e->set("field", "html");
    e->set("problems", problems);
    Poco::JSON::Object root;
    root.set("error", e);
    return Response::json(stringify(root), 422);
}
} // namespace

CampaignApi::CampaignApi(Campaigns& campaigns, RecipientDirectory& directory, TestSend& testSend,
                         Counts counts)
    : _campaigns(campaigns), _directory(directory), _testSend(testSend), _counts(std::move(counts))
{
}

Response CampaignApi::guard(const std::function<Response()>& call)
{
    try
    {
        return call();
    }
    catch (const FieldException& error)
    {
        throw RequestError(400, error.code(), error.message(), error.field());
    }
    catch (const VariablesException& error)
    {
        return problemsAnswer(error);
    }
    catch (const MessageTooLargeException& error)
    {
        throw RequestError(413, "message_too_large", error.message(), "attachments");
    }
    catch (const HeaderInjectionException& error)
    {
        throw RequestError(400, "line_break", error.message());
    }
    catch (const TransportException& error)
    {
        throw RequestError(502, "transport_failed",
                           "the message could not be handed over: " + error.message());
    }
}

Campaign CampaignApi::campaignOf(const Request& request, const std::string& right)
{
    auto campaign = _campaigns.find(number(request.param("id"), "id"));
    // A campaign of a group the user has no right in does not exist for that user.
    if (!campaign || !request.hasRight(right, campaign->groupId))
        throw RequestError(404, "not_found", "no campaign " + request.param("id"));
    return *campaign;
}

Response CampaignApi::create(const Request& request)
{
    return guard(
        [&]
        {
            auto in = body(request);
            if (!in->has("group"))
                throw RequestError(400, "required", "group is required", "group");
            Campaign campaign;
            campaign.groupId = request.groupId;
            campaign.recipientType = text(in, "recipient_type");
            campaign.createdBy = request.userId;
            apply(in, campaign);
            if (!request.hasRight(COMPOSE, campaign.groupId))
                throw RequestError(403, "forbidden", "you need the right massmailing.compose in this group",
                                   "group");
            long id = _campaigns.create(campaign);
            Poco::JSON::Object answer;
            answer.set("id", Poco::Int64(id));
            return Response::json(stringify(answer), 201);
        });
}

Response CampaignApi::list(const Request& request)
{
    return guard(
        [&]
        {
            if (request.groupId == 0)
                throw RequestError(400, "required", "the group parameter is required", "group");
            Poco::JSON::Array answer;
            for (const auto& campaign : _campaigns.ofGroup(request.groupId))
            {
                auto o = toJson(campaign);
                o->remove("html");
                o->remove("text");
                o->remove("versions");
                answer.add(o);
            }
            return Response::json(stringify(answer));
        });
}

Response CampaignApi::get(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, COMPOSE);
            auto o = toJson(campaign);
            Poco::JSON::Object::Ptr counts = new Poco::JSON::Object;
            for (const auto& [status, count] : _counts(campaign.id))
                counts->set(status, Poco::Int64(count));
            o->set("counts", counts);
            return Response::json(stringify(o));
        });
}

Response CampaignApi::update(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, COMPOSE);
            apply(body(request), campaign);
            _campaigns.update(campaign);
            return Response::json(stringify(toJson(*_campaigns.find(campaign.id))));
        });
}

Response CampaignApi::preview(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, COMPOSE);
            Recipient recipient = _testSend.sample(campaign, request.param("recipient"));
            MailMessage message = _testSend.preview(campaign, recipient);
            Poco::JSON::Object answer;
            answer.set("recipient", recipient.kind + ":" + std::to_string(recipient.id));
            answer.set("email", recipient.email);
            answer.set("subject", message.subject);
            answer.set("html", message.html);
            answer.set("text", message.text);
            return Response::json(stringify(answer));
        });
}

Response CampaignApi::test(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, COMPOSE);
            auto in = body(request);
            std::vector<std::string> to;
            if (in->has("to"))
            {
                auto list = in->getArray("to");
                if (!list)
                    throw RequestError(400, "bad_type", "to must be an array of addresses", "to");
                for (std::size_t i = 0; i < list->size(); ++i)
                    to.push_back(list->get(i).toString());
            }
            std::string sample = in->has("sample_recipient") && !in->isNull("sample_recipient")
                                     ? in->get("sample_recipient").toString()
                                     : "";
            auto result = _testSend.send(campaign, to, sample);
            Poco::JSON::Object answer;
            Poco::JSON::Array sent;
            for (const auto& address : result.sentTo)
                sent.add(address);
            answer.set("sent_to", sent);
            answer.set("sample_recipient", result.sample.kind + ":" + std::to_string(result.sample.id));
            answer.set("bytes", Poco::UInt64(result.bytes));
            return Response::json(stringify(answer));
        });
}

Response CampaignApi::variables(const Request& request)
{
    return guard(
        [&]
        {
            std::string kind = _campaigns.groupKind(request.groupId);
            std::string type = request.param("recipient_type", RecipientDirectory::typesFor(kind).front());
            Poco::JSON::Array answer;
            for (const auto& variable : Variables::available(type, kind))
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("name", variable.name);
                o->set("label", variable.label);
                answer.add(o);
            }
            return Response::json(stringify(answer));
        });
}
} // namespace MassMailing
