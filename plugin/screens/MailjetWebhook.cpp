#include "screens/MailjetWebhook.h"
#include "Rights.h"
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <sstream>

namespace MassMailing
{
const char* const MailjetWebhook::PATH = "mailjet/events/";

namespace
{
CrmHost::Response error(int status, const std::string& code, const std::string& message)
{
    Poco::JSON::Object body, inner;
    inner.set("code", code);
    inner.set("message", message);
    body.set("error", inner);
    std::ostringstream out;
    body.stringify(out);
    return CrmHost::Response::json(out.str(), status);
}
} // namespace

MailjetWebhook::MailjetWebhook(const MailjetEvents& events, std::string key)
    : _events(events), _key(std::move(key))
{
}

CrmHost::Response MailjetWebhook::post(const CrmHost::Request& request)
{
    if (!MailjetEvents::webhookTokenMatches(_key, request.param("token")))
        return error(404, "not_found", "no such webhook");
    std::vector<MailjetEvent> events;
    try
    {
        events = MailjetEvent::parse(request.body);
    }
    catch (const Poco::DataFormatException& refused)
    {
        return error(400, "invalid", refused.message());
    }
    MailjetEvents::Outcome outcome;
    try
    {
        outcome = _events.record(events);
    }
    catch (const Poco::Exception& failed)
    {
        Poco::Logger::get("crmhost.module.massmailing.tracking")
            .error("Mailjet's events not recorded (it posts them again): %s", failed.displayText());
        return error(500, "unavailable", "the events could not be recorded now");
    }
    return CrmHost::Response::json("{\"recorded\": " + std::to_string(outcome.recorded) +
                                   ", \"ignored\": " + std::to_string(outcome.ignored) + "}");
}

Routes MailjetWebhook::routes()
{
    using CrmHost::ScreenKind;
    return {{ScreenKind::Public, "POST", std::string(PATH) + "{token}", "", Rights::ANY,
             on(this, &MailjetWebhook::post)}};
}
} // namespace MassMailing
