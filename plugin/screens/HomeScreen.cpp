#include "screens/HomeScreen.h"
#include <Poco/JSON/Object.h>
#include <sstream>

namespace MassMailing
{
HomeScreen::HomeScreen(const CrmHost::TemplateRenderer& templates) : _templates(templates) {}

CrmHost::Response HomeScreen::page(const CrmHost::Request& request) const
{
    CrmHost::Response response;
    response.title = _templates.translate("massmailing.home.title", request.locale);
    response.body = _templates.render(
        "home",
        mstch::map{{"canSend", request.hasRight("massmailing.send", request.groupId)},
                   {"canApprove", request.hasRight("massmailing.approve", request.groupId)}},
        request.locale);
    return response;
}

CrmHost::Response HomeScreen::status(const CrmHost::Request& request) const
{
    Poco::JSON::Object answer;
    answer.set("module", "massmailing");
    answer.set("version", "0.1.0");
    answer.set("group", Poco::Int64(request.groupId));
    std::ostringstream out;
    answer.stringify(out);
    return CrmHost::Response::json(out.str());
}
} // namespace MassMailing
