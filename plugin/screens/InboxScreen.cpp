#include "screens/InboxScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "audience/EmailAddress.h"
#include "screens/InboxApi.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <set>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const char* const CHANNELS[] = {"email", "sms", "push"};
const char* const BOOKINGS[] = {"booked", "waiting", "cancelled"};

long numberParam(const Request& request, const std::string& name)
{
    Poco::Int64 value = 0;
    return Poco::NumberParser::tryParse64(request.param(name), value) ? long(value) : 0;
}

// The channel's icon, always beside its word (never an icon or a colour alone).
std::string iconOf(const std::string& channel)
{
    if (channel == "sms")
        return "\xE2\x98\x8E"; // telephone (U+260E: in the fonts every system has)
    if (channel == "push")
        return "\xE2\x9A\x91"; // flag (U+2691)
    return "\xE2\x9C\x89";     // envelope
}

std::string fullName(const Recipient& recipient)
{
    std::string name = Poco::trim(recipient.firstName + " " + recipient.lastName);
    return name.empty() ? recipient.email : name;
}
} // namespace

InboxScreen::InboxScreen(Wizard& wizard, Inbox& inbox, Campaigns& campaigns, Audience& audience,
                         RecipientDirectory& directory, Results& results)
    : _wizard(wizard), _inbox(inbox), _campaigns(campaigns), _audience(audience), _directory(directory),
      _results(results)
{
}

Conversation InboxScreen::conversationOf(const Request& request)
{
    std::optional<Conversation> conversation = _inbox.find(numberParam(request, "id"));
    if (!conversation || conversation->groupId != request.groupId)
        throw RequestError(404, "not_found", "no conversation " + request.param("id"));
    return *conversation;
}

mstch::array InboxScreen::items(const Request& request, const std::vector<HistoryItem>& found,
                                const Conversation* conversation)
{
    mstch::array list;
    for (const HistoryItem& item : found)
    {
        mstch::array bookings;
        for (const std::string& booking : item.bookings)
            bookings.push_back(
                mstch::map{{"label", _wizard.text("massmailing.inbox.booking." + booking, request)}});
        const long thread = conversation ? conversation->id : item.conversationId;
        list.push_back(mstch::map{
            {"id", std::to_string(item.messageId)},
            {"direction", item.direction},
            {"sent", item.direction == "sent"},
            {"directionText", _wizard.text("massmailing.inbox.direction." + item.direction, request)},
            {"channel", item.channel},
            {"icon", iconOf(item.channel)},
            {"channelText", _wizard.text("massmailing.inbox.channel." + item.channel, request)},
            {"at", Wizard::dateText(item.at, request.locale)},
            {"mode", item.mode},
            {"modeText", item.mode.empty() ? std::string()
                                           : _wizard.text("massmailing.inbox.mode." + item.mode, request)},
            {"subject", item.subject},
            {"text", item.text},
            {"quoted", item.quoted},
            {"hasQuoted", !item.quoted.empty()},
            {"from", item.fromName.empty() ? item.from : item.fromName + " <" + item.from + ">"},
            {"unread", item.direction == "received" && !item.read},
            {"recipients", std::to_string(item.recipients)},
            {"status", item.status.empty() ? std::string() : _wizard.statusText(item.status, request)},
            {"campaign", std::to_string(item.campaignId)},
            {"recipientsHref", item.campaignId && thread
                                   ? Wizard::base(request) + "inbox/c/" + std::to_string(thread) + "/m/" +
                                         std::to_string(item.campaignId)
                                   : std::string()},
            {"campaignHref",
             item.campaignId ? Wizard::campaignBase(request, item.campaignId) + "send" : std::string()},
            {"failed", std::to_string(item.counts.count("failed") ? item.counts.at("failed") : 0)},
            {"threadHref", !conversation && item.conversationId
                               ? Wizard::base(request) + "inbox/c/" + std::to_string(item.conversationId)
                               : std::string()},
            {"bookings", bookings},
            {"reason", item.reason},
            {"unmatched", item.direction == "received" && item.matched != "matched"}});
    }
    return list;
}

