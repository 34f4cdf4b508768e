#include "tracking/MessageTracking.h"

namespace MassMailing
{
const char* const MessageTracking::CLICK_PATH = "c/";
const char* const MessageTracking::OPEN_PATH = "o/";

MessageTracking::MessageTracking(const LinkSigner& signer, CampaignLinks& links, const GroupSettings& groups,
                                 std::string publicBase)
    : _signer(signer), _links(links), _groups(groups), _publicBase(std::move(publicBase))
{
    if (!_publicBase.empty() && _publicBase.back() != '/')
        _publicBase += '/';
}

bool MessageTracking::tracked(const Campaign& campaign)
{
    if (!campaign.tracking)
        return false;
    {
        std::lock_guard<std::mutex> guard(_lock);
        auto found = _groupOn.find(campaign.groupId);
        if (found != _groupOn.end() && !found->second.second.isElapsed(30 * Poco::Timestamp::resolution()))
            return found->second.first;
    }
    const bool on = _groups.on(campaign.groupId, "tracking");
    std::lock_guard<std::mutex> guard(_lock);
    _groupOn[campaign.groupId] = {on, Poco::Timestamp()};
    return on;
}

bool MessageTracking::byTransport()
{
    {
        std::lock_guard<std::mutex> guard(_lock);
        if (_byTransport.second != Poco::Timestamp(0) &&
            !_byTransport.second.isElapsed(30 * Poco::Timestamp::resolution()))
            return _byTransport.first;
    }
    const bool mailjet = _groups.value(GroupSettings::HOST, "transport") == "mailjet";
    std::lock_guard<std::mutex> guard(_lock);
    _byTransport = {mailjet, Poco::Timestamp()};
    return mailjet;
}

TrackingLinks MessageTracking::linksFor(const Campaign& campaign, long row)
{
    if (row <= 0 || !tracked(campaign) || byTransport())
        return {};
    return make(campaign, row, false);
}

TrackingLinks MessageTracking::testLinksFor(const Campaign& campaign)
{
    if (!tracked(campaign) || byTransport())
        return {};
    return make(campaign, 0, true);
}

TrackingLinks MessageTracking::make(const Campaign& campaign, long row, bool test)
{
    const long group = campaign.groupId, id = campaign.id;
    TrackingLinks links;
    const std::string base = _publicBase;
    const LinkSigner& signer = _signer;
    CampaignLinks& stored = _links;
    auto click = [&signer, base, group, id, row, test](long linkId)
    {
        LinkToken token{LinkPurpose::Click, group, id, row, "", test};
        token.linkId = linkId;
        return base + CLICK_PATH + signer.sign(token);
    };
    links.click = [click, &stored, id](const std::string& url) { return click(stored.idOf(id, url)); };
    links.trap = click(0);
    links.open = base + OPEN_PATH + signer.sign({LinkPurpose::Open, group, id, row, "", test});
    return links;
}
} // namespace MassMailing
