#include "screens/HomeScreen.h"
#include "Rights.h"
#include "delivery/Deliveries.h"
#include "delivery/TimeZones.h"
#include <Poco/JSON/Object.h>
#include <map>
#include <sstream>

namespace MassMailing
{
namespace
{
// The list's three sections; a rejected campaign is a draft again, to be changed.
std::string sectionOf(const std::string& status)
{
    if (Deliveries::editable(status))
        return "drafts";
    if (Deliveries::finished(status))
        return "sent";
    return "scheduled";
}
} // namespace

HomeScreen::HomeScreen(Wizard& wizard, Campaigns& campaigns, RecipientDirectory& directory,
                       DeliveryProgress& progress)
    : _wizard(wizard), _campaigns(campaigns), _directory(directory), _progress(progress)
{
}

CrmHost::Response HomeScreen::page(const CrmHost::Request& request) const
{
    std::map<std::string, mstch::array> rows;
    std::map<std::string, long> reachable; // per recipient type: one count query each
    mstch::array approvals;
    for (const auto& c : _campaigns.ofGroup(request.groupId))
    {
        if (c.automatic == "model")
            continue; // an automatic message's own: on the automatic messages' screen
        if (!reachable.count(c.recipientType))
            reachable[c.recipientType] = _directory.count(c.groupId, c.recipientType);
        std::string campaignBase = Wizard::campaignBase(request, c.id);
        std::string section = sectionOf(c.status);
        std::string when;
        if (section == "scheduled")
        {
            // The time as it was entered: in its zone, with that zone's offset on that date.
            DeliveryState state = _progress.state(c.id);
            if (!state.scheduledAt.empty())
            {
                std::string zone = TimeZones::known(state.timeZone) ? state.timeZone : "UTC";
                when = _wizard.text(
                    "massmailing.send.localTime", request,
                    {{"time", Wizard::dateText(TimeZones::localOf(state.scheduledAt, zone), request.locale)},
                     {"zone", zone},
                     {"offset", TimeZones::offsetOf(state.scheduledAt, zone)}});
            }
        }
        mstch::map row{{"id", std::to_string(c.id)},
                       {"name", c.name},
                       {"subject", c.subjectPrefix.empty() ? c.subject : c.subjectPrefix + " " + c.subject},
                       {"status", c.status},
                       {"automatic", c.automatic == "occurrence"},
                       {"statusText", _wizard.statusText(c.status, request)},
                       {"recipientType", _wizard.recipientTypeText(c.recipientType, request)},
                       {"created", Wizard::dateText(c.createdAt, request.locale)},
                       {"reachable", std::to_string(reachable[c.recipientType])},
                       {"detailsHref", campaignBase + "details"},
                       {"compositionHref", campaignBase + "composition"},
                       {"previewHref", campaignBase + "preview"},
                       {"sendHref", campaignBase + "send"},
                       {"resultsHref", campaignBase + "results"},
                       {"hasResults", Deliveries::hasSent(c.status)},
                       {"when", when},
                       {"cancellable", section == "scheduled"}};
        if (c.status == "pending_approval")
            approvals.push_back(row);
        rows[section].push_back(row);
    }
    mstch::array sections;
    for (const char* id : {"drafts", "scheduled", "sent"})
        sections.push_back(mstch::map{{"id", std::string(id)},
                                      {"isScheduled", std::string(id) == "scheduled"},
                                      {"title", _wizard.text(std::string("massmailing.home.") + id, request)},
                                      {"count", std::to_string(rows[id].size())},
                                      {"empty", rows[id].empty()},
                                      {"campaigns", rows[id]}});
    mstch::map context{{"sections", sections},
                       {"canSend", request.hasRight(Rights::SEND, request.groupId)},
                       {"canApprove", request.hasRight(Rights::APPROVE, request.groupId)},
                       {"approvals", approvals},
                       {"hasApprovals", !approvals.empty()}};
    std::string done = request.param("done");
    std::string key = "massmailing.home.done." + done;
    if (!done.empty() && _wizard.text(key, request) != key)
        context["notice"] = _wizard.text(key, request);
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

Routes HomeScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "", "massmailing.menu", Rights::COMPOSE, on(this, &HomeScreen::page)},
        {ScreenKind::Json, "GET", "status", "", Rights::COMPOSE, on(this, &HomeScreen::status)},
    };
}
} // namespace MassMailing
