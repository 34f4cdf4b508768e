#include "screens/AddressLogApi.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <memory>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
// "2026-12-03 09:30:00" (UTC, as stored) as ISO 8601: "2026-12-03T09:30:00Z"; null for none.
Poco::Dynamic::Var isoTime(const std::string& stored)
{
    if (stored.size() < 19)
        return Poco::Dynamic::Var();
    return stored.substr(0, 10) + "T" + stored.substr(11, 8) + "Z";
}

long groupOf(const Request& request)
{
    if (request.groupId == 0)
        throw RequestError(400, "required", "the group parameter is required", "group");
    return request.groupId;
}

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

Poco::JSON::Object::Ptr suppressionJson(const Suppressions::Entry& entry, const AddressLogReport* report)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("address", entry.address);
    o->set("reason", entry.reason);
    o->set("at", isoTime(entry.at));
    o->set("detail", entry.detail);
    o->set("scope", entry.scope);
    o->set("campaign",
           entry.campaignId ? Poco::Dynamic::Var(Poco::Int64(entry.campaignId)) : Poco::Dynamic::Var());
    o->set("holds", entry.holds());
    o->set("liftable", entry.liftable());
    if (!entry.holds())
    {
        o->set("lifted_at", isoTime(entry.liftedAt));
        o->set("lifted_by", Poco::Int64(entry.liftedBy));
        if (report && report->logins.count(entry.liftedBy))
            o->set("lifted_by_login", report->logins.at(entry.liftedBy));
        o->set("lift_reason", entry.liftReason);
    }
    return o;
}
} // namespace

AddressLogApi::AddressLogApi(Campaigns& campaigns, AddressLog& log, Suppressions& suppressions,
                             Deliveries& deliveries, PersonalData& personalData)
    : _campaigns(campaigns), _door(campaigns), _log(log), _suppressions(suppressions),
      _deliveries(deliveries), _personalData(personalData)
{
}

Response AddressLogApi::exportData(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            long group = groupOf(request);
            std::string address = request.param("address"), format = request.param("format", "json");
            if (address.empty())
                throw RequestError(400, "required", "the address parameter is required", "address");
            if (format != "json" && format != "csv")
                throw RequestError(400, "bad_format", "format is json or csv", "format");
            auto data = std::make_shared<PersonalExport>(
                _personalData.exportOf(group, _campaigns.groupKind(group), address));
            if (format == "json")
                return Response::json(data->json());
            Response response;
            response.contentType = "text/csv; charset=utf-8";
            response.standalone = true;
            response.stream = [data](std::ostream& out) { data->csv(out); };
            return response;
        });
}

