#include "screens/CampaignDoor.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include <Poco/NumberParser.h>

using CrmHost::Request;
using CrmHost::RequestError;

namespace MassMailing
{
CampaignDoor::CampaignDoor(Campaigns& campaigns) : _campaigns(campaigns) {}

bool CampaignDoor::holds(const Request& request, const std::string& right, long groupId)
{
    if (right != Rights::ANY)
        return request.hasRight(right, groupId);
    for (const char* each : {Rights::COMPOSE, Rights::SEND, Rights::APPROVE})
        if (request.hasRight(each, groupId))
            return true;
    return false;
}

Campaign CampaignDoor::open(const Request& request, const std::string& right) const
{
    const std::string id = request.param("id");
    Poco::Int64 number = 0;
    std::optional<Campaign> campaign;
    if (Poco::NumberParser::tryParse64(id, number) && number > 0)
        campaign = _campaigns.find(long(number));
    // The same answer for every way of not being there, so that ids of other groups stay unknown.
    auto notFound = [&] { return RequestError(404, "not_found", "no campaign " + id, "id"); };
    if (!campaign || (request.groupId != 0 && campaign->groupId != request.groupId))
        throw notFound();
    if (!request.moduleEnabled || !request.moduleEnabled(campaign->groupId))
        throw notFound();
    if (!holds(request, Rights::ANY, campaign->groupId))
        throw notFound();
    if (!holds(request, right, campaign->groupId))
        throw RequestError(403, "forbidden", "you need the right " + right + " in this group");
    return *campaign;
}
} // namespace MassMailing
