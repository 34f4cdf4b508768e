#include "screens/DeliveryApi.h"
#include "CrmHost/Exceptions.h"
#include "content/ContentException.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <climits>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
std::string stringify(const Poco::JSON::Object& object)
{
    return JsonBody::stringify(object);
}

JsonBody body(const Request& request)
{
    return JsonBody(request.body);
}
} // namespace

DeliveryApi::DeliveryApi(Campaigns& campaigns, Deliveries& deliveries, TestSend& testSend,
                         std::function<long()> monthlyLimit)
    : _campaigns(campaigns), _deliveries(deliveries), _testSend(testSend),
      _monthlyLimit(std::move(monthlyLimit))
{
}

std::string DeliveryApi::utcOf(const std::string& text, const std::string& field)
{
    Poco::DateTime time;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, time, zone) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, time, zone))
        throw FieldException(field, "bad_time",
                             field +
                                 " must be an ISO-8601 time with its offset, such as "
                                 "2026-12-01T09:30:00+01:00, not \"" +
                                 text + "\"");
    time.makeUTC(zone);
    return sqlTime(time);
}

Campaign DeliveryApi::campaignOf(const Request& request, const std::string& right)
{
    Poco::Int64 id = 0;
    Poco::NumberParser::tryParse64(request.param("id"), id);
    auto campaign = _campaigns.find(long(id));
    if (!campaign || !request.hasRight("massmailing.compose", campaign->groupId))
        throw RequestError(404, "not_found", "no campaign " + request.param("id"));
    if (!request.hasRight(right, campaign->groupId))
        throw RequestError(403, "forbidden", "you need the right " + right + " in this group");
    return *campaign;
}

Response DeliveryApi::change(const Request& request, const std::string& right,
                             const std::function<void(const Campaign&)>& action)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = campaignOf(request, right);
            try
            {
                action(campaign);
            }
            catch (const StateException& error)
            {
                Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
                e->set("code", "bad_state");
                e->set("message", error.message());
                e->set("field", "status");
                Poco::JSON::Object root;
                root.set("error", e);
                root.set("status", error.status());
                return Response::json(stringify(root), 409);
            }
            catch (const QuotaException& error)
            {
                Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
                e->set("code", "quota_exceeded");
                e->set("message", error.message());
                e->set("field", "audience");
                e->set("planned", Poco::Int64(error.planned));
                e->set("sent_this_month", Poco::Int64(error.sentThisMonth));
                e->set("monthly_limit", Poco::Int64(error.limit));
                Poco::JSON::Object root;
                root.set("error", e);
                return Response::json(stringify(root), 422);
            }
            catch (const Poco::InvalidArgumentException& error)
            {
                throw RequestError(400, "bad_request", error.message(),
                                   error.message().substr(0, error.message().find(':')));
            }
            Poco::JSON::Object answer;
            answer.set("id", Poco::Int64(campaign.id));
            answer.set("status", _deliveries.status(campaign.id));
            return Response::json(stringify(answer));
        });
}

Response DeliveryApi::schedule(const Request& request)
{
    return change(request, "massmailing.send",
                  [&](const Campaign& campaign)
                  {
                      auto in = body(request);
                      SendPlan plan;
                      std::string at = in.text("at");
                      plan.at = at.empty() ? "" : utcOf(at, "at");
                      plan.timeZone = in.text("timezone");
                      plan.maxPerHour = in.wholeNumber("max_per_hour", 0, LONG_MAX, 0);
                      std::string deadline = in.text("deadline");
                      plan.deadline = deadline.empty() ? "" : utcOf(deadline, "deadline");
                      _testSend.check(campaign); // subject and variables, as a test send would
                      // Whoever may not approve in this group needs an approver's yes (D2).
                      bool needsApproval = !request.hasRight("massmailing.approve", campaign.groupId);
                      _deliveries.schedule(campaign.id, plan, needsApproval, _monthlyLimit());
                  });
}

Response DeliveryApi::approve(const Request& request)
{
    return change(request, "massmailing.approve",
                  [&](const Campaign& campaign) { _deliveries.approve(campaign.id, request.userId); });
}

Response DeliveryApi::reject(const Request& request)
{
    return change(request, "massmailing.approve",
                  [&](const Campaign& campaign)
                  {
                      std::string reason = body(request).text("reason");
                      if (reason.empty())
                          throw RequestError(400, "required", "say why the campaign is rejected", "reason");
                      _deliveries.reject(campaign.id, request.userId, reason);
                  });
}

Response DeliveryApi::pause(const Request& request)
{
    return change(request, "massmailing.send",
                  [&](const Campaign& campaign) { _deliveries.pause(campaign.id, "paused by a user"); });
}

Response DeliveryApi::resume(const Request& request)
{
    return change(request, "massmailing.send",
                  [&](const Campaign& campaign) { _deliveries.resume(campaign.id); });
}

Response DeliveryApi::cancel(const Request& request)
{
    return change(request, "massmailing.send",
                  [&](const Campaign& campaign) { _deliveries.cancel(campaign.id); });
}

Response DeliveryApi::pacing(const Request& request)
{
    return change(
        request, "massmailing.send",
        [&](const Campaign& campaign)
        { _deliveries.setPacing(campaign.id, body(request).wholeNumber("max_per_hour", 0, LONG_MAX, 0)); });
}

Response DeliveryApi::resend(const Request& request)
{
    return change(request, "massmailing.send",
                  [&](const Campaign& campaign)
                  {
                      Poco::Int64 row = 0;
                      if (!Poco::NumberParser::tryParse64(request.param("row"), row))
                          throw RequestError(400, "bad_number", "the recipient must be a number", "row");
                      _deliveries.resend(campaign.id, long(row));
                  });
}
} // namespace MassMailing
