#include "screens/PushScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "SqlTime.h"
#include <Poco/DateTime.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sstream>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
std::string encoded(const std::string& text)
{
    std::string out;
    Poco::URI::encode(text, "?&=+#%/;@:$,\"'<> ", out);
    return out;
}

std::string jsonError(const std::string& code, const std::string& message, const std::string& field)
{
    Poco::JSON::Object error, body;
    error.set("code", code);
    error.set("message", message);
    error.set("field", field);
    std::ostringstream out;
    body.set("error", error);
    body.stringify(out);
    return out.str();
}

// The part of an endpoint that says which push service a device uses, not the device itself.
std::string serviceOf(const std::string& endpoint)
{
    try
    {
        return Poco::URI(endpoint).getHost();
    }
    catch (const Poco::Exception&)
    {
        return "";
    }
}
} // namespace

PushScreen::PushScreen(Wizard& wizard, PushSubscriptions& subscriptions, PushDelivery& delivery,
                       const Vapid& vapid, std::function<bool()> loopbackAllowed)
    : _wizard(wizard), _subscriptions(subscriptions), _delivery(delivery), _vapid(vapid),
      _loopbackAllowed(std::move(loopbackAllowed))
{
}

long PushScreen::memberOf(const Request& request) const
{
    return _subscriptions.memberOfUser(request.userId, request.groupId);
}

Response PushScreen::show(const Request& request)
{
    const std::string email = Poco::trim(request.param("email"));
    const bool staffView = !email.empty();
    if (staffView && !request.hasRight(Rights::COMPOSE, request.groupId))
        throw RequestError(403, "forbidden", _wizard.text("massmailing.push.error.forbidden", request));
    const long person = staffView ? _subscriptions.memberByEmail(request.groupId, email) : memberOf(request);

    mstch::array devices;
    for (const auto& device :
         person ? _subscriptions.ofPerson(request.groupId, person) : std::vector<PushSubscription>{})
        devices.push_back(mstch::map{{"id", std::to_string(device.id)},
                                     {"service", serviceOf(device.endpoint)},
                                     {"agent", device.userAgent},
                                     {"since", Wizard::dateText(device.createdAt, request.locale)}});
    const std::string base = Wizard::base(request);
    const std::string done = request.param("done");
    std::string notice;
    if (done == "subscribed" || done == "removed")
        notice = _wizard.text("massmailing.push.done." + done, request);
    else if (done == "test")
        notice = _wizard.text("massmailing.push.done.test", request,
                              {{"sent", request.param("sent")}, {"reason", request.param("reason")}});
    mstch::map context{{"member", person != 0},
                       {"own", !staffView},
                       {"email", email},
                       {"notice", notice},
                       {"hasDevices", !devices.empty()},
                       {"devices", devices},
                       {"count", std::to_string(devices.size())},
                       {"vapidKey", _vapid.publicKey()},
                       {"worker", std::string("/p/massmailing/assets/push-sw.js")},
                       {"scope", std::string("/p/massmailing/assets/")},
                       {"subscribeAction", base + "push/subscriptions"},
                       {"removeAction", base + "push/devices/remove"},
                       {"testAction", base + "push/test"}};
    return _wizard.page(request, "push", context, _wizard.text("massmailing.push.title", request));
}

Response PushScreen::subscribe(const Request& request)
{
    const long person = memberOf(request);
    if (!person)
        return Response::json(
            jsonError("not_member", _wizard.text("massmailing.push.error.notMember", request), ""), 403);
    try
    {
        const PushSubscription subscription =
            PushSubscription::parse(request.param("subscription"), _loopbackAllowed());
        const long id = _subscriptions.add(request.groupId, person, subscription, request.userAgent,
                                           sqlTime(Poco::DateTime()));
        return Response::json("{\"id\":" + std::to_string(id) + "}", 201);
    }
    catch (const FieldException& error)
    {
        return Response::json(jsonError(error.code(), _wizard.errorText(error, request), error.field()), 422);
    }
}

Response PushScreen::remove(const Request& request)
{
    const long person = memberOf(request);
    Poco::Int64 id = 0;
    Poco::NumberParser::tryParse64(request.param("id"), id);
    for (const auto& device :
         person ? _subscriptions.ofPerson(request.groupId, person) : std::vector<PushSubscription>{})
        if (device.id == long(id))
            _subscriptions.remove(request.groupId, device.id);
    return Response::redirect(Wizard::base(request) + "push?done=removed");
}

Response PushScreen::test(const Request& request)
{
    const long person = memberOf(request);
    if (!person)
        throw RequestError(403, "not_member", _wizard.text("massmailing.push.error.notMember", request));
    std::string title = Poco::trim(request.param("title")), text = Poco::trim(request.param("text"));
    if (title.empty())
        title = _wizard.text("massmailing.push.testTitle", request);
    if (text.empty())
        text = _wizard.text("massmailing.push.testText", request);
    const auto outcome = _delivery.deliver(request.groupId, person, {title, text, ""});
    return Response::redirect(Wizard::base(request) + "push?done=test&sent=" + std::to_string(outcome.sent) +
                              "&reason=" + encoded(outcome.reason));
}

Routes PushScreen::routes()
{
    using CrmHost::ScreenKind;
    // Members hold no right of the module: each handler finds the user's own membership.
    return {
        {ScreenKind::Page, "GET", "push", "massmailing.push.menu", Rights::ANY, on(this, &PushScreen::show)},
        {ScreenKind::Page, "POST", "push/subscriptions", "", Rights::ANY, on(this, &PushScreen::subscribe)},
        {ScreenKind::Page, "POST", "push/devices/remove", "", Rights::ANY, on(this, &PushScreen::remove)},
        {ScreenKind::Page, "POST", "push/test", "", Rights::ANY, on(this, &PushScreen::test)},
    };
}
} // namespace MassMailing