Response InboxScreen::home(const Request& request)
{
    mstch::array conversations;
    for (const Conversation& conversation : _inbox.conversations(request.groupId))
        conversations.push_back(
            mstch::map{{"href", Wizard::base(request) + "inbox/c/" + std::to_string(conversation.id)},
                       {"id", std::to_string(conversation.id)},
                       {"title", conversation.title},
                       {"kind", conversation.kind},
                       {"kindText", _wizard.text("massmailing.inbox.kind." + conversation.kind, request)},
                       {"at", Wizard::dateText(conversation.lastAt, request.locale)},
                       {"unread", std::to_string(conversation.unread)},
                       {"hasUnread", conversation.unread > 0}});
    mstch::array members, smartlists, sessions;
    for (const Recipient& person : _directory.list(request.groupId, "members", 500))
        members.push_back(mstch::map{{"id", std::to_string(person.id)}, {"label", fullName(person)}});
    for (const CrmHost::Target& target : _audience.targets(request.groupId, "members"))
    {
        if (target.id == "members.filter")
            smartlists.push_back(
                mstch::map{{"id", target.params.at("filter")}, {"label", target.params.at("filter_name")}});
        else if (target.id == "session.booked")
            sessions.push_back(
                mstch::map{{"id", target.params.at("session")},
                           {"label", target.params.at("session_title") + " — " + target.params.at("date")}});
    }
    std::vector<HistoryItem> unmatched = _inbox.unmatched(request.groupId, 50);
    mstch::map context{{"conversations", conversations},
                       {"hasConversations", !conversations.empty()},
                       {"openAction", Wizard::base(request) + "inbox/open"},
                       {"historyHref", Wizard::base(request) + "inbox/history"},
                       {"members", members},
                       {"smartlists", smartlists},
                       {"hasSmartlists", !smartlists.empty()},
                       {"sessions", sessions},
                       {"hasSessions", !sessions.empty()},
                       {"unmatched", items(request, unmatched, nullptr)},
                       {"hasUnmatched", !unmatched.empty()},
                       {"unmatchedCount", std::to_string(_inbox.unmatchedCount(request.groupId))}};
    return _wizard.page(request, "inbox", context, _wizard.text("massmailing.inbox.title", request));
}

Response InboxScreen::open(const Request& request)
{
    const std::string kind = request.param("kind");
    long subject = numberParam(request, kind == "member"      ? "member"
                                        : kind == "smartlist" ? "smartlist"
                                                              : "session");
    if (subject == 0)
        subject = numberParam(request, "subject");
    try
    {
        return Response::redirect(Wizard::base(request) + "inbox/c/" +
                                  std::to_string(_inbox.open(request.groupId, kind, subject)));
    }
    catch (const Poco::NotFoundException& error)
    {
        throw RequestError(404, "not_found", error.message());
    }
}

Response InboxScreen::member(const Request& request)
{
    std::string identity = EmailAddress::identity(request.param("email"));
    for (const Recipient& found : _directory.withAddress(request.groupId, "members", identity))
        if (found.kind == "person")
            return Response::redirect(Wizard::base(request) + "inbox/c/" +
                                      std::to_string(_inbox.open(request.groupId, "member", found.id)));
    throw RequestError(404, "not_found", "no member of this group has that address");
}

Response InboxScreen::conversation(const Request& request)
{
    Conversation conversation = conversationOf(request);
    _inbox.markRead(conversation.id);
    return thread(request, &conversation, 200, "", "");
}

Response InboxScreen::history(const Request& request)
{
    return thread(request, nullptr, 200, "", "");
}

