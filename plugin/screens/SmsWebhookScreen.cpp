#include "screens/SmsWebhookScreen.h"
#include "Rights.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sstream>

using CrmHost::Request;
using CrmHost::Response;
using CrmHost::ScreenKind;

namespace MassMailing
{
namespace
{
Response answer(const Poco::JSON::Object& object, int status)
{
    std::ostringstream out;
    object.stringify(out);
    return Response::json(out.str(), status);
}

Response error(const std::string& code, const std::string& message, int status)
{
    Poco::JSON::Object inner, outer;
    inner.set("code", code);
    inner.set("message", message);
    outer.set("error", inner);
    return answer(outer, status);
}
} // namespace

SmsWebhookScreen::SmsWebhookScreen(SmsReports& reports) : _reports(reports) {}

bool SmsWebhookScreen::authentic(const Request& request) const
{
    auto header = request.headers.find("x-signature");
    const std::string signature =
        header != request.headers.end() ? header->second : request.param("signature");
    return _reports.authentic(request.body, signature, request.param("token"));
}

Response SmsWebhookScreen::reports(const Request& request)
{
    if (!authentic(request))
        return error("unsigned", "the report is not signed with the SMS webhook secret", 401);
    std::vector<SmsReports::Report> reports;
    try
    {
        reports = SmsReports::parse(request.body, request.params);
    }
    catch (const Poco::SyntaxException& refused)
    {
        return error("malformed", refused.message(), 400);
    }
    const SmsReports::Outcome outcome = _reports.record(reports);
    Poco::JSON::Object result;
    result.set("recorded", outcome.recorded);
    result.set("pending", outcome.pending);
    result.set("unknown", outcome.unknown);
    result.set("ignored", outcome.ignored);
    return answer(result, outcome.pending > 0 ? 503 : 200);
}

Response SmsWebhookScreen::inbound(const Request& request)
{
    if (!authentic(request))
        return error("unsigned", "the reply is not signed with the SMS webhook secret", 401);
    SmsReports::Reply reply{request.param("from"), request.param("to"), request.param("text"),
                            request.param("id")};
    if (!request.body.empty())
    {
        try
        {
            auto object = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
            reply = {object->optValue<std::string>("from", ""), object->optValue<std::string>("to", ""),
                     object->optValue<std::string>("text", ""), object->optValue<std::string>("id", "")};
        }
        catch (const Poco::Exception& refused)
        {
            return error("malformed", "the reply is not a JSON object: " + refused.message(), 400);
        }
    }
    try
    {
        const std::size_t groups = _reports.receive(reply);
        Poco::JSON::Object result;
        result.set("stop", SmsReports::isStop(reply.text));
        result.set("groups", groups);
        return answer(result, 200);
    }
    catch (const Poco::InvalidArgumentException& refused)
    {
        return error("bad_sender", refused.message(), 400);
    }
}

Routes SmsWebhookScreen::routes()
{
    return {
        {ScreenKind::Public, "POST", "sms/reports", "", Rights::ANY, on(this, &SmsWebhookScreen::reports)},
        {ScreenKind::Public, "POST", "sms/inbound", "", Rights::ANY, on(this, &SmsWebhookScreen::inbound)},
    };
}
} // namespace MassMailing
