#include "screens/AudienceApi.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "delivery/Deliveries.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <climits>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
std::size_t sizeParam(const Request& request, const std::string& name, std::size_t fallback, std::size_t max)
{
    unsigned value = 0;
    std::string text = request.param(name);
    if (text.empty())
        return fallback;
    if (!Poco::NumberParser::tryParseUnsigned(text, value))
        throw RequestError(400, "bad_number", name + " must be a whole number", name);
    return std::min<std::size_t>(value, max);
}
} // namespace

AudienceApi::AudienceApi(Campaigns& campaigns, Audience& audience, AudienceLoads& loads, Translate translate,
                         std::function<long()> monthlyLimit)
    : _campaigns(campaigns), _door(campaigns), _audience(audience), _loads(loads),
      _translate(std::move(translate)), _monthlyLimit(std::move(monthlyLimit))
{
}

AudienceOwner AudienceApi::ownerOf(const Campaign& campaign)
{
    return {campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
}

std::string AudienceApi::label(const CrmHost::Target& target, const std::string& locale) const
{
    std::string text = _translate(target.label, locale);
    for (const auto& [name, value] : target.params)
        Poco::replaceInPlace(text, "{" + name + "}", value);
    return text;
}

std::string AudienceApi::summaryJson(const AudienceSummary& s)
{
    Poco::JSON::Object o;
    o.set("loaded", Poco::Int64(s.loaded));
    o.set("invalid", Poco::Int64(s.count("invalid") + s.count("no_address")));
    o.set("duplicates", Poco::Int64(s.count("duplicate")));
    o.set("unsubscribed", Poco::Int64(s.count("unsubscribed")));
    o.set("without_consent", Poco::Int64(s.withoutConsent));
    o.set("planned", Poco::Int64(s.planned));
    o.set("monthly_limit", Poco::Int64(s.monthlyLimit));
    o.set("sent_this_month", Poco::Int64(s.sentThisMonth));
    if (s.remainingThisMonth() < 0)
        o.set("remaining_this_month", Poco::Dynamic::Var()); // no limit
    else
        o.set("remaining_this_month", Poco::Int64(s.remainingThisMonth()));
    Poco::JSON::Object::Ptr leftOut = new Poco::JSON::Object;
    for (const auto& [reason, count] : s.leftOut)
        leftOut->set(reason, Poco::Int64(count));
    o.set("left_out", leftOut);
    return JsonBody::stringify(o);
}

Campaign AudienceApi::campaignOf(const Request& request, bool change)
{
    Campaign campaign = _door.open(request, change ? Rights::COMPOSE : Rights::ANY);
    if (change && !Deliveries::editable(campaign.status))
        throw RequestError(409, "not_draft",
                           "the audience of a campaign can change only while it is a draft; it is " +
                               campaign.status);
    if (change)
    {
        // One load at a time: a change would be lost under the rows the running load writes.
        try
        {
            _loads.refuseWhileRunning(campaign.id);
        }
        catch (const LoadRunningException& error)
        {
            throw RequestError(409, "load_running", error.message());
        }
    }
    return campaign;
}

Response AudienceApi::targets(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            if (request.groupId == 0)
                throw RequestError(400, "required", "the group parameter is required", "group");
            std::string kind = _campaigns.groupKind(request.groupId);
            std::string type = request.param("recipient_type", kind == "crm" ? "targets" : "members");
            Poco::JSON::Array answer;
            for (const auto& target : _audience.targets(request.groupId, type))
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("id", target.id);
                o->set("label", label(target, request.locale));
                o->set("kind", target.kind);
                o->set("recipient_type", target.recipientType);
                Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
                for (const auto& [name, value] : target.params)
                    params->set(name, value);
                o->set("params", params);
                answer.add(o);
            }
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AudienceApi::change(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, true);
            AudienceOwner owner = ownerOf(campaign);
            // The whole body is read first: a refused field changes nothing.
            JsonBody in(request.body);
            const bool reset = in.boolean("reset");
            struct Source
            {
                bool exclude;
                long campaign; /// 0: a target
                std::string target;
                std::map<std::string, std::string> params;
                std::string
                    rows; /// With a campaign: Audience::NOT_OPENED or UNDELIVERED; "": all it was sent to
            };
            std::vector<Source> sources;
            for (const char* action : {"add", "exclude"})
                for (const JsonBody& item : in.objects(action))
                {
                    const bool exclude = std::string(action) == "exclude";
                    // {"campaign": X, "rows": "not_opened" | "undelivered"}: those of campaign X (A11),
                    // as targets or exclusions; {"campaign": X} alone excludes everyone sent X.
                    const std::string rows = item.text("rows");
                    if (item.has("campaign") && (exclude || !rows.empty()))
                    {
                        if (!rows.empty() && !Audience::isCampaignRows(rows))
                            throw RequestError(400, "bad_rows", "rows is not_opened or undelivered", "rows");
                        sources.push_back(
                            {exclude, item.wholeNumber("campaign", 1, LONG_MAX, 0), "", {}, rows});
                    }
                    else
                        sources.push_back({exclude, 0, item.text("target"), item.textMap("params"), ""});
                }
            const std::vector<std::string> addresses = in.texts("addresses");
            const std::vector<std::string> removed = in.texts("remove");
            const std::vector<std::string> checked = in.texts("check");
            const bool control = in.has("control_group");
            const long controlGroup = in.wholeNumber("control_group", INT_MIN, INT_MAX, 0);
            try
            {
                if (reset)
                    _audience.clear(owner);
                for (const Source& source : sources)
                {
                    if (source.campaign && !source.rows.empty())
                        _audience.addCampaignRows(owner, source.rows, source.campaign, source.exclude);
                    else if (source.campaign)
                        _audience.excludeCampaign(owner, source.campaign);
                    else
                        _audience.addTarget(owner, source.target, source.params, source.exclude);
                }
                if (!addresses.empty())
                    _audience.addAddresses(owner, addresses);
                for (const auto& key : removed)
                    _audience.setChecked(owner, key, false);
                for (const auto& key : checked)
                    _audience.setChecked(owner, key, true);
                if (control)
                    _audience.setControlGroup(owner, int(controlGroup));
            }
            catch (const FieldException&)
            {
                throw;
            }
            catch (const Poco::NotFoundException& error)
            {
                throw RequestError(400, "unknown_target", error.message(), "add");
            }
            catch (const Poco::InvalidArgumentException& error)
            {
                throw RequestError(400, "bad_audience", error.message());
            }
            return resolved(request, owner);
        });
}

