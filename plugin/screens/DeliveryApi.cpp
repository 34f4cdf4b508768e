#include "screens/DeliveryApi.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "content/ContentException.h"
#include "delivery/TimeZones.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <climits>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
DeliveryApi::DeliveryApi(Campaigns& campaigns, Deliveries& deliveries, TestSend& testSend,
                         std::function<long()> monthlyLimit)
    : _door(campaigns), _deliveries(deliveries), _testSend(testSend), _monthlyLimit(std::move(monthlyLimit))
{
}

std::string DeliveryApi::utcOf(const std::string& text, const std::string& field)
{
    return TimeZones::utcOfInstant(text, field);
}

Response DeliveryApi::change(const Request& request, const std::string& right,
                             const std::function<void(const Campaign&)>& action)
{
    return CampaignApi::guard(
        [&]
        {
            Campaign campaign = _door.open(request, right);
            action(campaign);
            Poco::JSON::Object answer;
            answer.set("id", Poco::Int64(campaign.id));
            answer.set("status", _deliveries.status(campaign.id));
            return Response::json(JsonBody::stringify(answer));
        });
}

Response DeliveryApi::schedule(const Request& request)
{
    return change(
        request, Rights::SEND,
        [&](const Campaign& campaign)
        {
            JsonBody in(request.body);
            SendPlan plan;
            std::string at = in.text("at");
            plan.at = at.empty() ? "" : utcOf(at, "at");
            plan.timeZone = in.text("timezone");
            plan.maxPerHour = in.wholeNumber("max_per_hour", 0, LONG_MAX, 0);
            std::string deadline = in.text("deadline");
            plan.deadline = deadline.empty() ? "" : utcOf(deadline, "deadline");
            // D12: each recipient at a local hour, and the days and hours it may send.
            plan.localTime = in.text("local_time");
            plan.optimisedHour = in.boolean("optimised_hour");
            JsonBody calendar = in.object("calendar");
            plan.calendar = {calendar.textOrWholeNumber("days"), calendar.text("from"), calendar.text("to")};
            _testSend.check(campaign); // subject and variables, as a test send would
            // Whoever may not approve in this group needs an approver's yes (D2).
            bool needsApproval = !request.hasRight(Rights::APPROVE, campaign.groupId);
            _deliveries.schedule(campaign.id, plan, needsApproval, _monthlyLimit());
        });
}

Response DeliveryApi::approve(const Request& request)
{
    return change(request, Rights::APPROVE,
                  [&](const Campaign& campaign) { _deliveries.approve(campaign.id, request.userId); });
}

Response DeliveryApi::reject(const Request& request)
{
    return change(request, Rights::APPROVE,
                  [&](const Campaign& campaign)
                  {
                      std::string reason = JsonBody(request.body).text("reason");
                      if (reason.empty())
                          throw RequestError(400, "required", "say why the campaign is rejected", "reason");
                      _deliveries.reject(campaign.id, request.userId, reason);
                  });
}

Response DeliveryApi::pause(const Request& request)
{
    return change(request, Rights::SEND,
                  [&](const Campaign& campaign) { _deliveries.pause(campaign.id, "paused by a user"); });
}

Response DeliveryApi::resume(const Request& request)
{
    return change(request, Rights::SEND, [&](const Campaign& campaign) { _deliveries.resume(campaign.id); });
}

Response DeliveryApi::cancel(const Request& request)
{
    return change(request, Rights::SEND, [&](const Campaign& campaign) { _deliveries.cancel(campaign.id); });
}

Response DeliveryApi::pacing(const Request& request)
{
    return change(request, Rights::SEND,
                  [&](const Campaign& campaign) {
                      _deliveries.setPacing(
                          campaign.id, JsonBody(request.body).wholeNumber("max_per_hour", 0, LONG_MAX, 0));
                  });
}

Response DeliveryApi::resend(const Request& request)
{
    return change(request, Rights::SEND,
                  [&](const Campaign& campaign)
                  {
                      Poco::Int64 row = 0;
                      if (!Poco::NumberParser::tryParse64(request.param("row"), row))
                          throw RequestError(400, "bad_number", "the recipient must be a number", "row");
                      _deliveries.resend(campaign.id, long(row));
                  });
}

Routes DeliveryApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "POST", "campaigns/{id}/schedule", "", Rights::ANY,
         on(this, &DeliveryApi::schedule)},
        {ScreenKind::Json, "POST", "campaigns/{id}/approve", "", Rights::ANY,
         on(this, &DeliveryApi::approve)},
        {ScreenKind::Json, "POST", "campaigns/{id}/reject", "", Rights::ANY, on(this, &DeliveryApi::reject)},
        {ScreenKind::Json, "POST", "campaigns/{id}/pause", "", Rights::ANY, on(this, &DeliveryApi::pause)},
        {ScreenKind::Json, "POST", "campaigns/{id}/resume", "", Rights::ANY, on(this, &DeliveryApi::resume)},
        {ScreenKind::Json, "POST", "campaigns/{id}/cancel", "", Rights::ANY, on(this, &DeliveryApi::cancel)},
        {ScreenKind::Json, "POST", "campaigns/{id}/pacing", "", Rights::ANY, on(this, &DeliveryApi::pacing)},
        {ScreenKind::Json, "POST", "campaigns/{id}/recipients/{row}/resend", "", Rights::ANY,
         on(this, &DeliveryApi::resend)},
    };
}
} // namespace MassMailing
