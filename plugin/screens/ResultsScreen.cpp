#include "screens/ResultsScreen.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "delivery/Deliveries.h"
#include "screens/JsonBody.h"
#include "screens/ResultsChart.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberFormatter.h>
#include <cmath>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
// A rate for the JSON: a share between 0 and 1, four decimals.
double share(long part, long whole)
{
    return std::round(ResultCounts::rate(part, whole) * 10000.0) / 10000.0;
}

Poco::JSON::Object::Ptr countsJson(const ResultCounts& c)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("planned", Poco::Int64(c.planned));
    o->set("sent", Poco::Int64(c.sent));
    o->set("delivered", Poco::Int64(c.delivered));
    Poco::JSON::Object::Ptr bounced = new Poco::JSON::Object;
    bounced->set("hard", Poco::Int64(c.bouncedHard));
    bounced->set("soft", Poco::Int64(c.bouncedSoft));
    o->set("bounced", bounced);
    Poco::JSON::Object::Ptr opened = new Poco::JSON::Object;
    opened->set("unique", Poco::Int64(c.openedUnique));
    opened->set("total", Poco::Int64(c.openedTotal));
    opened->set("machine", Poco::Int64(c.openedMachine));
    o->set("opened", opened);
    Poco::JSON::Object::Ptr clicked = new Poco::JSON::Object;
    clicked->set("unique", Poco::Int64(c.clickedUnique));
    clicked->set("total", Poco::Int64(c.clickedTotal));
    clicked->set("machine", Poco::Int64(c.clickedMachine));
    o->set("clicked", clicked);
    o->set("unsubscribed", Poco::Int64(c.unsubscribed));
    o->set("complained", Poco::Int64(c.complained));
    Poco::JSON::Object::Ptr rates = new Poco::JSON::Object;
    rates->set("sent", share(c.sent, c.planned));
    rates->set("delivered", share(c.delivered, c.sent));
    rates->set("bounced", share(c.bouncedHard + c.bouncedSoft, c.sent));
    rates->set("opened", share(c.openedUnique, c.delivered));
    rates->set("clicked", share(c.clickedUnique, c.delivered));
    rates->set("click_to_open", share(c.clickedUnique, c.openedUnique));
    rates->set("unsubscribed", share(c.unsubscribed, c.delivered));
    rates->set("complained", share(c.complained, c.delivered));
    o->set("rates", rates);
    return o;
}
} // namespace

ResultsScreen::ResultsScreen(Wizard& wizard, Campaigns& campaigns, Results& results)
    : _wizard(wizard), _door(campaigns), _results(results)
{
}

std::string ResultsScreen::percent(long part, long whole, const Request& request) const
{
    if (whole <= 0)
        return "–";
    std::string number = Poco::NumberFormatter::format(100.0 * ResultCounts::rate(part, whole), 1);
    if (request.locale == "fr")
        number.replace(number.find('.'), 1, ",");
    return number + "\xC2\xA0%"; // a no-break space before the sign, in both languages
}

