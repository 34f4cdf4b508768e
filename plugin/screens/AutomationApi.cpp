#include "screens/AutomationApi.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
Poco::JSON::Object::Ptr toJson(const Automation& rule)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", Poco::Int64(rule.id));
    o->set("group", Poco::Int64(rule.groupId));
    o->set("name", rule.name);
    o->set("campaign", Poco::Int64(rule.modelCampaign));
    Poco::JSON::Object::Ptr trigger = new Poco::JSON::Object;
    if (rule.trigger.isEvent())
    {
        trigger->set("event", rule.trigger.event);
        trigger->set("delay_minutes", Poco::Int64(rule.trigger.delayMinutes));
    }
    else
    {
        trigger->set("cron", rule.trigger.cron);
        trigger->set("timezone", rule.trigger.timeZone);
    }
    o->set("trigger", trigger);
    o->set("window_minutes", Poco::Int64(rule.windowMinutes));
    o->set("paused", rule.paused);
    o->set("builtin", rule.builtin);
    o->set("created_at", rule.createdAt);
    return o;
}

Poco::JSON::Object::Ptr toJson(const AutomationOccurrence& occurrence)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("key", occurrence.key);
    o->set("at", occurrence.at);
    if (occurrence.campaign)
        o->set("campaign", Poco::Int64(occurrence.campaign));
    else
        o->set("campaign", Poco::Dynamic::Var());
    o->set("status", occurrence.status);
    o->set("reason", occurrence.reason);
    o->set("planned", Poco::Int64(occurrence.planned));
    return o;
}

Response guarded(const std::function<Response()>& call)
{
    return CampaignApi::guard(
        [&]
        {
            try
            {
                return call();
            }
            catch (const Poco::NotFoundException& error)
            {
                throw RequestError(404, "not_found", error.message());
            }
        });
}
} // namespace

AutomationApi::AutomationApi(Automations& automations) : _automations(automations) {}

std::string AutomationApi::json(const Automation& rule)
{
    return JsonBody::stringify(toJson(rule));
}

Automation AutomationApi::ruleOf(const Request& request)
{
    Poco::Int64 id = 0;
    std::optional<Automation> rule;
    if (Poco::NumberParser::tryParse64(request.param("id"), id))
        rule = _automations.find(long(id));
    // One answer for a rule that does not exist and one the user may not see.
    if (!rule || !request.hasRight(Rights::SEND, rule->groupId) ||
        (request.moduleEnabled && !request.moduleEnabled(rule->groupId)))
        throw RequestError(404, "not_found", "no automation " + request.param("id"));
    return *rule;
}

Response AutomationApi::create(const Request& request)
{
    return guarded(
        [&]
        {
            JsonBody in(request.body);
            if (!in.has("group"))
                throw RequestError(400, "required", "group is required", "group");
            if (!request.hasRight(Rights::SEND, request.groupId))
                throw RequestError(403, "forbidden", "you need the right massmailing.send in this group",
                                   "group");
            Automation rule;
            rule.groupId = request.groupId;
            rule.createdBy = request.userId;
            rule.name = in.text("name");
            rule.windowMinutes = in.wholeNumber("window_minutes", 0, 10080, 120);
            rule.paused = in.boolean("paused", false);
            JsonBody trigger = in.object("trigger");
            rule.trigger.cron = trigger.text("cron");
            rule.trigger.timeZone = trigger.text("timezone", "Europe/Paris");
            rule.trigger.event = trigger.text("event");
            rule.trigger.delayMinutes = trigger.wholeNumber("delay_minutes", 0, 43200, 0);
            if (rule.trigger.cron.empty() == rule.trigger.event.empty())
                throw RequestError(400, "bad_trigger", "the trigger has either a cron or an event",
                                   "trigger");
            JsonBody message = in.object("campaign");
            Campaign campaign;
            campaign.groupId = rule.groupId;
            campaign.createdBy = request.userId;
            campaign.recipientType = message.text("recipient_type", "members");
            CampaignApi::apply(message, campaign);
            JsonBody audience = in.object("audience");
            std::vector<AutomationTarget> targets;
            for (const char* action : {"add", "exclude"})
                for (const JsonBody& item : audience.objects(action))
                    targets.push_back(
                        {item.text("target"), item.textMap("params"), std::string(action) == "exclude"});
            long id = _automations.create(rule, campaign, targets);
            Poco::JSON::Object answer;
            answer.set("id", Poco::Int64(id));
            return Response::json(JsonBody::stringify(answer), 201);
        });
}

