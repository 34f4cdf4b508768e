#include "screens/DetailsScreen.h"
#include "Rights.h"
#include "audience/RecipientDirectory.h"
#include <Poco/String.h>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
// The fields that have a place on the form; an error about another one is shown on top.
const char* const FIELDS[] = {"name",         "channel",  "recipient_type", "sender_name",
                              "sender_email", "reply_to", "subject_prefix", "dedupe"};
} // namespace

DetailsScreen::DetailsScreen(Wizard& wizard, Campaigns& campaigns, Deliveries& deliveries)
    : _wizard(wizard), _campaigns(campaigns), _deliveries(deliveries)
{
}

Campaign DetailsScreen::fromForm(const Request& request, Campaign c, bool exists)
{
    c.name = request.param("name");
    // Once the campaign exists the select is disabled and sends nothing; a forged value still
    // goes to the stage, which refuses the change.
    if (!exists || !request.param("recipient_type").empty())
        c.recipientType = request.param("recipient_type");
    if (!exists) // fixed once the campaign exists, like the recipient type
        c.channel = request.param("channel", "email");
    c.senderName = Poco::trim(request.param("sender_name"));
    std::string local = Poco::trim(request.param("sender_local"));
    if (!request.param("sender_email").empty())
        c.senderEmail = Poco::trim(request.param("sender_email"));
    else if (local.find('@') != std::string::npos || local.empty())
        c.senderEmail = local; // a whole address typed in the first box: the stage checks its domain
    else
        c.senderEmail = local + "@" + request.param("sender_domain");
    c.replyTo = Poco::trim(request.param("reply_to"));
    c.subjectPrefix = Poco::trim(request.param("subject_prefix"));
    c.dedupe = request.param("dedupe", "address");
    c.tracking = request.param("tracking") == "1"; // a checkbox: absent when unticked
    return c;
}

Response DetailsScreen::newForm(const Request& request)
{
    Campaign blank;
    blank.groupId = request.groupId;
    blank.senderName = _campaigns.groupName(request.groupId);
    return form(request, blank, false, nullptr);
}

Response DetailsScreen::create(const Request& request)
{
    Campaign campaign;
    campaign.groupId = request.groupId;
    campaign.createdBy = request.userId;
    campaign = fromForm(request, campaign, false);
    try
    {
        long id = _campaigns.create(campaign);
        return Response::redirect(Wizard::campaignBase(request, id) + "composition");
    }
    catch (const FieldException& error)
    {
        return form(request, campaign, false, &error);
    }
}

Response DetailsScreen::editForm(const Request& request)
{
    return form(request, _wizard.campaignOf(request), true, nullptr);
}

Response DetailsScreen::update(const Request& request)
{
    Campaign campaign = fromForm(request, _wizard.campaignOf(request), true);
    try
    {
        _deliveries.edit(campaign.id,
                         [&](Poco::Data::Session& session) { _campaigns.update(campaign, session); });
        return Response::redirect(Wizard::campaignBase(request, campaign.id) + "composition");
    }
    catch (const FieldException& error)
    {
        return form(request, campaign, true, &error);
    }
    catch (const StateException& error)
    {
        FieldException refused("status", "not_draft", error.message());
        Response response = form(request, campaign, true, &refused);
        response.status = 409;
        return response;
    }
}

Response DetailsScreen::form(const Request& request, const Campaign& c, bool exists,
                             const FieldException* error)
{
    mstch::map context{{"exists", exists},
                       {"action", exists ? Wizard::campaignBase(request, c.id) + "details"
                                         : Wizard::base(request) + "campaigns/new"},
                       {"name", c.name},
                       {"senderName", c.senderName},
                       {"replyTo", c.replyTo},
                       {"subjectPrefix", c.subjectPrefix},
                       {"dedupeAddress", c.dedupe != "contact"},
                       {"dedupeContact", c.dedupe == "contact"},
                       {"tracking", c.tracking},
                       {"email", c.channel == "email"}};
    mstch::array channels;
    for (const std::string& channel :
         exists ? std::vector<std::string>{c.channel} : _campaigns.channelsOf(c.groupId))
        channels.push_back(mstch::map{{"value", channel},
                                      {"label", _wizard.text("massmailing.channel." + channel, request)},
                                      {"selected", channel == c.channel}});
    context["channels"] = channels;

    std::string kind = _campaigns.groupKind(request.groupId);
    mstch::array types;
    auto available = RecipientDirectory::typesFor(kind);
    for (const auto& type : available)
        types.push_back(mstch::map{{"value", type},
                                   {"label", _wizard.recipientTypeText(type, request)},
                                   {"selected", type == c.recipientType}});
    context["recipientTypes"] = types;
    context["recipientTypeText"] = _wizard.recipientTypeText(c.recipientType, request);

    // The sender: a local part and one of the group's verified domains. After a refused POST
    // the boxes show what was typed, not what the stage made of it.
    std::string local = c.senderEmail.substr(0, c.senderEmail.rfind('@'));
    std::string domain = c.senderEmail.rfind('@') == std::string::npos
                             ? ""
                             : c.senderEmail.substr(c.senderEmail.rfind('@') + 1);
    if (request.method == "POST")
    {
        local = request.param("sender_local", local);
        domain = request.param("sender_domain", domain);
    }
    mstch::array domains;
    auto verified = _campaigns.verifiedDomains(request.groupId);
    for (const auto& d : verified)
        domains.push_back(mstch::map{{"domain", d}, {"selected", Poco::icompare(d, domain) == 0}});
    context["senderLocal"] = local;
    context["senderEmail"] = c.senderEmail;
    context["domains"] = domains;
    context["hasDomains"] = !verified.empty();
    std::string joined;
    for (const auto& d : verified)
        joined += (joined.empty() ? "" : ", ") + d;
    context["domainsHint"] =
        verified.empty() ? _wizard.text("massmailing.details.noDomain", request)
                         : _wizard.text("massmailing.details.domainsHint", request, {{"domains", joined}});

    int status = 200;
    if (error)
    {
        status = 422;
        bool placed = false;
        for (const char* field : FIELDS)
            if (error->field() == field)
            {
                context[std::string("error_") + field] = _wizard.errorText(*error, request);
                placed = true;
            }
        if (!placed)
            context["error"] = _wizard.errorText(*error, request);
    }
    std::string title = exists ? _wizard.text("massmailing.details.editTitle", request, {{"name", c.name}})
                               : _wizard.text("massmailing.details.newTitle", request);
    return _wizard.page(request, "details", context, title, 1, exists ? &c : nullptr, status);
}

Routes DetailsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/new", "", Rights::COMPOSE, on(this, &DetailsScreen::newForm)},
        {ScreenKind::Page, "POST", "campaigns/new", "", Rights::COMPOSE, on(this, &DetailsScreen::create)},
        {ScreenKind::Page, "GET", "campaigns/{id}/details", "", Rights::ANY,
         on(this, &DetailsScreen::editForm)},
        {ScreenKind::Page, "POST", "campaigns/{id}/details", "", Rights::ANY,
         on(this, &DetailsScreen::update)},
    };
}
} // namespace MassMailing
