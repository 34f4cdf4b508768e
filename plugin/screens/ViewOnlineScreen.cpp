#include "screens/ViewOnlineScreen.h"
#include "Rights.h"
#include "tracking/TrackingException.h"

namespace MassMailing
{
const char* const ViewOnlineScreen::PATH = "view/{token}";

ViewOnlineScreen::ViewOnlineScreen(const LinkSigner& signer, Campaigns& campaigns, Audience& audience,
                                   RecipientDirectory& directory, TestSend& testSend,
                                   Attachments& attachments, const CrmHost::TemplateRenderer& templates)
    : _signer(signer), _campaigns(campaigns), _audience(audience), _directory(directory), _testSend(testSend),
      _attachments(attachments), _templates(templates)
{
}

CrmHost::Response ViewOnlineScreen::show(const CrmHost::Request& request) const
{
    LinkToken token;
    try
    {
        token = _signer.verify(request.param("token"), LinkPurpose::ViewOnline);
    }
    catch (const InvalidTokenException&)
    {
        return failure(request, 400, "massmailing.unsubscribe.invalid.message");
    }
    auto campaign = _campaigns.find(token.campaignId);
    if (!campaign)
        return failure(request, 404, "massmailing.view.gone");
    // A sent message's recipient row holds the values it was filled with; a test send was
    // filled with a sample of the group's people, who may not be in the audience.
    // A test's link never shows the recipient's own page, whose links act on them.
    std::optional<Recipient> recipient;
    if (!token.test)
        recipient = _audience.recipient(campaign->id, token.recipientId, token.address);
    const bool own = recipient.has_value();
    for (const char* kind : {"person", "account", "lead"})
    {
        if (recipient)
            break;
        auto found = _directory.find(campaign->groupId, campaign->recipientType, kind, token.recipientId);
        if (found && found->email == token.address)
            recipient = found;
    }
    if (!recipient)
        return failure(request, 404, "massmailing.view.gone");

    // Their own links for a recipient of the campaign; a test's (acting on nobody) otherwise.
    MailMessage message =
        own ? _testSend.asSent(*campaign, *recipient) : _testSend.preview(*campaign, *recipient);
    CrmHost::Response response;
    response.standalone = true;
    // The message's HTML was sanitised when it was saved and personalised with every value
    // escaped and every filled URL checked (Personalizer): it goes in as it is.
    response.body =
        _templates.render("view_online",
                          mstch::map{{"lang", recipient->locale.empty() ? request.locale : recipient->locale},
                                     {"subject", message.subject},
                                     {"html", _attachments.withImageData(message.html, campaign->id)}},
                          request.locale);
    return response;
}

CrmHost::Response ViewOnlineScreen::failure(const CrmHost::Request& request, int status,
                                            const std::string& messageKey) const
{
    CrmHost::Response response;
    response.status = status;
    response.title = _templates.translate("massmailing.view.title", request.locale);
    response.body = _templates.render(
        "unsubscribe_invalid", mstch::map{{"message", _templates.translate(messageKey, request.locale)}},
        request.locale);
    return response;
}

Routes ViewOnlineScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Public, "GET", PATH, "", Rights::ANY, on(this, &ViewOnlineScreen::show)},
    };
}
} // namespace MassMailing
