#include "screens/AutomationsScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "delivery/TimeZones.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const char* const DAYS[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

long numberParam(const Request& request, const std::string& name)
{
    Poco::Int64 value = 0;
    return Poco::NumberParser::tryParse64(request.param(name), value) ? long(value) : 0;
}
} // namespace

AutomationsScreen::AutomationsScreen(Wizard& wizard, Automations& automations, Audience& audience)
    : _wizard(wizard), _automations(automations), _audience(audience)
{
}

Response AutomationsScreen::show(const Request& request)
{
    return render(request, 200, "", "");
}

Response AutomationsScreen::render(const Request& request, int status, const std::string& error,
                                   const std::string& errorField)
{
    const std::string& locale = request.locale;
    mstch::array rules;
    for (const Automation& rule : _automations.ofGroup(request.groupId))
    {
        const std::string zone = rule.trigger.timeZone.empty() ? "Europe/Paris" : rule.trigger.timeZone;
        mstch::array next, past;
        for (const AutomationOccurrence& o : _automations.occurrences(rule.id, 5, 5))
        {
            mstch::map row{
                {"at", Wizard::dateText(o.at, locale)},
                {"local", TimeZones::localOf(o.at, zone).substr(0, 16)},
                {"status", o.status},
                {"statusText", _wizard.text("massmailing.automations.status." + o.status, request)},
                {"reason", o.reason},
                {"planned", std::to_string(o.planned)},
                {"campaignHref",
                 o.campaign ? Wizard::base(request) + "campaigns/" + std::to_string(o.campaign) + "/send"
                            : std::string()}};
            (o.status == "planned" ? next : past).push_back(row);
        }
        std::string trigger = rule.trigger.isEvent() ? rule.trigger.event + " (" +
                                                           std::to_string(rule.trigger.delayMinutes) + " min)"
                                                     : rule.trigger.cron + " · " + zone;
        rules.push_back(mstch::map{{"id", std::to_string(rule.id)},
                                   {"name", rule.name},
                                   {"trigger", trigger},
                                   {"paused", rule.paused},
                                   {"modelHref", Wizard::base(request) + "campaigns/" +
                                                     std::to_string(rule.modelCampaign) + "/composition"},
                                   {"next", next},
                                   {"hasNext", !next.empty()},
                                   {"past", past},
                                   {"hasPast", !past.empty()}});
    }
    mstch::array days;
    for (int d = 0; d < 7; ++d)
        days.push_back(mstch::map{
            {"value", std::to_string(d)},
            {"label", _wizard.text(std::string("massmailing.automations.day.") + DAYS[d], request)},
            {"selected", d == 2}});
    mstch::array targets;
    for (const CrmHost::Target& target : _audience.targets(request.groupId, "members"))
        if (target.params.empty())
            targets.push_back(mstch::map{{"id", target.id},
                                         {"label", _wizard.text(target.label, request)},
                                         {"selected", target.id == "members.not_ordered_next_distribution"}});
    mstch::map context{{"action", Wizard::base(request) + "automations"},
                       {"rules", rules},
                       {"hasRules", !rules.empty()},
                       {"days", days},
                       {"targets", targets},
                       {"error", error},
                       {"errorField", errorField}};
    std::string done = request.param("done");
    if (done == "create" || done == "pause" || done == "resume" || done == "skip" || done == "notifications")
        context["notice"] = _wizard.text("massmailing.automations.done." + done, request);
    Response response =
        _wizard.page(request, "automations", context, _wizard.text("massmailing.automations.title", request));
    response.status = status;
    return response;
}

Response AutomationsScreen::submit(const Request& request)
{
    std::string action = request.param("action");
    try
    {
        if (action == "create")
        {
            // "Every Tuesday at 18:00" as the cron expression "0 18 * * 2", in the chosen zone.
            std::string time = Poco::trim(request.param("time", "18:00"));
            long day = numberParam(request, "day");
            if (time.size() != 5 || time[2] != ':' || day < 0 || day > 6)
                throw FieldException("trigger.cron", "bad_cron", "choose a day and a time HH:MM");
            Automation rule;
            rule.groupId = request.groupId;
            rule.createdBy = request.userId;
            rule.name = Poco::trim(request.param("name"));
            unsigned hour = 0, minute = 0;
            if (!Poco::NumberParser::tryParseUnsigned(time.substr(0, 2), hour) ||
                !Poco::NumberParser::tryParseUnsigned(time.substr(3, 2), minute))
                throw FieldException("trigger.cron", "bad_cron", "choose a day and a time HH:MM");
            rule.trigger.cron =
                std::to_string(minute) + " " + std::to_string(hour) + " * * " + std::to_string(day);
            rule.trigger.timeZone = request.param("timezone", "Europe/Paris");
            rule.windowMinutes = request.param("window").empty() ? 120 : numberParam(request, "window");
            Campaign message;
            message.recipientType = "members";
            message.senderName = request.param("sender_name");
            message.senderEmail = Poco::trim(request.param("sender_email"));
            message.subject = request.param("subject");
            message.html = request.param("html");
            _automations.create(rule, message, {{request.param("target"), {}, false}});
        }
        else if (action == "notifications")
            _automations.setUpNotifications(request.groupId, request.userId);
        else if (action == "pause" || action == "resume" || action == "skip")
        {
            long id = numberParam(request, "id");
            std::optional<Automation> rule = _automations.find(id);
            if (!rule || rule->groupId != request.groupId)
                throw RequestError(404, "not_found", "no automation " + request.param("id"));
            if (action == "skip")
                _automations.skipNext(id);
            else
                _automations.setPaused(id, action == "pause");
        }
        else
            throw RequestError(400, "bad_action", "unknown action \"" + action.substr(0, 40) + "\"",
                               "action");
    }
    catch (const FieldException& error)
    {
        return render(request, 422, _wizard.errorText(error, request), error.field());
    }
    return Response::redirect(Wizard::base(request) + "automations?done=" + action);
}

Routes AutomationsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "automations", "massmailing.automations.menu", Rights::SEND,
         on(this, &AutomationsScreen::show)},
        {ScreenKind::Page, "POST", "automations", "", Rights::SEND, on(this, &AutomationsScreen::submit)},
    };
}
} // namespace MassMailing