std::string AudienceApi::stateJson(const AudienceLoads::State& state, long campaignId,
                                   const std::function<void(Poco::JSON::Object&)>& fill)
{
    Poco::JSON::Object o;
    o.set("state", state.state.empty() ? std::string("none") : state.state);
    o.set("step", state.step);
    o.set("rows", Poco::Int64(state.rows));
    o.set("done", state.done);
    o.set("total", state.total);
    o.set("poll", "/api/v1/massmailing/campaigns/" + std::to_string(campaignId) + "/audience/load");
    if (state.state == "done")
        o.set("summary", Poco::JSON::Parser().parse(summaryJson(state.summary)));
    if (state.state == "failed")
        o.set("error", state.error);
    if (fill)
        fill(o);
    return JsonBody::stringify(o);
}

Response AudienceApi::resolved(const Request& request, const AudienceOwner& owner,
                               const std::function<void(Poco::JSON::Object&)>& fill)
{
    // In the background; the answer waits a second, or to the end with wait=true (the clients
    // written before loads ran in the background get their summary then).
    const bool waitToEnd = request.param("wait") == "true" || request.param("wait") == "1";
    AudienceLoads::State state;
    try
    {
        state = _loads.start(owner, _monthlyLimit(), waitToEnd ? -1 : AudienceLoads::WAIT_MILLISECONDS);
    }
    catch (const LoadRunningException& error)
    {
        throw RequestError(409, "load_running", error.message());
    }
    if (state.state != "done")
    {
        Response answer = Response::json(stateJson(state, owner.campaignId, fill), 202);
        answer.location =
            "/api/v1/massmailing/campaigns/" + std::to_string(owner.campaignId) + "/audience/load";
        return answer;
    }
    if (!fill)
        return Response::json(summaryJson(state.summary));
    Poco::JSON::Object o;
    fill(o);
    o.set("summary", Poco::JSON::Parser().parse(summaryJson(state.summary)));
    return Response::json(JsonBody::stringify(o));
}

Response AudienceApi::load(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, false);
            const bool waitToEnd = request.param("wait") == "true" || request.param("wait") == "1";
            AudienceLoads::State state = _loads.wait(campaign.id, waitToEnd ? -1 : 0);
            return Response::json(stateJson(state, campaign.id, {}));
        });
}

Response AudienceApi::importCsv(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, true);
            AudienceOwner owner = ownerOf(campaign);
            CsvReport report = _audience.importCsv(owner, request.body);
            Poco::JSON::Array refused;
            for (const auto& refusal : report.refused)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("line", Poco::Int64(refusal.line));
                o->set("code", refusal.code);
                o->set("field", refusal.field);
                o->set("reason", refusal.message);
                refused.add(o);
            }
            return resolved(request, owner,
                            [&](Poco::JSON::Object& o)
                            {
                                o.set("taken", Poco::Int64(report.taken));
                                o.set("refused", refused);
                            });
        });
}

Response AudienceApi::summary(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, false);
            return Response::json(summaryJson(_audience.summary(ownerOf(campaign), _monthlyLimit())));
        });
}

Response AudienceApi::recipients(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, false);
            Poco::JSON::Array answer;
            for (const auto& row : _audience.rows(
                     campaign.id, request.param("status"), request.param("reason"),
                     sizeParam(request, "limit", 100, 1000), sizeParam(request, "offset", 0, 100000000)))
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("id", Poco::Int64(row.id));
                o->set("recipient", row.kind + ":" + std::to_string(row.recipientId));
                o->set("email", row.email);
                o->set("first_name", row.firstName);
                o->set("last_name", row.lastName);
                o->set("status", row.status);
                o->set("reason", row.reason);
                o->set("source", row.source);
                answer.add(o);
            }
            return Response::json(JsonBody::stringify(answer));
        });
}

Routes AudienceApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "GET", "targets", "", Rights::COMPOSE, on(this, &AudienceApi::targets)},
        {ScreenKind::Json, "POST", "campaigns/{id}/audience", "", Rights::ANY,
         on(this, &AudienceApi::change)},
        {ScreenKind::Json, "POST", "campaigns/{id}/audience/csv", "", Rights::ANY,
         on(this, &AudienceApi::importCsv)},
        {ScreenKind::Json, "GET", "campaigns/{id}/summary", "", Rights::ANY, on(this, &AudienceApi::summary)},
        {ScreenKind::Json, "GET", "campaigns/{id}/audience/load", "", Rights::ANY,
         on(this, &AudienceApi::load)},
        {ScreenKind::Json, "GET", "campaigns/{id}/recipients", "", Rights::ANY,
         on(this, &AudienceApi::recipients)},
    };
}
} // namespace MassMailing