Response InboxScreen::thread(const Request& request, const Conversation* conversation, int status,
                             const std::string& error, const std::string& errorField)
{
    HistoryFilter filter = InboxApi::filterOf(request);
    std::vector<HistoryItem> found;
    std::string filterError;
    try
    {
        found = _inbox.history(request.groupId, conversation ? conversation->id : 0, filter);
    }
    catch (const FieldException& refused)
    {
        filterError = _wizard.errorText(refused, request);
        found = _inbox.history(request.groupId, conversation ? conversation->id : 0, {});
    }
    mstch::array channels, bookings;
    for (const char* channel : CHANNELS)
        channels.push_back(
            mstch::map{{"value", std::string(channel)},
                       {"label", _wizard.text(std::string("massmailing.inbox.channel.") + channel, request)},
                       {"icon", iconOf(channel)},
                       {"selected", filter.channel == channel},
                       // SMS and push come with their channels (issue 15, points 1 to 4).
                       {"available", std::string(channel) == "email"}});
    const bool isSession = conversation && conversation->kind == "session";
    const bool isSmartlist = conversation && conversation->kind == "smartlist";
    std::string listed;
    for (const char* booking : BOOKINGS)
    {
        mstch::array people;
        if (isSession)
            for (const Recipient& person :
                 _audience.preview(request.groupId, "members", std::string("session.") + booking,
                                   {{"session", std::to_string(conversation->subjectId)}}, 500))
            {
                const std::string key = person.kind + ":" + std::to_string(person.id);
                const bool valid = EmailAddress::isValid(person.email);
                if (valid)
                    listed += (listed.empty() ? "" : ",") + key;
                people.push_back(
                    mstch::map{{"key", key},
                               {"name", fullName(person)},
                               {"email", person.email},
                               {"valid", valid},
                               {"profileHref", "/g/" + std::to_string(request.groupId) + "/members"}});
            }
        bookings.push_back(
            mstch::map{{"value", std::string(booking)},
                       {"label", _wizard.text(std::string("massmailing.inbox.booking.") + booking, request)},
                       {"selected", filter.booking == booking},
                       {"people", people},
                       {"count", std::to_string(people.size())}});
    }
    mstch::array smartlistPeople;
    if (isSmartlist)
        for (const Recipient& person :
             _audience.preview(request.groupId, "members", "members.filter",
                               {{"filter", std::to_string(conversation->subjectId)}}, 500))
        {
            const std::string key = person.kind + ":" + std::to_string(person.id);
            const bool valid = EmailAddress::isValid(person.email);
            if (valid)
                listed += (listed.empty() ? "" : ",") + key;
            smartlistPeople.push_back(
                mstch::map{{"key", key},
                           {"name", fullName(person)},
                           {"email", person.email},
                           {"valid", valid},
                           {"profileHref", "/g/" + std::to_string(request.groupId) + "/members"}});
        }
    mstch::map context{{"items", items(request, found, conversation)},
                       {"hasItems", !found.empty()},
                       {"channels", channels},
                       {"bookings", bookings},
                       {"isSession", isSession},
                       {"isSmartlist", isSmartlist},
                       {"smartlistPeople", smartlistPeople},
                       {"smartlistCount", std::to_string(smartlistPeople.size())},
                       {"listed", listed},
                       {"from", filter.from},
                       {"to", filter.to},
                       {"direction", filter.direction},
                       {"sentSelected", filter.direction == "sent"},
                       {"receivedSelected", filter.direction == "received"},
                       {"manualSelected", filter.mode == "manual"},
                       {"automaticSelected", filter.mode == "automatic"},
                       {"filterError", filterError},
                       {"inboxHref", Wizard::base(request) + "inbox"},
                       {"error", error},
                       {"errorField", errorField},
                       {"subject", request.method == "POST" ? request.param("subject") : std::string()},
                       {"text", request.method == "POST" ? request.param("text") : std::string()}};
    std::string title;
    if (conversation)
    {
        title = conversation->title;
        context["conversation"] = true;
        context["kindText"] = _wizard.text("massmailing.inbox.kind." + conversation->kind, request);
        context["filterAction"] = Wizard::base(request) + "inbox/c/" + std::to_string(conversation->id);
        context["sendAction"] =
            Wizard::base(request) + "inbox/c/" + std::to_string(conversation->id) + "/send";
        context["canWrite"] = request.hasRight(Rights::SEND, request.groupId);
        bool canSend = true;
        if (std::optional<MemberContact> member = _inbox.member(conversation->id))
        {
            canSend = !member->email.empty();
            context["isMember"] = true;
            context["memberEmail"] = member->email;
            context["memberPhone"] = member->phone;
            context["noAddress"] = member->email.empty();
            context["noConsent"] = !member->consentEmail;
            context["profileHref"] = "/g/" + std::to_string(request.groupId) + "/members";
        }
        context["canSend"] = canSend;
        if (request.param("done") == "sent")
            context["notice"] = _wizard.text("massmailing.inbox.sentNotice", request);
    }
    else
    {
        title = _wizard.text("massmailing.inbox.historyTitle", request);
        context["filterAction"] = Wizard::base(request) + "inbox/history";
    }
    return _wizard.page(request, "inbox_thread", context, title, 0, nullptr, status);
}

