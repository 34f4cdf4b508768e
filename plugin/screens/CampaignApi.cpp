#include "screens/CampaignApi.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "content/ContentException.h"
#include "delivery/TransportException.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
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
    o->set("tracking", c.tracking);
    o->set("automatic", c.automatic);
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
void apply(const JsonBody& in, Campaign& c)
{
    c.channel = in.text("channel", c.channel);
    c.recipientType = in.text("recipient_type", c.recipientType);
    c.name = in.text("name", c.name);
    c.senderName = in.text("sender_name", c.senderName);
    c.senderEmail = in.text("sender_email", c.senderEmail);
    c.replyTo = in.text("reply_to", c.replyTo);
    c.subject = in.text("subject", c.subject);
    c.subjectPrefix = in.text("subject_prefix", c.subjectPrefix);
    c.html = in.text("html", c.html);
    c.text = in.text("text", c.text);
    c.dedupe = in.text("dedupe", c.dedupe);
    c.forcedLocale = in.text("forced_locale", c.forcedLocale);
    c.tracking = in.boolean("tracking", c.tracking);
    // The versions given replace all of them (null: none); absent, they stay as they are.
    std::vector<CampaignVersion> versions;
    for (const JsonBody& item : in.objects("versions"))
        versions.push_back({item.text("locale"), item.text("subject"), item.text("html"), item.text("text")});
    if (in.present("versions"))
        c.versions = versions;
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
    return Response::json(JsonBody::stringify(root), 422);
}
} // namespace

void CampaignApi::apply(const JsonBody& in, Campaign& campaign)
{
    MassMailing::apply(in, campaign);
}

CampaignApi::CampaignApi(Campaigns& campaigns, RecipientDirectory& directory, TestSend& testSend,
                         Deliveries& deliveries, DeliveryProgress& progress)
    : _campaigns(campaigns), _door(campaigns), _directory(directory), _testSend(testSend),
      _deliveries(deliveries), _progress(progress)
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
    catch (const StateException& error)
    {
        Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
        e->set("code", "bad_state");
        e->set("message", error.message());
        e->set("field", "status");
        Poco::JSON::Object root;
        root.set("error", e);
        root.set("status", error.status());
        return Response::json(JsonBody::stringify(root), 409);
    }
    catch (const QuotaException& error)
    {
        Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
        e->set("code", "quota_exceeded");
        e->set("message", error.message());
        e->set("field", "audience");
        e->set("planned", Poco::Int64(error.planned));
        e->set("sent_this_month", Poco::Int64(error.sentThisMonth));
        e->set("monthly_limit", Poco::Int64(error.limit));
        Poco::JSON::Object root;
        root.set("error", e);
        return Response::json(JsonBody::stringify(root), 422);
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
    return _door.open(request, right);
}

Response CampaignApi::create(const Request& request)
{
    return guard(
        [&]
        {
            JsonBody in(request.body);
            if (!in.has("group"))
                throw RequestError(400, "required", "group is required", "group");
            Campaign campaign;
            campaign.groupId = request.groupId;
            campaign.recipientType = in.text("recipient_type");
            campaign.createdBy = request.userId;
            apply(in, campaign);
            if (!request.hasRight(Rights::COMPOSE, campaign.groupId))
                throw RequestError(403, "forbidden", "you need the right massmailing.compose in this group",
                                   "group");
            long id = _campaigns.create(campaign);
            Poco::JSON::Object answer;
            answer.set("id", Poco::Int64(id));
            return Response::json(JsonBody::stringify(answer), 201);
        });
}

Response CampaignApi::list(const Request& request)
{
    return guard(
        [&]
        {
            if (request.groupId == 0)
                throw RequestError(400, "required", "the group parameter is required", "group");
            if (!CampaignDoor::holds(request, Rights::ANY, request.groupId))
                throw RequestError(403, "forbidden", "you need a right of the module in this group");
            Poco::JSON::Array answer;
            for (const auto& campaign : _campaigns.ofGroup(request.groupId))
            {
                auto o = toJson(campaign);
                o->remove("html");
                o->remove("text");
                o->remove("versions");
                answer.add(o);
            }
            return Response::json(JsonBody::stringify(answer));
        });
}

