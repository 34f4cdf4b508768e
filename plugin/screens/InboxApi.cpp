#include "screens/InboxApi.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "screens/CampaignApi.h"
#include "screens/JsonBody.h"
#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
Poco::JSON::Object::Ptr toJson(const Conversation& conversation)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", Poco::Int64(conversation.id));
    o->set("group", Poco::Int64(conversation.groupId));
    o->set("kind", conversation.kind);
    o->set("subject", Poco::Int64(conversation.subjectId));
    o->set("title", conversation.title);
    o->set("last_at", conversation.lastAt);
    o->set("unread", Poco::Int64(conversation.unread));
    return o;
}

Poco::JSON::Array::Ptr listJson(const std::vector<HistoryItem>& items)
{
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const HistoryItem& item : items)
        list->add(InboxApi::toJson(item));
    return list;
}

Response guarded(const std::function<Response()>& call)
{
    return CampaignApi::guard(
        [&]
        {
            try
            {
                return call();
            }
            catch (const Poco::NotFoundException& error)
            {
                throw RequestError(404, "not_found", error.message());
            }
        });
}

void needGroup(const Request& request, const std::string& right)
{
    if (request.groupId == 0)
        throw RequestError(400, "required", "the group parameter is required", "group");
    if (!request.hasRight(right, request.groupId))
        throw RequestError(403, "forbidden", "you need the right " + right + " in this group", "group");
}
} // namespace

InboxApi::InboxApi(Inbox& inbox) : _inbox(inbox) {}

HistoryFilter InboxApi::filterOf(const Request& request)
{
    HistoryFilter filter;
    filter.channel = request.param("channel");
    filter.from = request.param("from");
    filter.to = request.param("to");
    filter.direction = request.param("direction");
    filter.mode = request.param("mode");
    filter.booking = request.param("booking");
    return filter;
}

Poco::JSON::Object::Ptr InboxApi::toJson(const HistoryItem& item)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", Poco::Int64(item.messageId));
    o->set("conversation",
           item.conversationId ? Poco::Dynamic::Var(Poco::Int64(item.conversationId)) : Poco::Dynamic::Var());
    o->set("direction", item.direction);
    o->set("channel", item.channel);
    o->set("at", item.at);
    o->set("subject", item.subject);
    o->set("text", item.text);
    if (item.direction == "sent")
    {
        o->set("mode", item.mode);
        o->set("campaign", Poco::Int64(item.campaignId));
        o->set("status", item.status);
        o->set("recipients", Poco::Int64(item.recipients));
        Poco::JSON::Object::Ptr counts = new Poco::JSON::Object;
        for (const auto& count : item.counts)
            counts->set(count.first, Poco::Int64(count.second));
        o->set("counts", counts);
        Poco::JSON::Array::Ptr bookings = new Poco::JSON::Array;
        for (const std::string& booking : item.bookings)
            bookings->add(booking);
        o->set("bookings", bookings);
        // Each recipient's status: the delivery's own list.
        o->set("recipients_url", "campaigns/" + std::to_string(item.campaignId) + "/recipients");
    }
    else
    {
        o->set("quoted", item.quoted);
        o->set("from", item.from);
        o->set("from_name", item.fromName);
        o->set("read", item.read);
        o->set("matched", item.matched);
        o->set("reason", item.reason);
    }
    return o;
}

Conversation InboxApi::conversationOf(const Request& request, const std::string& right)
{
    Poco::Int64 id = 0;
    std::optional<Conversation> conversation;
    if (Poco::NumberParser::tryParse64(request.param("id"), id))
        conversation = _inbox.find(long(id));
    // One answer for a conversation that does not exist and one the user may not see.
    if (!conversation || !request.hasRight(right, conversation->groupId) ||
        (request.moduleEnabled && !request.moduleEnabled(conversation->groupId)))
        throw RequestError(404, "not_found", "no conversation " + request.param("id"));
    return *conversation;
}

Response InboxApi::conversations(const Request& request)
{
    return guarded(
        [&]
        {
            needGroup(request, Rights::COMPOSE);
            Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
            for (const Conversation& conversation : _inbox.conversations(request.groupId))
                list->add(MassMailing::toJson(conversation));
            Poco::JSON::Object answer;
            answer.set("conversations", list);
            answer.set("unmatched", Poco::Int64(_inbox.unmatchedCount(request.groupId)));
            return Response::json(JsonBody::stringify(answer));
        });
}

