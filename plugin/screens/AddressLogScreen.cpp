#include "screens/AddressLogScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <algorithm>
#include <memory>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const long PAGE = 50;

std::string encoded(const std::string& text)
{
    std::string out;
    Poco::URI::encode(text, "?&=+#%/;@:$,\"'<> ", out);
    return out;
}

long numberParam(const Request& request, const std::string& name, long fallback)
{
    Poco::Int64 value = 0;
    return Poco::NumberParser::tryParse64(Poco::trim(request.param(name)), value) ? long(value) : fallback;
}
} // namespace

AddressLogScreen::AddressLogScreen(Wizard& wizard, Campaigns& campaigns, AddressLog& log,
                                   Suppressions& suppressions, Deliveries& deliveries,
                                   PersonalData& personalData)
    : _wizard(wizard), _campaigns(campaigns), _log(log), _suppressions(suppressions), _deliveries(deliveries),
      _personalData(personalData)
{
}

Response AddressLogScreen::exportData(const Request& request)
{
    std::string address = Poco::trim(request.param("address"));
    try
    {
        auto data = std::make_shared<PersonalExport>(
            _personalData.exportOf(request.groupId, _campaigns.groupKind(request.groupId), address));
        Response response;
        response.standalone = true;
        if (request.param("format") == "csv")
        {
            response.contentType = "text/csv; charset=utf-8";
            response.stream = [data](std::ostream& out) { data->csv(out); };
        }
        else
        {
            response.contentType = "application/json";
            response.body = data->json();
        }
        return response;
    }
    catch (const FieldException& error)
    {
        return render(request, address, 422, _wizard.errorText(error, request), error.field());
    }
}

Response AddressLogScreen::erase(const Request& request)
{
    std::string address = Poco::trim(request.param("address"));
    try
    {
        _personalData.erase(request.groupId, _campaigns.groupKind(request.groupId), address,
                            request.param("confirm"), request.userId);
    }
    catch (const FieldException& error)
    {
        std::string key = "massmailing.log.error." + error.field() + "." + error.code();
        std::string words = _wizard.text(key, request, {{"address", address}});
        return render(request, address, 422, words == key ? _wizard.errorText(error, request) : words,
                      error.field());
    }
    return Response::redirect(href(request.groupId, address) + (address.empty() ? "?" : "&") + "done=erase");
}

std::string AddressLogScreen::href(long groupId, const std::string& address)
{
    std::string base = "/g/" + std::to_string(groupId) + "/massmailing/addresses/log";
    return address.empty() ? base : base + "?address=" + encoded(address);
}

Response AddressLogScreen::show(const Request& request)
{
    return render(request, Poco::trim(request.param("address")), 200, "", "");
}

Response AddressLogScreen::submit(const Request& request)
{
    std::string action = request.param("action"), address = Poco::trim(request.param("address"));
    std::string reason = request.param("reason");
    try
    {
        if (action == "lift")
            _suppressions.lift(request.groupId, address, request.userId, reason);
        else if (action == "resend")
        {
            // The campaign of the "id" field, through the one door: of this group, right send.
            Campaign campaign = _wizard.campaignOf(request, Rights::SEND);
            _deliveries.sendAgain(campaign.id, numberParam(request, "row", 0), request.userId, reason);
        }
        else
            throw RequestError(400, "bad_action", "unknown action \"" + action.substr(0, 40) + "\"",
                               "action");
    }
    catch (const FieldException& error)
    {
        // This page's own words first (a lift and a resend both need a reason), then the common ones.
        std::string key = "massmailing.log.error." + error.field() + "." + error.code();
        std::string words = _wizard.text(key, request, {{"address", address}});
        return render(request, address, 422, words == key ? _wizard.errorText(error, request) : words,
                      error.field());
    }
    catch (const StateException& error)
    {
        return render(request, address, 409,
                      _wizard.text("massmailing.log.error.state", request,
                                   {{"status", _wizard.statusText(error.status(), request)}}),
                      "status");
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        return render(request, address, 422, error.message(), "address");
    }
    return Response::redirect(href(request.groupId, address) + (address.empty() ? "?" : "&") +
                              "done=" + action);
}