Response CampaignApi::get(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, Rights::ANY);
            auto o = toJson(campaign);
            DeliveryState state = _progress.state(campaign.id);
            Poco::JSON::Object::Ptr counts = new Poco::JSON::Object;
            for (const auto& [status, count] : state.counts)
                counts->set(status, Poco::Int64(count));
            o->set("counts", counts);
            // The plan as stored (UTC) and who approved it (0: nobody yet).
            Poco::JSON::Object::Ptr plan = new Poco::JSON::Object;
            plan->set("at", state.scheduledAt);
            plan->set("timezone", state.timeZone);
            plan->set("max_per_hour", Poco::Int64(state.maxPerHour));
            plan->set("deadline", state.deadline);
            plan->set("reviewed_by", Poco::Int64(state.reviewedBy));
            plan->set("pause_reason", state.pauseReason);
            plan->set("local_time", state.localTime);
            plan->set("optimised_hour", state.optimisedHour);
            Poco::JSON::Object::Ptr calendar = new Poco::JSON::Object;
            calendar->set("days", state.calendar.days);
            calendar->set("from", state.calendar.from);
            calendar->set("to", state.calendar.to);
            plan->set("calendar", calendar);
            plan->set("waiting_for_calendar", state.waitingForCalendar);
            plan->set("next_due", state.nextDue);
            o->set("plan", plan);
            return Response::json(JsonBody::stringify(o));
        });
}

Response CampaignApi::update(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, Rights::COMPOSE);
            apply(JsonBody(request.body), campaign);
            _deliveries.edit(campaign.id,
                             [&](Poco::Data::Session& session) { _campaigns.update(campaign, session); });
            return Response::json(JsonBody::stringify(toJson(*_campaigns.find(campaign.id))));
        });
}

Response CampaignApi::preview(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, Rights::ANY);
            Recipient recipient = _testSend.sample(campaign, request.param("recipient"));
            MailMessage message = _testSend.preview(campaign, recipient);
            Poco::JSON::Object answer;
            answer.set("recipient", recipient.kind + ":" + std::to_string(recipient.id));
            answer.set("email", recipient.email);
            answer.set("subject", message.subject);
            answer.set("html", message.html);
            answer.set("text", message.text);
            return Response::json(JsonBody::stringify(answer));
        });
}

Response CampaignApi::test(const Request& request)
{
    return guard(
        [&]
        {
            Campaign campaign = campaignOf(request, Rights::COMPOSE);
            JsonBody in(request.body);
            std::vector<std::string> to = in.texts("to");
            std::string sample = in.textOrWholeNumber("sample_recipient");
            auto result = _testSend.send(campaign, to, sample);
            Poco::JSON::Object answer;
            Poco::JSON::Array sent;
            for (const auto& address : result.sentTo)
                sent.add(address);
            answer.set("sent_to", sent);
            answer.set("sample_recipient", result.sample.kind + ":" + std::to_string(result.sample.id));
            answer.set("bytes", Poco::UInt64(result.bytes));
            return Response::json(JsonBody::stringify(answer));
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
            return Response::json(JsonBody::stringify(answer));
        });
}

Routes CampaignApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "POST", "campaigns", "", Rights::COMPOSE, on(this, &CampaignApi::create)},
        {ScreenKind::Json, "GET", "campaigns", "", Rights::ANY, on(this, &CampaignApi::list)},
        {ScreenKind::Json, "GET", "campaigns/{id}", "", Rights::ANY, on(this, &CampaignApi::get)},
        {ScreenKind::Json, "PUT", "campaigns/{id}", "", Rights::ANY, on(this, &CampaignApi::update)},
        {ScreenKind::Json, "GET", "campaigns/{id}/preview", "", Rights::ANY, on(this, &CampaignApi::preview)},
        {ScreenKind::Json, "POST", "campaigns/{id}/test", "", Rights::ANY, on(this, &CampaignApi::test)},
        {ScreenKind::Json, "GET", "variables", "", Rights::COMPOSE, on(this, &CampaignApi::variables)},
    };
}
} // namespace MassMailing
