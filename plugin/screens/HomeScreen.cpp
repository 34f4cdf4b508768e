#include "screens/HomeScreen.h"
#include <Poco/JSON/Object.h>
#include <map>
#include <sstream>

namespace MassMailing
{
namespace
{
// The list's three sections; a status the delivery stage adds later lands in "scheduled".
std::string sectionOf(const std::string& status)
{
    if (status == "draft")
        return "drafts";
    if (status == "sent" || status == "cancelled" || status == "failed")
        return "sent";
    return "scheduled";
}
} // namespace

HomeScreen::HomeScreen(Wizard& wizard, Campaigns& campaigns, RecipientDirectory& directory)
    : _wizard(wizard), _campaigns(campaigns), _directory(directory)
{
}

CrmHost::Response HomeScreen::page(const CrmHost::Request& request) const
{
    std::map<std::string, mstch::array> rows;
    std::map<std::string, long> reachable; // per recipient type: one count query each
    for (const auto& c : _campaigns.ofGroup(request.groupId))
    {
        if (!reachable.count(c.recipientType))
            reachable[c.recipientType] = _directory.count(c.groupId, c.recipientType);
        std::string campaignBase = Wizard::campaignBase(request, c.id);
        rows[sectionOf(c.status)].push_back(
            mstch::map{{"id", std::to_string(c.id)},
                       {"name", c.name},
                       {"subject", c.subjectPrefix.empty() ? c.subject : c.subjectPrefix + " " + c.subject},
                       {"status", c.status},
                       {"statusText", _wizard.statusText(c.status, request)},
                       {"recipientType", _wizard.recipientTypeText(c.recipientType, request)},
                       {"created", Wizard::dateText(c.createdAt, request.locale)},
                       {"reachable", std::to_string(reachable[c.recipientType])},
                       {"detailsHref", campaignBase + "details"},
                       {"compositionHref", campaignBase + "composition"},
                       {"previewHref", campaignBase + "preview"}});
    }
    mstch::array sections;
    for (const char* id : {"drafts", "scheduled", "sent"})
        sections.push_back(mstch::map{{"id", std::string(id)},
                                      {"title", _wizard.text(std::string("massmailing.home.") + id, request)},
                                      {"count", std::to_string(rows[id].size())},
                                      {"empty", rows[id].empty()},
                                      {"campaigns", rows[id]}});
    mstch::map context{{"sections", sections},
                       {"canSend", request.hasRight("massmailing.send", request.groupId)},
                       {"canApprove", request.hasRight("massmailing.approve", request.groupId)}};
    return _wizard.page(request, "home", context, _wizard.text("massmailing.home.title", request));
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