Response AddressLogApi::erase(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            JsonBody in(request.body);
            long group = groupOf(request);
            std::string address = in.text("address"), confirm = in.text("confirm");
            if (address.empty())
                throw RequestError(400, "required", "the address is required", "address");
            long rows =
                _personalData.erase(group, _campaigns.groupKind(group), address, confirm, request.userId);
            Poco::JSON::Object answer;
            answer.set("address", Suppressions::normalise(address));
            answer.set("erased", true);
            answer.set("rows", Poco::Int64(rows));
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AddressLogApi::erasures(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Poco::JSON::Array answer;
            for (const auto& e : _personalData.erasures(groupOf(request)))
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("id", Poco::Int64(e.id));
                o->set("erased_by", Poco::Int64(e.erasedBy));
                o->set("erased_by_login", e.erasedByLogin);
                o->set("at", isoTime(e.at));
                o->set("rows", Poco::Int64(e.rows));
                answer.add(o);
            }
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AddressLogApi::log(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            long group = groupOf(request);
            std::string address = request.param("address");
            if (address.empty())
                throw RequestError(400, "required", "the address parameter is required", "address");
            AddressLogReport report = _log.of(group, _campaigns.groupKind(group), address);
            Poco::JSON::Object answer;
            answer.set("address", report.address);
            answer.set("member", report.member());
            answer.set("suppressed", report.suppressed());
            Poco::JSON::Array people;
            for (const auto& person : report.people)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("recipient", person.kind + ":" + std::to_string(person.id));
                o->set("first_name", person.firstName);
                o->set("last_name", person.lastName);
                o->set("email", person.email);
                people.add(o);
            }
            answer.set("people", people);
            Poco::JSON::Array entries;
            for (const auto& d : report.deliveries)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("campaign", Poco::Int64(d.campaignId));
                o->set("campaign_name", d.campaignName);
                o->set("campaign_status", d.campaignStatus);
                o->set("recipient_row", Poco::Int64(d.rowId));
                o->set("status", d.status);
                o->set("reason", d.reason);
                o->set("detail", d.detail);
                o->set("bounce", d.bounce);
                o->set("bounce_text", d.bounceDetail);
                o->set("at", isoTime(d.sentAt));
                o->set("sent_at", isoTime(d.sentAt));
                o->set("bounced_at", isoTime(d.bouncedAt));
                o->set("first_open_at", isoTime(d.firstOpenAt));
                o->set("first_click_at", isoTime(d.firstClickAt));
                o->set("opens", Poco::Int64(d.opens));
                o->set("machine_opens", Poco::Int64(d.machineOpens));
                o->set("clicks", Poco::Int64(d.clicks));
                o->set("machine_clicks", Poco::Int64(d.machineClicks));
                o->set("unsubscribed_at", isoTime(d.unsubscribedAt));
                o->set("complained_at", isoTime(d.complainedAt));
                o->set("can_send_again", d.canSendAgain && !report.suppressed());
                entries.add(o);
            }
            answer.set("entries", entries);
            answer.set("truncated", report.truncated);
            Poco::JSON::Array tests;
            for (const auto& t : report.tests)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("campaign", Poco::Int64(t.campaignId));
                o->set("campaign_name", t.campaignName);
                o->set("sent_to", t.sentTo);
                o->set("sample", t.sample);
                o->set("at", isoTime(t.at));
                tests.add(o);
            }
            answer.set("tests", tests);
            Poco::JSON::Array suppressions;
            for (const auto& entry : report.suppressions)
                suppressions.add(suppressionJson(entry, &report));
            answer.set("suppressions", suppressions);
            Poco::JSON::Array resends;
            for (const auto& r : report.resends)
            {
                Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                o->set("campaign", Poco::Int64(r.campaignId));
                o->set("recipient_row", Poco::Int64(r.rowId));
                o->set("previous_status", r.previousStatus);
                o->set("previous_detail", r.previousDetail);
                o->set("requested_by", Poco::Int64(r.requestedBy));
                o->set("requested_by_login", r.requestedByLogin);
                o->set("reason", r.reason);
                o->set("at", isoTime(r.at));
                resends.add(o);
            }
            answer.set("resends", resends);
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AddressLogApi::suppressions(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            long group = groupOf(request);
            Poco::JSON::Array answer;
            for (const auto& entry : _suppressions.listed(group, sizeParam(request, "limit", 100, 1000),
                                                          sizeParam(request, "offset", 0, 100000000)))
                answer.add(suppressionJson(entry, nullptr));
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AddressLogApi::lift(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            JsonBody in(request.body);
            long group = groupOf(request);
            std::string address = in.text("address"), reason = in.text("reason");
            if (address.empty())
                throw RequestError(400, "required", "the address is required", "address");
            try
            {
                _suppressions.lift(group, address, request.userId, reason);
            }
            catch (const FieldException&)
            {
                throw;
            }
            catch (const Poco::InvalidArgumentException& error)
            {
                throw RequestError(400, "invalid_address", error.message(), "address");
            }
            Poco::JSON::Array entries;
            for (const auto& entry : _suppressions.ofAddress(group, address))
                entries.add(suppressionJson(entry, nullptr));
            Poco::JSON::Object answer;
            answer.set("address", Suppressions::normalise(address));
            answer.set("suppressions", entries);
            return Response::json(JsonBody::stringify(answer));
        });
}

Response AddressLogApi::resendTo(const Request& request)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = _door.open(request, Rights::SEND);
            JsonBody in(request.body);
            std::string address = in.text("address"), reason = in.text("reason");
            if (address.empty())
                throw RequestError(400, "required", "the address is required", "address");
            long id = _deliveries.sendAgainTo(campaign.id, address, request.userId, reason);
            Poco::JSON::Object answer;
            answer.set("resend", Poco::Int64(id));
            answer.set("campaign", Poco::Int64(campaign.id));
            answer.set("status", _deliveries.status(campaign.id));
            return Response::json(JsonBody::stringify(answer), 201);
        });
}

Routes AddressLogApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "GET", "addresses/log", "", Rights::COMPOSE, on(this, &AddressLogApi::log)},
        {ScreenKind::Json, "GET", "suppressions", "", Rights::COMPOSE,
         on(this, &AddressLogApi::suppressions)},
        {ScreenKind::Json, "POST", "suppressions/lift", "", Rights::SEND, on(this, &AddressLogApi::lift)},
        {ScreenKind::Json, "POST", "campaigns/{id}/resend_to", "", Rights::ANY,
         on(this, &AddressLogApi::resendTo)},
        {ScreenKind::Json, "GET", "addresses/export", "", Rights::ADMIN,
         on(this, &AddressLogApi::exportData)},
        {ScreenKind::Json, "POST", "addresses/erase", "", Rights::ADMIN, on(this, &AddressLogApi::erase)},
        {ScreenKind::Json, "GET", "erasures", "", Rights::ADMIN, on(this, &AddressLogApi::erasures)},
    };
}
} // namespace MassMailing