Response ResultsScreen::page(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request, Rights::COMPOSE);
    CampaignResults r = _results.of(campaign);
    const ResultCounts& c = r.counts;
    const std::string base = Wizard::campaignBase(request, campaign.id);
    auto t = [&](const std::string& key) { return _wizard.text(key, request); };
    const bool live = Deliveries::running(r.status) || r.status == "scheduled";

    // The funnel: each stage with its count, its rate and what the rate is of.
    mstch::array funnel;
    auto stage =
        [&](const std::string& id, long count, long of, const std::string& ofKey, const std::string& more)
    {
        long width = of > 0 ? std::lround(100.0 * ResultCounts::rate(std::min(count, of), of)) : 0;
        funnel.push_back(mstch::map{{"id", id},
                                    {"label", t("massmailing.results.funnel." + id)},
                                    {"count", std::to_string(count)},
                                    {"rate", ofKey.empty() ? std::string() : percent(count, of, request)},
                                    {"rateOf", ofKey.empty() ? std::string() : t(ofKey)},
                                    {"width", std::to_string(width)},
                                    {"more", more}});
    };
    auto detail = [&](const std::string& key, long total, long machine)
    {
        return _wizard.text(key, request,
                            {{"total", std::to_string(total)}, {"machine", std::to_string(machine)}});
    };
    stage("planned", c.planned, 0, "", "");
    stage("sent", c.sent, c.planned, "massmailing.results.of.planned", "");
    stage("delivered", c.delivered, c.sent, "massmailing.results.of.sent", "");
    stage("bounced_hard", c.bouncedHard, c.sent, "massmailing.results.of.sent", "");
    stage("bounced_soft", c.bouncedSoft, c.sent, "massmailing.results.of.sent", "");
    stage("opened", c.openedUnique, c.delivered, "massmailing.results.of.delivered",
          detail("massmailing.results.opensDetail", c.openedTotal, c.openedMachine));
    stage("clicked", c.clickedUnique, c.delivered, "massmailing.results.of.delivered",
          detail("massmailing.results.clicksDetail", c.clickedTotal, c.clickedMachine) + " " +
              _wizard.text("massmailing.results.clickToOpen", request,
                           {{"rate", percent(c.clickedUnique, c.openedUnique, request)}}));
    stage("unsubscribed", c.unsubscribed, c.delivered, "massmailing.results.of.delivered", "");
    stage("complained", c.complained, c.delivered, "massmailing.results.of.delivered", "");

    mstch::array hours;
    for (const auto& h : r.hours)
        hours.push_back(mstch::map{{"hour", h.hour.substr(0, 16)},
                                   {"opens", std::to_string(h.opens)},
                                   {"clicks", std::to_string(h.clicks)},
                                   {"machineOpens", std::to_string(h.machineOpens)},
                                   {"machineClicks", std::to_string(h.machineClicks)}});
    std::string chart = ResultsChart::svg(
        r.hours, {t("massmailing.results.chart.title"), t("massmailing.results.chart.opens"),
                  t("massmailing.results.chart.clicks"), t("massmailing.results.chart.hours")});

    mstch::array links;
    for (const auto& link : r.links)
        links.push_back(mstch::map{{"url", link.url},
                                   {"unique", std::to_string(link.unique)},
                                   {"total", std::to_string(link.total)},
                                   {"machine", std::to_string(link.machine)},
                                   {"share", percent(link.unique, c.clickedUnique, request)}});

    auto sliceRow = [&](const std::string& name, const ResultCounts& s)
    {
        return mstch::map{{"name", name},
                          {"planned", std::to_string(s.planned)},
                          {"delivered", std::to_string(s.delivered)},
                          {"bounced", std::to_string(s.bouncedHard + s.bouncedSoft)},
                          {"bouncedRate", percent(s.bouncedHard + s.bouncedSoft, s.sent, request)},
                          {"opened", std::to_string(s.openedUnique)},
                          {"openedRate", percent(s.openedUnique, s.delivered, request)},
                          {"clicked", std::to_string(s.clickedUnique)},
                          {"clickedRate", percent(s.clickedUnique, s.delivered, request)},
                          {"complained", std::to_string(s.complained)}};
    };
    mstch::array domains, versions;
    for (const auto& slice : r.domains)
        domains.push_back(sliceRow(slice.others         ? t("massmailing.results.domains.others")
                                   : slice.name.empty() ? t("massmailing.results.domains.none")
                                                        : slice.name,
                                   slice.counts));
    for (const auto& slice : r.versions)
    {
        std::string name = t("massmailing.results.versions.main");
        if (!slice.name.empty())
        {
            std::string key = "massmailing.language." + slice.name, words = t(key);
            name = words == key ? slice.name : words;
        }
        versions.push_back(sliceRow(name, slice.counts));
    }

    const ControlComparison& k = r.control;
    mstch::map control{{"present", k.present},
                       {"withOrders", k.withOrders},
                       {"controlSize", std::to_string(k.controlSize)},
                       {"sentSize", std::to_string(k.sentSize)},
                       {"controlOrdered", std::to_string(k.controlOrdered)},
                       {"sentOrdered", std::to_string(k.sentOrdered)},
                       {"controlShare", percent(k.controlOrdered, k.controlSize, request)},
                       {"sentShare", percent(k.sentOrdered, k.sentSize, request)},
                       {"window", _wizard.text("massmailing.results.control.window", request,
                                               {{"days", std::to_string(Results::ORDER_DAYS)},
                                                {"from", Wizard::dateText(k.from, request.locale)}})}};

    mstch::map context{
        {"status", r.status},
        {"statusText", _wizard.statusText(r.status, request)},
        {"startedAt", r.startedAt.empty() ? std::string() : Wizard::dateText(r.startedAt, request.locale)},
        {"computedAt", r.computedAt.empty() ? std::string() : Wizard::dateText(r.computedAt, request.locale)},
        {"live", live},
        {"refreshSeconds", std::to_string(REFRESH_SECONDS)},
        {"csvHref", base + "results.csv"},
        {"csvName", "campaign-" + std::to_string(campaign.id) + "-results.csv"},
        {"sendHref", base + "send"},
        {"homeHref", Wizard::base(request)},
        {"funnel", funnel},
        {"chart", chart},
        {"hasHours", !hours.empty()},
        {"hours", hours},
        {"links", links},
        {"hasLinks", !links.empty()},
        {"domains", domains},
        {"hasDomains", !domains.empty()},
        {"versions", versions},
        {"hasVersions", versions.size() > 1},
        {"control", control}};
    return _wizard.page(request, "results", context,
                        _wizard.text("massmailing.results.title", request, {{"name", campaign.name}}), 0,
                        &campaign);
}

