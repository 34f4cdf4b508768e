#include "screens/UnsubscribeScreen.h"
#include "Rights.h"
#include "tracking/TrackingException.h"

namespace MassMailing
{
namespace
{
// RFC 8058: the mailbox's one-click POST carries exactly this form field.
const char* const ONE_CLICK_FIELD = "List-Unsubscribe";
const char* const ONE_CLICK_VALUE = "One-Click";
} // namespace

const char* const UnsubscribeScreen::PATH = "unsubscribe/{token}";
const char* const UnsubscribeScreen::RESUBSCRIBE_PATH = "unsubscribe/{token}/resubscribe";

UnsubscribeScreen::UnsubscribeScreen(const LinkSigner& signer, const Suppressions& suppressions,
                                     const CrmHost::TemplateRenderer& templates,
                                     const Unsubscribes& unsubscribes)
    : _signer(signer), _suppressions(suppressions), _templates(templates), _unsubscribes(unsubscribes)
{
}

CrmHost::Response UnsubscribeScreen::confirm(const CrmHost::Request& request) const
{
    auto token = verified(request);
    if (!token)
        return failure(request, 400, "massmailing.unsubscribe.invalid.message");
    if (token->test)
        return testMessage(request, false);
    auto group = _suppressions.groupName(token->groupId);
    if (!group)
        return failure(request, 404, "massmailing.unsubscribe.unknownGroup.message");
    mstch::map context{{"group", *group}, {"address", token->address}, {"token", request.param("token")}};
    if (_suppressions.isUnsubscribed(token->groupId, token->address))
        return page(request, "unsubscribe_done", context);
    return page(request, "unsubscribe", context);
}

CrmHost::Response UnsubscribeScreen::unsubscribe(const CrmHost::Request& request) const
{
    const bool oneClick = request.param(ONE_CLICK_FIELD) == ONE_CLICK_VALUE;
    auto token = verified(request);
    if (token && token->test)
        return testMessage(request, oneClick);
    auto group = token ? _suppressions.groupName(token->groupId) : std::nullopt;
    if (oneClick)
    {
        if (!token)
            return plainText(request, 400, "massmailing.unsubscribe.oneClick.invalid");
        if (!group)
            return plainText(request, 404, "massmailing.unsubscribe.unknownGroup.message");
        _unsubscribes.unsubscribe(*token, UnsubscribeMethod::OneClick);
        return plainText(request, 200, "massmailing.unsubscribe.oneClick.done");
    }
    if (!token)
        return failure(request, 400, "massmailing.unsubscribe.invalid.message");
    if (!group)
        return failure(request, 404, "massmailing.unsubscribe.unknownGroup.message");
    _unsubscribes.unsubscribe(*token, UnsubscribeMethod::Link);
    return page(
        request, "unsubscribe_done",
        mstch::map{{"group", *group}, {"address", token->address}, {"token", request.param("token")}});
}

CrmHost::Response UnsubscribeScreen::resubscribe(const CrmHost::Request& request) const
{
    auto token = verified(request);
    if (!token)
        return failure(request, 400, "massmailing.unsubscribe.invalid.message");
    if (token->test)
        return testMessage(request, false);
    auto group = _suppressions.groupName(token->groupId);
    if (!group)
        return failure(request, 404, "massmailing.unsubscribe.unknownGroup.message");
    _suppressions.resubscribe(token->groupId, token->address);
    return page(request, "unsubscribe_resubscribed",
                mstch::map{{"group", *group}, {"address", token->address}});
}

std::optional<LinkToken> UnsubscribeScreen::verified(const CrmHost::Request& request) const
{
    try
    {
        return _signer.verify(request.param("token"), LinkPurpose::Unsubscribe);
    }
    catch (const InvalidTokenException&)
    {
        return std::nullopt;
    }
}

CrmHost::Response UnsubscribeScreen::testMessage(const CrmHost::Request& request, bool oneClick) const
{
    // A test's link names nobody (RecipientLinks::testUnsubscribeUrl): nothing to change.
    if (oneClick)
        return plainText(request, 200, "massmailing.unsubscribe.test.message");
    return page(request, "unsubscribe_test", mstch::map{});
}

CrmHost::Response UnsubscribeScreen::page(const CrmHost::Request& request, const std::string& name,
                                          mstch::map context, int status) const
{
    CrmHost::Response response;
    response.status = status;
    response.title = _templates.translate("massmailing.unsubscribe.title", request.locale);
    response.body = _templates.render(name, std::move(context), request.locale);
    return response;
}

CrmHost::Response UnsubscribeScreen::failure(const CrmHost::Request& request, int status,
                                             const std::string& messageKey) const
{
    return page(request, "unsubscribe_invalid",
                mstch::map{{"message", _templates.translate(messageKey, request.locale)}}, status);
}

CrmHost::Response UnsubscribeScreen::plainText(const CrmHost::Request& request, int status,
                                               const std::string& key) const
{
    CrmHost::Response response;
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = _templates.translate(key, request.locale) + "\n";
    response.standalone = true;
    return response;
}

Routes UnsubscribeScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Public, "GET", PATH, "", Rights::ANY, on(this, &UnsubscribeScreen::confirm)},
        {ScreenKind::Public, "POST", PATH, "", Rights::ANY, on(this, &UnsubscribeScreen::unsubscribe)},
        {ScreenKind::Public, "POST", RESUBSCRIBE_PATH, "", Rights::ANY,
         on(this, &UnsubscribeScreen::resubscribe)},
    };
}
} // namespace MassMailing