Response AddressLogScreen::render(const Request& request, const std::string& address, int status,
                                  const std::string& error, const std::string& errorField)
{
    const bool maySend = request.hasRight(Rights::SEND, request.groupId);
    const bool mayAdmin = request.hasRight(Rights::ADMIN, request.groupId);
    const std::string action = Wizard::base(request) + "addresses/log";
    const std::string& locale = request.locale;
    auto date = [&](const std::string& stored)
    { return stored.empty() ? std::string() : Wizard::dateText(stored, locale); };
    mstch::map context{
        {"action", action},     {"address", address},
        {"error", error},       {"errorField", errorField},
        {"maySend", maySend},   {"typedReason", status == 200 ? std::string() : request.param("reason")},
        {"mayAdmin", mayAdmin}, {"eraseAction", Wizard::base(request) + "addresses/erase"}};
    std::string done = request.param("done");
    if (done == "lift" || done == "resend" || done == "erase")
        context["notice"] = _wizard.text("massmailing.log.done." + done, request);

    if (address.empty())
    {
        // The group's suppressions, newest first, each a link to its address's log.
        long total = _suppressions.countListed(request.groupId);
        long lastPage = total > 0 ? (total - 1) / PAGE : 0;
        long page = std::clamp(numberParam(request, "page", 0), 0L, lastPage);
        mstch::array rows;
        for (const auto& entry :
             _suppressions.listed(request.groupId, std::size_t(PAGE), std::size_t(page * PAGE)))
            rows.push_back(
                mstch::map{{"address", entry.address},
                           {"href", href(request.groupId, entry.address)},
                           {"reason", _wizard.text("massmailing.log.suppression." + entry.reason, request)},
                           {"detail", entry.detail},
                           {"at", date(entry.at)}});
        context["list"] = mstch::map{{"rows", rows},
                                     {"hasRows", !rows.empty()},
                                     {"total", _wizard.text("massmailing.log.listTotal", request,
                                                            {{"count", std::to_string(total)}})}};
        if (mayAdmin)
        {
            // The group's erasures: who and when, never whom (X2).
            mstch::array erasures;
            for (const auto& e : _personalData.erasures(request.groupId))
                erasures.push_back(mstch::map{
                    {"at", date(e.at)}, {"user", e.erasedByLogin}, {"rows", std::to_string(e.rows)}});
            context["erasures"] = erasures;
            context["hasErasures"] = !erasures.empty();
        }
        if (page > 0)
            context["previousPage"] = action + "?page=" + std::to_string(page - 1);
        if (page < lastPage)
            context["nextPage"] = action + "?page=" + std::to_string(page + 1);
        Response response =
            _wizard.page(request, "address_log", context, _wizard.text("massmailing.log.title", request));
        response.status = status;
        return response;
    }

    AddressLogReport report;
    try
    {
        report = _log.of(request.groupId, _campaigns.groupKind(request.groupId), address);
    }
    catch (const FieldException& refused)
    {
        context["error"] = _wizard.errorText(refused, request);
        context["errorField"] = std::string("address");
        Response response =
            _wizard.page(request, "address_log", context, _wizard.text("massmailing.log.title", request));
        response.status = 422;
        return response;
    }
    const bool suppressed = report.suppressed();

    mstch::array people;
    for (const auto& person : report.people)
    {
        std::string name = person.firstName +
                           (person.firstName.empty() || person.lastName.empty() ? "" : " ") + person.lastName;
        people.push_back(mstch::map{{"name", name.empty() ? person.email : name}, {"email", person.email}});
    }

    auto number = [](long n) { return std::to_string(n); };
    mstch::array deliveries;
    for (const auto& d : report.deliveries)
    {
        std::string statusKey =
            d.status == "left_out" ? "massmailing.reason." + d.reason : "massmailing.log.status." + d.status;
        std::string statusWords = _wizard.text(statusKey, request);
        if (statusWords == statusKey)
            statusWords = d.status;
        std::string why = d.status == "left_out" ? std::string() : d.reason;
        if (!why.empty())
        {
            std::string key = "massmailing.reason." + why;
            std::string words = _wizard.text(key, request);
            why = words == key ? why : words;
        }
        mstch::map row{{"campaignId", number(d.campaignId)},
                       {"campaign", d.campaignName},
                       {"campaignHref", Wizard::campaignBase(request, d.campaignId) + "send"},
                       {"campaignStatus", _wizard.statusText(d.campaignStatus, request)},
                       {"row", number(d.rowId)},
                       {"status", d.status},
                       {"statusText", statusWords},
                       {"reason", why},
                       {"detail", d.detail},
                       {"bounce", d.bounce.empty()
                                      ? std::string()
                                      : _wizard.text("massmailing.log.bounce." + d.bounce, request)},
                       {"bounceText", d.bounceDetail},
                       {"sentAt", date(d.sentAt)},
                       {"bouncedAt", date(d.bouncedAt)},
                       {"firstOpenAt", date(d.firstOpenAt)},
                       {"opens", number(d.opens)},
                       {"machineOpens", d.machineOpens > 0 ? number(d.machineOpens) : std::string()},
                       {"clicks", number(d.clicks)},
                       {"machineClicks", d.machineClicks > 0 ? number(d.machineClicks) : std::string()},
                       {"unsubscribedAt", date(d.unsubscribedAt)},
                       {"complainedAt", date(d.complainedAt)},
                       {"canResend", maySend && d.canSendAgain && !suppressed}};
        deliveries.push_back(row);
    }

    mstch::array tests;
    for (const auto& t : report.tests)
        tests.push_back(mstch::map{{"campaign", t.campaignName},
                                   {"campaignHref", Wizard::campaignBase(request, t.campaignId) + "preview"},
                                   {"sentTo", t.sentTo},
                                   {"at", date(t.at)}});

    mstch::array suppressions;
    for (const auto& s : report.suppressions)
    {
        std::string who =
            s.liftedBy > 0 && report.logins.count(s.liftedBy) ? report.logins.at(s.liftedBy) : "";
        suppressions.push_back(mstch::map{
            {"reason", _wizard.text("massmailing.log.suppression." + s.reason, request)},
            {"code", s.reason},
            {"detail", s.detail},
            {"scope", s.scope == "all" ? _wizard.text("massmailing.log.scope.all", request) : ""},
            {"at", date(s.at)},
            {"holds", s.holds()},
            {"liftedText",
             s.holds() ? std::string()
                       : _wizard.text("massmailing.log.liftedBy", request,
                                      {{"date", date(s.liftedAt)}, {"user", who}, {"reason", s.liftReason}})},
            {"liftable", maySend && s.liftable()},
            {"personal", s.reason == "unsubscribed" && s.holds()}});
    }

    mstch::array resends;
    for (const auto& r : report.resends)
    {
        auto found = std::find_if(report.deliveries.begin(), report.deliveries.end(),
                                  [&](const AddressDelivery& d) { return d.rowId == r.rowId; });
        resends.push_back(mstch::map{
            {"campaign", found == report.deliveries.end() ? "#" + number(r.campaignId) : found->campaignName},
            {"at", date(r.at)},
            {"user", r.requestedByLogin},
            {"previous", r.previousStatus},
            {"reason", r.reason}});
    }

    context["log"] =
        mstch::map{{"address", report.address},
                   {"member", report.member()},
                   {"people", people},
                   {"suppressed", suppressed},
                   {"deliveries", deliveries},
                   {"hasDeliveries", !deliveries.empty()},
                   {"tests", tests},
                   {"hasTests", !tests.empty()},
                   {"suppressions", suppressions},
                   {"hasSuppressions", !suppressions.empty()},
                   {"resends", resends},
                   {"hasResends", !resends.empty()},
                   {"truncated", report.truncated},
                   {"exportJson", Wizard::base(request) +
                                      "addresses/export?format=json&address=" + encoded(report.address)},
                   {"exportCsv", Wizard::base(request) +
                                     "addresses/export?format=csv&address=" + encoded(report.address)}};
    Response response =
        _wizard.page(request, "address_log", context,
                     _wizard.text("massmailing.log.titleOf", request, {{"address", report.address}}));
    response.status = status;
    return response;
}

Routes AddressLogScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "addresses/log", "massmailing.log.menu", Rights::COMPOSE,
         on(this, &AddressLogScreen::show)},
        {ScreenKind::Page, "POST", "addresses/log", "", Rights::SEND, on(this, &AddressLogScreen::submit)},
        {ScreenKind::Page, "GET", "addresses/export", "", Rights::ADMIN,
         on(this, &AddressLogScreen::exportData)},
        {ScreenKind::Page, "POST", "addresses/erase", "", Rights::ADMIN, on(this, &AddressLogScreen::erase)},
    };
}
} // namespace MassMailing