Response AutomationApi::list(const Request& request)
{
    return guarded(
        [&]
        {
            if (request.groupId == 0)
                throw RequestError(400, "required", "the group parameter is required", "group");
            Poco::JSON::Array::Ptr rules = new Poco::JSON::Array;
            for (const Automation& rule : _automations.ofGroup(request.groupId))
                rules->add(toJson(rule));
            return Response::json(JsonBody::stringify(rules));
        });
}

Response AutomationApi::get(const Request& request)
{
    return guarded([&] { return Response::json(json(ruleOf(request))); });
}

Response AutomationApi::occurrences(const Request& request)
{
    return guarded(
        [&]
        {
            Automation rule = ruleOf(request);
            Poco::Int64 past = 20, next = 5;
            Poco::NumberParser::tryParse64(request.param("past", "20"), past);
            Poco::NumberParser::tryParse64(request.param("next", "5"), next);
            Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
            for (const AutomationOccurrence& occurrence :
                 _automations.occurrences(rule.id, std::size_t(std::clamp<Poco::Int64>(past, 0, 200)),
                                          std::size_t(std::clamp<Poco::Int64>(next, 0, 20))))
                list->add(toJson(occurrence));
            return Response::json(JsonBody::stringify(list));
        });
}

Response AutomationApi::pause(const Request& request)
{
    return guarded(
        [&]
        {
            Automation rule = ruleOf(request);
            _automations.setPaused(rule.id, true);
            return Response::json(json(*_automations.find(rule.id)));
        });
}

Response AutomationApi::resume(const Request& request)
{
    return guarded(
        [&]
        {
            Automation rule = ruleOf(request);
            _automations.setPaused(rule.id, false);
            return Response::json(json(*_automations.find(rule.id)));
        });
}

Response AutomationApi::skip(const Request& request)
{
    return guarded(
        [&]
        {
            Automation rule = ruleOf(request);
            return Response::json(JsonBody::stringify(toJson(_automations.skipNext(rule.id))));
        });
}

Response AutomationApi::notifications(const Request& request)
{
    return guarded(
        [&]
        {
            JsonBody in(request.body);
            if (!in.has("group"))
                throw RequestError(400, "required", "group is required", "group");
            if (!request.hasRight(Rights::SEND, request.groupId))
                throw RequestError(403, "forbidden", "you need the right massmailing.send in this group",
                                   "group");
            Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
            for (long id : _automations.setUpNotifications(request.groupId, request.userId))
                ids->add(Poco::Int64(id));
            Poco::JSON::Object answer;
            answer.set("created", ids);
            return Response::json(JsonBody::stringify(answer), 201);
        });
}

Routes AutomationApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "POST", "automations", "", Rights::ANY, on(this, &AutomationApi::create)},
        {ScreenKind::Json, "GET", "automations", "", Rights::SEND, on(this, &AutomationApi::list)},
        {ScreenKind::Json, "POST", "automations/notifications", "", Rights::ANY,
         on(this, &AutomationApi::notifications)},
        {ScreenKind::Json, "GET", "automations/{id}", "", Rights::ANY, on(this, &AutomationApi::get)},
        {ScreenKind::Json, "GET", "automations/{id}/occurrences", "", Rights::ANY,
         on(this, &AutomationApi::occurrences)},
        {ScreenKind::Json, "POST", "automations/{id}/pause", "", Rights::ANY,
         on(this, &AutomationApi::pause)},
        {ScreenKind::Json, "POST", "automations/{id}/resume", "", Rights::ANY,
         on(this, &AutomationApi::resume)},
        {ScreenKind::Json, "POST", "automations/{id}/skip", "", Rights::ANY, on(this, &AutomationApi::skip)},
    };
}
} // namespace MassMailing
