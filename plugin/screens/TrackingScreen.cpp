#include "screens/TrackingScreen.h"
#include "Rights.h"
#include "tracking/MachineSignals.h"
#include "tracking/MessageTracking.h"
#include "tracking/TrackingException.h"

namespace MassMailing
{
const char* const TrackingScreen::CLICK_PATH = "c/{token}";
const char* const TrackingScreen::OPEN_PATH = "o/{token}";

TrackingScreen::TrackingScreen(const LinkSigner& signer, CampaignLinks& links, EventRecorder& recorder,
                               const CrmHost::TemplateRenderer& templates,
                               std::function<Poco::DateTime()> clock)
    : _signer(signer), _links(links), _recorder(recorder), _templates(templates), _clock(std::move(clock))
{
}

const std::string& TrackingScreen::pixel()
{
    static const unsigned char bytes[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                          0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                                          0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                                          0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};
    static const std::string gif(reinterpret_cast<const char*>(bytes), sizeof bytes);
    return gif;
}

Hit TrackingScreen::hitOf(const CrmHost::Request& request, const LinkToken& token, Hit::Kind kind) const
{
    Hit hit;
    hit.kind = kind;
    hit.groupId = token.groupId;
    hit.campaignId = token.campaignId;
    hit.row = token.recipientId;
    hit.linkId = token.linkId;
    hit.test = token.test;
    hit.at = _clock();
    hit.userAgent = request.userAgent;
    hit.ip = request.clientAddress;
    hit.machine = MachineSignals::ofRequest(request.method, request.userAgent);
    return hit;
}

CrmHost::Response TrackingScreen::click(const CrmHost::Request& request) const
{
    auto invalid = [&]
    {
        CrmHost::Response response;
        response.status = 404;
        response.title = _templates.translate("massmailing.tracking.invalid.title", request.locale);
        response.body = _templates.render(
            "tracking_invalid",
            mstch::map{
                {"message", _templates.translate("massmailing.tracking.invalid.message", request.locale)}},
            request.locale);
        return response;
    };
    LinkToken token;
    try
    {
        token = _signer.verify(request.param("token"), LinkPurpose::Click);
    }
    catch (const InvalidTokenException&)
    {
        return invalid();
    }
    if (token.linkId == 0)
    {
        _recorder.record(hitOf(request, token, Hit::Kind::Click));
        CrmHost::Response response;
        response.contentType = "text/plain; charset=utf-8";
        response.body = _templates.translate("massmailing.tracking.trap.message", request.locale) + "\n";
        response.standalone = true;
        return response;
    }
    auto url = _links.url(token.campaignId, token.linkId);
    // Stored by TrackedLinks, which takes http(s) URLs without blanks only; checked again, as a
    // header takes it.
    if (!url || !TrackedLinks::isTracked(*url, {}))
        return invalid();
    _recorder.record(hitOf(request, token, Hit::Kind::Click));
    CrmHost::Response response;
    response.status = 302;
    response.location = *url;
    response.standalone = true;
    return response;
}

CrmHost::Response TrackingScreen::open(const CrmHost::Request& request) const
{
    try
    {
        _recorder.record(
            hitOf(request, _signer.verify(request.param("token"), LinkPurpose::Open), Hit::Kind::Open));
    }
    catch (const InvalidTokenException&)
    {
        // The image all the same: a broken image in a message helps nobody.
    }
    CrmHost::Response response;
    response.contentType = "image/gif";
    response.body = pixel();
    response.standalone = true;
    return response;
}

Routes TrackingScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Public, "GET", CLICK_PATH, "", Rights::ANY, on(this, &TrackingScreen::click)},
        {ScreenKind::Public, "HEAD", CLICK_PATH, "", Rights::ANY, on(this, &TrackingScreen::click)},
        {ScreenKind::Public, "GET", OPEN_PATH, "", Rights::ANY, on(this, &TrackingScreen::open)},
        {ScreenKind::Public, "HEAD", OPEN_PATH, "", Rights::ANY, on(this, &TrackingScreen::open)},
    };
}
} // namespace MassMailing