Response InboxApi::open(const Request& request)
{
    return guarded(
        [&]
        {
            JsonBody in(request.body);
            needGroup(request, Rights::COMPOSE);
            long subject = in.wholeNumber("subject", 1, 1L << 53, 0);
            if (subject == 0)
                throw RequestError(400, "required",
                                   "subject (the member, smartlist or session id) is required", "subject");
            long id = _inbox.open(request.groupId, in.text("kind"), subject);
            return Response::json(JsonBody::stringify(MassMailing::toJson(*_inbox.find(id))), 201);
        });
}

Response InboxApi::get(const Request& request)
{
    return guarded(
        [&]
        {
            Conversation conversation = conversationOf(request, Rights::COMPOSE);
            Poco::JSON::Object::Ptr answer = MassMailing::toJson(conversation);
            if (std::optional<MemberContact> member = _inbox.member(conversation.id))
            {
                Poco::JSON::Object::Ptr m = new Poco::JSON::Object;
                m->set("email", member->email);
                m->set("phone", member->phone);
                m->set("consent_email", member->consentEmail);
                m->set("consent_sms", member->consentSms);
                m->set("consent_push", member->consentPush);
                answer->set("member", m);
            }
            return Response::json(JsonBody::stringify(answer));
        });
}

Response InboxApi::messages(const Request& request)
{
    return guarded(
        [&]
        {
            Conversation conversation = conversationOf(request, Rights::COMPOSE);
            return Response::json(JsonBody::stringify(
                listJson(_inbox.history(conversation.groupId, conversation.id, filterOf(request)))));
        });
}

Response InboxApi::send(const Request& request)
{
    return guarded(
        [&]
        {
            Conversation conversation = conversationOf(request, Rights::SEND);
            JsonBody in(request.body);
            OutgoingMessage message;
            message.channel = in.text("channel", "email");
            message.subject = in.text("subject");
            message.text = in.text("text");
            message.bookings = in.texts("bookings");
            message.unchecked = in.texts("unchecked");
            message.userId = request.userId;
            message.needsApproval = !request.hasRight(Rights::APPROVE, conversation.groupId);
            long campaign = _inbox.send(conversation.id, message);
            Poco::JSON::Object answer;
            answer.set("campaign", Poco::Int64(campaign));
            return Response::json(JsonBody::stringify(answer), 201);
        });
}

Response InboxApi::read(const Request& request)
{
    return guarded(
        [&]
        {
            Conversation conversation = conversationOf(request, Rights::COMPOSE);
            _inbox.markRead(conversation.id);
            return Response::json(JsonBody::stringify(MassMailing::toJson(*_inbox.find(conversation.id))));
        });
}

Response InboxApi::history(const Request& request)
{
    return guarded(
        [&]
        {
            needGroup(request, Rights::COMPOSE);
            return Response::json(
                JsonBody::stringify(listJson(_inbox.history(request.groupId, 0, filterOf(request)))));
        });
}

Response InboxApi::unmatched(const Request& request)
{
    return guarded(
        [&]
        {
            needGroup(request, Rights::COMPOSE);
            return Response::json(JsonBody::stringify(listJson(_inbox.unmatched(request.groupId))));
        });
}

Routes InboxApi::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Json, "GET", "inbox/conversations", "", Rights::COMPOSE,
         on(this, &InboxApi::conversations)},
        {ScreenKind::Json, "POST", "inbox/conversations", "", Rights::COMPOSE, on(this, &InboxApi::open)},
        {ScreenKind::Json, "GET", "inbox/conversations/{id}", "", Rights::ANY, on(this, &InboxApi::get)},
        {ScreenKind::Json, "GET", "inbox/conversations/{id}/messages", "", Rights::ANY,
         on(this, &InboxApi::messages)},
        {ScreenKind::Json, "POST", "inbox/conversations/{id}/messages", "", Rights::ANY,
         on(this, &InboxApi::send)},
        {ScreenKind::Json, "POST", "inbox/conversations/{id}/read", "", Rights::ANY,
         on(this, &InboxApi::read)},
        {ScreenKind::Json, "GET", "inbox/history", "", Rights::COMPOSE, on(this, &InboxApi::history)},
        {ScreenKind::Json, "GET", "inbox/unmatched", "", Rights::COMPOSE, on(this, &InboxApi::unmatched)},
    };
}
} // namespace MassMailing