Response ResultsScreen::json(const Request& request)
{
    Campaign campaign = _door.open(request, Rights::COMPOSE);
    CampaignResults r = _results.of(campaign);
    Poco::JSON::Object::Ptr o = countsJson(r.counts);
    o->set("campaign", Poco::Int64(campaign.id));
    o->set("status", r.status);
    o->set("started_at", r.startedAt);
    o->set("computed_at", r.computedAt);
    Poco::JSON::Array::Ptr links = new Poco::JSON::Array;
    for (const auto& link : r.links)
    {
        Poco::JSON::Object::Ptr l = new Poco::JSON::Object;
        l->set("id", Poco::Int64(link.id));
        l->set("url", link.url);
        l->set("unique", Poco::Int64(link.unique));
        l->set("total", Poco::Int64(link.total));
        l->set("machine", Poco::Int64(link.machine));
        links->add(l);
    }
    o->set("links", links);
    Poco::JSON::Array::Ptr hours = new Poco::JSON::Array;
    for (const auto& h : r.hours)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
        item->set("hour", h.hour);
        item->set("opens", Poco::Int64(h.opens));
        item->set("machine_opens", Poco::Int64(h.machineOpens));
        item->set("clicks", Poco::Int64(h.clicks));
        item->set("machine_clicks", Poco::Int64(h.machineClicks));
        hours->add(item);
    }
    o->set("hours", hours);
    auto slices = [](const std::vector<ResultSlice>& all, const char* key)
    {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& slice : all)
        {
            Poco::JSON::Object::Ptr item = countsJson(slice.counts);
            item->set(key, slice.name);
            item->set("others", slice.others);
            array->add(item);
        }
        return array;
    };
    o->set("domains", slices(r.domains, "domain"));
    o->set("versions", slices(r.versions, "locale"));
    const ControlComparison& k = r.control;
    Poco::JSON::Object::Ptr control = new Poco::JSON::Object;
    control->set("size", Poco::Int64(k.controlSize));
    control->set("sent_size", Poco::Int64(k.sentSize));
    if (k.withOrders)
    {
        Poco::JSON::Object::Ptr orders = new Poco::JSON::Object;
        orders->set("from", k.from);
        orders->set("until", k.until);
        orders->set("control", Poco::Int64(k.controlOrdered));
        orders->set("sent", Poco::Int64(k.sentOrdered));
        orders->set("control_rate", share(k.controlOrdered, k.controlSize));
        orders->set("sent_rate", share(k.sentOrdered, k.sentSize));
        control->set("ordered", orders);
    }
    o->set("control_group", control);
    return Response::json(JsonBody::stringify(o));
}

Response ResultsScreen::csvPage(const Request& request)
{
    return csvOf(_wizard.campaignOf(request, Rights::COMPOSE));
}

Response ResultsScreen::csv(const Request& request)
{
    return csvOf(_door.open(request, Rights::COMPOSE));
}

Response ResultsScreen::csvOf(const Campaign& campaign)
{
    Response response;
    response.contentType = "text/csv; charset=utf-8";
    response.standalone = true;
    const long id = campaign.id;
    Results& results = _results;
    response.stream = [&results, id](std::ostream& out) { results.writeCsv(id, out); };
    return response;
}

Routes ResultsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/{id}/results", "", Rights::ANY, on(this, &ResultsScreen::page)},
        {ScreenKind::Page, "GET", "campaigns/{id}/results.csv", "", Rights::ANY,
         on(this, &ResultsScreen::csvPage)},
        {ScreenKind::Json, "GET", "campaigns/{id}/results", "", Rights::ANY, on(this, &ResultsScreen::json)},
        {ScreenKind::Json, "GET", "campaigns/{id}/results.csv", "", Rights::ANY,
         on(this, &ResultsScreen::csv)},
    };
}
} // namespace MassMailing