Response InboxScreen::send(const Request& request)
{
    Conversation conversation = conversationOf(request);
    OutgoingMessage message;
    message.channel = request.param("channel", "email");
    message.subject = request.param("subject");
    message.text = request.param("text");
    for (const char* booking : BOOKINGS)
        if (!request.param(std::string("booking_") + booking).empty())
            message.bookings.push_back(booking);
    // Every recipient listed with a box, less those whose box came back ticked.
    std::string listed = request.param("listed");
    for (std::size_t start = 0; start < listed.size();)
    {
        std::size_t end = listed.find(',', start);
        if (end == std::string::npos)
            end = listed.size();
        std::string key = listed.substr(start, end - start);
        if (!key.empty() && request.param("keep_" + key).empty())
            message.unchecked.push_back(key);
        start = end + 1;
    }
    message.userId = request.userId;
    message.needsApproval = !request.hasRight(Rights::APPROVE, conversation.groupId);
    try
    {
        _inbox.send(conversation.id, message);
    }
    catch (const FieldException& error)
    {
        return thread(request, &conversation, 422, _wizard.errorText(error, request), error.field());
    }
    return Response::redirect(Wizard::base(request) + "inbox/c/" + std::to_string(conversation.id) +
                              "?done=sent");
}

Response InboxScreen::recipients(const Request& request)
{
    Conversation conversation = conversationOf(request);
    std::optional<Campaign> campaign = _campaigns.find(numberParam(request, "campaign"));
    if (!campaign || campaign->groupId != conversation.groupId)
        throw RequestError(404, "not_found", "no message " + request.param("campaign"));
    mstch::array rows;
    // Each recipient's status and why, as the results' own list gives them (the first page).
    bool first = true;
    _results.eachRecipient(
        campaign->id,
        [&](const std::vector<RecipientResult>& page)
        {
            if (!first)
                return;
            first = false;
            for (const RecipientResult& row : page)
            {
                const bool failed = row.status == "failed" || !row.bounce.empty();
                rows.push_back(
                    mstch::map{{"email", row.email},
                               {"name", Poco::trim(row.firstName + " " + row.lastName)},
                               {"status", row.status},
                               {"failed", failed},
                               {"statusText", _wizard.text(row.status == "left_out"
                                                               ? "massmailing.inbox.status.left_out"
                                                               : "massmailing.log.status." + row.status,
                                                           request)},
                               {"reason", row.reason.empty()
                                              ? row.detail
                                              : row.reason + (row.detail.empty() ? "" : ": " + row.detail)},
                               {"bounce", row.bounceDetail}});
            }
        },
        1000);
    mstch::map context{{"rows", rows},
                       {"subject", campaign->subject},
                       {"threadHref", Wizard::base(request) + "inbox/c/" + std::to_string(conversation.id)},
                       {"title", conversation.title},
                       {"status", _wizard.statusText(campaign->status, request)}};
    return _wizard.page(request, "inbox_recipients", context,
                        _wizard.text("massmailing.inbox.recipientsTitle", request));
}

Routes InboxScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "inbox", "massmailing.inbox.menu", Rights::COMPOSE,
         on(this, &InboxScreen::home)},
        {ScreenKind::Page, "*", "inbox/open", "", Rights::COMPOSE, on(this, &InboxScreen::open)},
        {ScreenKind::Page, "GET", "inbox/member", "", Rights::COMPOSE, on(this, &InboxScreen::member)},
        {ScreenKind::Page, "GET", "inbox/history", "", Rights::COMPOSE, on(this, &InboxScreen::history)},
        {ScreenKind::Page, "GET", "inbox/c/{id}", "", Rights::COMPOSE, on(this, &InboxScreen::conversation)},
        {ScreenKind::Page, "POST", "inbox/c/{id}/send", "", Rights::SEND, on(this, &InboxScreen::send)},
        {ScreenKind::Page, "GET", "inbox/c/{id}/m/{campaign}", "", Rights::COMPOSE,
         on(this, &InboxScreen::recipients)},
    };
}
} // namespace MassMailing
