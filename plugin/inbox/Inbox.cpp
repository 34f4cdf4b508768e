#include "inbox/Inbox.h"
#include "FieldException.h"
#include "SqlTime.h"
#include "audience/Audience.h"
#include "audience/EmailAddress.h"
#include "content/Campaigns.h"
#include "content/HtmlEscape.h"
#include "content/ReplyAddress.h"
#include "delivery/Deliveries.h"
#include "inbox/ReplyText.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeParser.h>
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const std::vector<std::string> KINDS{"member", "smartlist", "session"};
const std::vector<std::string> CHANNELS{"email", "sms", "push"};
const std::vector<std::string> BOOKINGS{"booked", "waiting", "cancelled"};

bool oneOf(const std::string& value, const std::vector<std::string>& values)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

long number(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? 0 : long(value.convert<Poco::Int64>());
}

std::string text(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? std::string() : value.convert<std::string>();
}

std::vector<std::string> split(const std::string& list)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < list.size())
    {
        std::size_t end = list.find(',', start);
        if (end == std::string::npos)
            end = list.size();
        if (end > start)
            items.push_back(list.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string list;
    for (const std::string& item : items)
        list += (list.empty() ? "" : ",") + item;
    return list;
}

std::string fullName(const std::string& first, const std::string& last)
{
    return Poco::trim(first + " " + last);
}

// The HTML of a message written as plain text: paragraphs, line breaks, every character escaped.
std::string htmlOf(const std::string& plain)
{
    std::string html = "<p>";
    for (char c : Poco::replace(plain, "\r\n", "\n"))
    {
        if (c == '\n')
            html += "<br>";
        else
            appendHtmlEscaped(html, std::string(1, c));
    }
    return Poco::replace(html, "<br><br>", "</p><p>") + "</p>";
}

void checkDate(const std::string& value, const char* field)
{
    Poco::DateTime parsed;
    int zone = 0;
    if (!value.empty() &&
        (value.size() != 10 || !Poco::DateTimeParser::tryParse("%Y-%m-%d", value, parsed, zone)))
        throw FieldException(field, "invalid_date",
                             std::string(field) + " is a date YYYY-MM-DD, not \"" + value + "\"");
}

// The columns of a history row read from mm_inbox_messages (m), its campaign (c) and sender (p).
const char* const MESSAGE_COLUMNS =
    "SELECT m.id, COALESCE(m.conversation_id, 0), m.direction, m.channel, CAST(m.at AS CHAR), "
    "COALESCE(m.campaign_id, 0), COALESCE(c.automatic, ''), COALESCE(c.status, ''), m.subject, m.body, "
    "m.quoted, "
    "m.sender, COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), m.bookings, "
    "CASE WHEN m.read_at IS NULL THEN 0 ELSE 1 END, m.matched, m.detail FROM mm_inbox_messages m LEFT JOIN "
    "mm_campaigns c ON c.id = m.campaign_id LEFT JOIN people p ON p.id = m.person_id ";

std::vector<HistoryItem> messageItems(Poco::Data::Statement& statement)
{
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    std::vector<HistoryItem> items;
    for (std::size_t i = 0; i < rows.rowCount(); ++i)
    {
        HistoryItem item;
        item.messageId = number(rows.value(0, i));
        item.conversationId = number(rows.value(1, i));
        item.direction = text(rows.value(2, i));
        item.channel = text(rows.value(3, i));
        item.at = text(rows.value(4, i)).substr(0, 19);
        item.campaignId = number(rows.value(5, i));
        if (item.direction == "sent")
            item.mode = text(rows.value(6, i)).empty() ? "manual" : "automatic";
        item.status = text(rows.value(7, i));
        item.subject = text(rows.value(8, i));
        item.text = text(rows.value(9, i));
        item.quoted = text(rows.value(10, i));
        item.from = text(rows.value(11, i));
        item.fromName = fullName(text(rows.value(12, i)), text(rows.value(13, i)));
        item.bookings = split(text(rows.value(14, i)));
        item.read = number(rows.value(15, i)) != 0;
        item.matched = text(rows.value(16, i));
        item.reason = text(rows.value(17, i));
        items.push_back(item);
    }
    return items;
}
} // namespace

Inbox::Inbox(CrmHost::Database& database, const ReplyAddress& replies, RecipientDirectory& directory,
             Campaigns& campaigns, Audience& audience, Deliveries& deliveries, Clock clock,
             std::function<long()> monthlyLimit, std::function<std::string(long)> replyDomain)
    : _database(database), _replies(replies), _directory(directory), _campaigns(campaigns),
      _audience(audience), _deliveries(deliveries), _clock(std::move(clock)),
      _monthlyLimit(std::move(monthlyLimit)), _replyDomain(std::move(replyDomain))
{
}

ReceivedMessage Inbox::receive(const IncomingMessage& message)
{
    Poco::Data::Session session = _database.session();
    ReceivedMessage received;
    if (!message.source.empty())
    {
        std::string source = message.source;
        std::vector<Poco::Int64> ids, groups, conversations;
        std::vector<std::string> details;
        session << "SELECT id, group_id, COALESCE(conversation_id, 0), detail FROM mm_inbox_messages WHERE "
                   "source = ?",
            use(source), into(ids), into(groups), into(conversations), into(details), now;
        if (!ids.empty())
            return {long(ids[0]), long(conversations[0]), long(groups[0]), true,
                    conversations[0] ? "" : details[0]};
    }

    long group = message.groupId, conversation = 0, person = message.personId;
    std::string matched = "matched";
    if (!message.threadToken.empty())
    {
        try
        {
            ReplyToken token = _replies.verify(message.threadToken);
            std::optional<Conversation> found = find(token.conversationId);
            group = token.groupId;
            if (found && found->groupId == token.groupId &&
                (message.groupId == 0 || message.groupId == group))
                conversation = found->id;
            else
            {
                matched = "stale";
                received.reason = "the thread token names conversation " +
                                  std::to_string(token.conversationId) +
                                  ", which is no longer there (a stale token)";
            }
        }
        catch (const InvalidReplyAddressException& error)
        {
            matched = "forged";
            received.reason = "a thread token we did not sign: " + error.message();
            if (group == 0)
                group = ReplyAddress::claimedGroup(message.threadToken);
        }
    }
    // Only a group that exists lists the message; else the host alone keeps it (group 0).
    if (group != 0)
    {
        try
        {
            _campaigns.groupKind(group);
        }
        catch (const FieldException&) // no such group
        {
            group = 0;
        }
    }
    if (group != 0 && person == 0)
    {
        if (message.channel == "email" && !message.from.empty())
        {
            for (const Recipient& found :
                 _directory.withAddress(group, "members", EmailAddress::identity(message.from)))
                if (found.kind == "person")
                {
                    person = found.id;
                    break;
                }
        }
    }
    else if (group != 0 && !_directory.member(group, person))
        person = 0;
    if (conversation == 0 && matched == "matched")
    {
        if (group != 0 && person != 0)
            conversation = open(group, "member", person);
        else
        {
            matched = "unknown";
            received.reason = group == 0 ? "no thread token, and no group to tell"
                                         : "no thread token, and the sender is no member of the group";
        }
    }

    FoldedReply folded =
        message.channel == "email" ? ReplyText::fold(message.text) : FoldedReply{message.text, ""};
    std::string at = sqlTime(message.at), direction = "received", channel = message.channel,
                from = message.from.substr(0, 320), subject = message.subject.substr(0, 500),
                reason = received.reason.substr(0, 500);
    Poco::Nullable<Poco::Int64> conversationValue, personValue;
    if (conversation)
        conversationValue = Poco::Int64(conversation);
    if (person)
        personValue = Poco::Int64(person);
    Poco::Nullable<std::string> source;
    if (!message.source.empty())
        source = message.source.substr(0, 191);
    Poco::Int64 groupValue = group;
    session.begin();
    try
    {
        session << "INSERT INTO mm_inbox_messages (group_id, conversation_id, direction, channel, person_id, "
                   "sender, "
                   "subject, body, quoted, at, matched, detail, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?)",
            use(groupValue), use(conversationValue), use(direction), use(channel), use(personValue),
            use(from), use(subject), use(folded.own), use(folded.quoted), use(at), use(matched), use(reason),
            use(source), now;
        Poco::Int64 id = 0;
        if (message.source.empty())
            session << "SELECT MAX(id) FROM mm_inbox_messages WHERE group_id = ? AND direction = 'received'",
                use(groupValue), into(id), now;
        else
            session << "SELECT id FROM mm_inbox_messages WHERE source = ?", use(source), into(id), now;
        if (conversation)
        {
            Poco::Int64 c = conversation;
            session << "UPDATE mm_conversations SET last_at = ? WHERE id = ? AND last_at < ?", use(at),
                use(c), use(at), now;
        }
        session.commit();
        received.messageId = long(id);
    }
    catch (...)
    {
        if (session.isTransaction())
            session.rollback();
        // The same source recorded meanwhile by another node: that row is the answer.
        if (!message.source.empty())
        {
            std::string s = message.source;
            std::vector<Poco::Int64> ids;
            session << "SELECT id FROM mm_inbox_messages WHERE source = ?", use(s), into(ids), now;
            if (!ids.empty())
                return {long(ids[0]), conversation, group, true, received.reason};
        }
        throw;
    }
    received.conversationId = conversation;
    received.groupId = group;
    return received;
}

long Inbox::open(long groupId, const std::string& kind, long subjectId)
{
    if (!oneOf(kind, KINDS))
        throw Poco::NotFoundException("conversation kind", kind);
    Poco::Data::Session session = _database.session();
    Poco::Int64 group = groupId, subject = subjectId;
    std::string k = kind;
    auto existing = [&]
    {
        std::vector<Poco::Int64> ids;
        session << "SELECT id FROM mm_conversations WHERE group_id = ? AND kind = ? AND subject_id = ?",
            use(group), use(k), use(subject), into(ids), now;
        return ids.empty() ? 0L : long(ids[0]);
    };
    if (long id = existing())
        return id;

    std::string title;
    if (kind == "member")
    {
        std::optional<MemberContact> member = _directory.member(groupId, subjectId);
        if (!member)
            throw Poco::NotFoundException("member", std::to_string(subjectId) + " is no member of the group");
        title = fullName(member->firstName, member->lastName);
        if (title.empty())
            title = member->email.empty() ? member->phone : member->email;
    }
    else
    {
        // The smartlists and sessions the audience offers the group (TargetsLoader) are those a
        // conversation may be with.
        const std::string target = kind == "smartlist" ? "members.filter" : "session.booked";
        const std::string param = kind == "smartlist" ? "filter" : "session";
        for (const CrmHost::Target& offered : _audience.targets(groupId, "members"))
        {
            auto it = offered.params.find(param);
            if (offered.id != target || it == offered.params.end() || it->second != std::to_string(subjectId))
                continue;
            title = kind == "smartlist"
                        ? offered.params.at("filter_name")
                        : offered.params.at("session_title") + " — " + offered.params.at("date");
        }
        if (title.empty())
            throw Poco::NotFoundException(kind, std::to_string(subjectId) + " is not one of the group's");
    }
    std::string at = sqlTime(_clock());
    title = title.substr(0, 300);
    try
    {
        session << "INSERT INTO mm_conversations (group_id, kind, subject_id, title, created_at, last_at) "
                   "VALUES (?, "
                   "?, ?, ?, ?, ?)",
            use(group), use(k), use(subject), use(title), use(at), use(at), now;
    }
    catch (const Poco::Exception&)
    {
        // Opened meanwhile by another request: the unique key kept one.
        if (long id = existing())
            return id;
        throw;
    }
    return existing();
}

std::optional<Conversation> Inbox::find(long conversationId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    Poco::Int64 id = conversationId;
    statement << "SELECT c.id, c.group_id, c.kind, c.subject_id, c.title, CAST(c.last_at AS CHAR), (SELECT "
                 "COUNT(*) "
                 "FROM mm_inbox_messages m WHERE m.conversation_id = c.id AND m.direction = 'received' AND "
                 "m.read_at IS NULL) FROM mm_conversations c WHERE c.id = ?",
        use(id);
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    if (rows.rowCount() == 0)
        return std::nullopt;
    return Conversation{number(rows.value(0, 0)), number(rows.value(1, 0)),
                        text(rows.value(2, 0)),   number(rows.value(3, 0)),
                        text(rows.value(4, 0)),   text(rows.value(5, 0)).substr(0, 19),
                        number(rows.value(6, 0))};
}

std::vector<Conversation> Inbox::conversations(long groupId, std::size_t limit)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    Poco::Int64 group = groupId;
    statement << "SELECT c.id, c.group_id, c.kind, c.subject_id, c.title, CAST(c.last_at AS CHAR), (SELECT "
                 "COUNT(*) "
                 "FROM mm_inbox_messages m WHERE m.conversation_id = c.id AND m.direction = 'received' AND "
                 "m.read_at IS NULL) FROM mm_conversations c WHERE c.group_id = ? ORDER BY c.last_at DESC, "
                 "c.id DESC "
                 "LIMIT " +
                     std::to_string(limit),
        use(group);
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    std::vector<Conversation> list;
    for (std::size_t i = 0; i < rows.rowCount(); ++i)
        list.push_back({number(rows.value(0, i)), number(rows.value(1, i)), text(rows.value(2, i)),
                        number(rows.value(3, i)), text(rows.value(4, i)),
                        text(rows.value(5, i)).substr(0, 19), number(rows.value(6, i))});
    return list;
}

long Inbox::unmatchedCount(long groupId)
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 group = groupId, count = 0;
    session << "SELECT COUNT(*) FROM mm_inbox_messages WHERE group_id = ? AND direction = 'received' AND "
               "conversation_id IS NULL",
        use(group), into(count), now;
    return long(count);
}

std::vector<HistoryItem> Inbox::unmatched(long groupId, std::size_t limit)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    Poco::Int64 group = groupId;
    statement << std::string(MESSAGE_COLUMNS) +
                     "WHERE m.group_id = ? AND m.direction = 'received' AND m.conversation_id IS NULL ORDER "
                     "BY m.at "
                     "DESC, m.id DESC LIMIT " +
                     std::to_string(limit),
        use(group);
    return messageItems(statement);
}

std::vector<HistoryItem> Inbox::history(long groupId, long conversationId, const HistoryFilter& filter,
                                        std::size_t limit)
{
    if (!filter.channel.empty() && !oneOf(filter.channel, CHANNELS))
        throw FieldException("channel", "invalid",
                             "channel is email, sms or push, not \"" + filter.channel + "\"");
    checkDate(filter.from, "from");
    checkDate(filter.to, "to");
    if (!filter.direction.empty() && !oneOf(filter.direction, {"sent", "received"}))
        throw FieldException("direction", "invalid", "direction is sent or received");
    if (!filter.mode.empty() && !oneOf(filter.mode, {"manual", "automatic"}))
        throw FieldException("mode", "invalid", "mode is manual or automatic");
    if (!filter.booking.empty() && !oneOf(filter.booking, BOOKINGS))
        throw FieldException("booking", "invalid", "booking is booked, waiting or cancelled");

    Poco::Data::Session session = _database.session();
    std::vector<HistoryItem> items;
    Poco::Int64 group = groupId, conversation = conversationId;
    {
        Poco::Data::Statement statement(session);
        if (conversationId)
            statement << std::string(MESSAGE_COLUMNS) + "WHERE m.group_id = ? AND m.conversation_id = ?",
                use(group), use(conversation);
        else
            statement << std::string(MESSAGE_COLUMNS) + "WHERE m.group_id = ?", use(group);
        items = messageItems(statement);
    }

    // Campaigns sent otherwise than from the inbox: every one in the group's history; in a
    // smartlist's, those whose audience loads the smartlist (automatic messages too).
    std::string campaigns;
    if (conversationId == 0)
        campaigns = "c.group_id = ?";
    else if (std::optional<Conversation> found = find(conversationId); found && found->kind == "smartlist")
    {
        for (long id : _audience.campaignsLoading(groupId, "members.filter", "filter",
                                                  std::to_string(found->subjectId)))
            campaigns += (campaigns.empty() ? "" : ", ") + std::to_string(id);
        if (!campaigns.empty())
            campaigns = "c.group_id = ? AND c.id IN (" + campaigns + ")";
    }
    if (!campaigns.empty())
    {
        Poco::Data::Statement statement(session);
        statement
            << "SELECT c.id, c.channel, CAST(COALESCE(c.started_at, c.scheduled_at, c.created_at) AS CHAR), "
               "c.automatic, c.status, c.subject, c.text_body, c.name FROM mm_campaigns c WHERE " +
                   campaigns +
                   " AND c.automatic <> 'model' AND NOT EXISTS (SELECT 1 FROM mm_inbox_messages m WHERE "
                   "m.campaign_id = c.id) ORDER BY c.id DESC LIMIT 2000",
            use(group);
        statement.execute();
        Poco::Data::RecordSet rows(statement);
        for (std::size_t i = 0; i < rows.rowCount(); ++i)
        {
            HistoryItem item;
            item.status = text(rows.value(4, i));
            if (Deliveries::editable(item.status))
                continue; // a draft went nowhere yet
            item.direction = "sent";
            item.campaignId = number(rows.value(0, i));
            item.channel = text(rows.value(1, i));
            item.at = text(rows.value(2, i)).substr(0, 19);
            item.mode = text(rows.value(3, i)).empty() ? "manual" : "automatic";
            item.subject = text(rows.value(5, i));
            item.text = text(rows.value(6, i));
            if (item.subject.empty())
                item.subject = text(rows.value(7, i));
            items.push_back(item);
        }
    }

    auto kept = [&](const HistoryItem& item)
    {
        const std::string day = item.at.substr(0, 10);
        return (filter.channel.empty() || item.channel == filter.channel) &&
               (filter.from.empty() || day >= filter.from) && (filter.to.empty() || day <= filter.to) &&
               (filter.direction.empty() || item.direction == filter.direction) &&
               (filter.mode.empty() || item.mode == filter.mode) &&
               (filter.booking.empty() || oneOf(filter.booking, item.bookings));
    };
    items.erase(
        std::remove_if(items.begin(), items.end(), [&](const HistoryItem& item) { return !kept(item); }),
        items.end());
    std::sort(items.begin(), items.end(),
              [](const HistoryItem& a, const HistoryItem& b)
              {
                  if (a.at != b.at)
                      return a.at > b.at;
                  return a.messageId != b.messageId ? a.messageId > b.messageId : a.campaignId > b.campaignId;
              });
    if (items.size() > limit)
        items.resize(limit);
    for (HistoryItem& item : items)
        if (item.campaignId)
        {
            item.counts = _deliveries.counts(item.campaignId);
            for (const auto& count : item.counts)
                item.recipients += count.second;
        }
    return items;
}

void Inbox::markRead(long conversationId)
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 conversation = conversationId;
    std::string at = sqlTime(_clock());
    session << "UPDATE mm_inbox_messages SET read_at = ? WHERE conversation_id = ? AND direction = "
               "'received' AND "
               "read_at IS NULL",
        use(at), use(conversation), now;
}

std::optional<MemberContact> Inbox::member(long conversationId)
{
    std::optional<Conversation> conversation = find(conversationId);
    if (!conversation || conversation->kind != "member")
        return std::nullopt;
    return _directory.member(conversation->groupId, conversation->subjectId);
}

std::string Inbox::replyAddress(long groupId, long conversationId, const std::string& senderEmail) const
{
    return _replies.address({groupId, conversationId}, _replyDomain ? _replyDomain(groupId) : "",
                            senderEmail);
}

long Inbox::send(long conversationId, const OutgoingMessage& message)
{
    std::optional<Conversation> conversation = find(conversationId);
    if (!conversation)
        throw Poco::NotFoundException("conversation", std::to_string(conversationId));
    // Email now; SMS and push once their channels are there (issue 15, points 1 to 4).
    if (message.channel != "email")
        throw FieldException("channel", "unavailable", "this group cannot send " + message.channel + " yet");
    if (Poco::trim(message.subject).empty())
        throw FieldException("subject", "required", "an email needs a subject");
    if (Poco::trim(message.text).empty())
        throw FieldException("text", "required", "the message is empty");
    std::vector<std::string> bookings;
    for (const std::string& booking : message.bookings)
        if (oneOf(booking, BOOKINGS) && !oneOf(booking, bookings))
            bookings.push_back(booking);
    if (conversation->kind == "session" && bookings.empty())
        throw FieldException(
            "bookings", "required",
            "choose the recipients among the bookings, the waiting list and the cancellations");
    if (conversation->kind == "member")
    {
        std::optional<MemberContact> contact =
            _directory.member(conversation->groupId, conversation->subjectId);
        if (!contact || contact->email.empty())
            throw FieldException("recipients", "no_address", "the member has no email address");
    }
    else
    {
        // Nobody with an address among those chosen: refused before anything is written.
        bool someone = false;
        auto look = [&](const std::string& target, const std::string& param)
        {
            for (const Recipient& person :
                 _audience.preview(conversation->groupId, "members", target,
                                   {{param, std::to_string(conversation->subjectId)}}, 500))
                someone =
                    someone || (EmailAddress::isValid(person.email) &&
                                !oneOf(person.kind + ":" + std::to_string(person.id), message.unchecked));
        };
        if (conversation->kind == "smartlist")
            look("members.filter", "filter");
        for (const std::string& booking : bookings)
            look("session." + booking, "session");
        if (!someone)
            throw FieldException("recipients", "nobody",
                                 "nobody of the chosen recipients can be sent an email");
    }
    std::vector<std::string> domains = _campaigns.verifiedDomains(conversation->groupId);
    if (domains.empty())
        throw FieldException("sender_email", "unverified_domain", "the group has no verified sending domain");

    Campaign campaign;
    campaign.groupId = conversation->groupId;
    campaign.channel = message.channel;
    campaign.recipientType = "members";
    campaign.name = ("Inbox — " + conversation->title).substr(0, 200);
    campaign.senderName = _campaigns.groupName(conversation->groupId);
    campaign.senderEmail = "inbox@" + domains.front();
    campaign.replyTo = replyAddress(conversation->groupId, conversation->id, campaign.senderEmail);
    campaign.subject = message.subject;
    campaign.text = message.text;
    campaign.html = htmlOf(message.text);
    campaign.createdBy = message.userId;
    const long campaignId = _campaigns.create(campaign);

    AudienceOwner owner{campaignId, conversation->groupId, "members", "address"};
    const std::string subject = std::to_string(conversation->subjectId);
    if (conversation->kind == "member")
        _audience.addTarget(owner, Audience::MEMBER_TARGET, {{"person", subject}}, false);
    else if (conversation->kind == "smartlist")
        _audience.addTarget(owner, "members.filter", {{"filter", subject}}, false);
    else
        for (const std::string& booking : bookings)
            _audience.addTarget(owner, "session." + booking, {{"session", subject}}, false);
    for (const std::string& key : message.unchecked)
        _audience.setChecked(owner, key, false);
    AudienceSummary summary = _audience.resolve(owner, _monthlyLimit ? _monthlyLimit() : 0);
    if (summary.planned == 0)
        throw FieldException("recipients", "nobody", "nobody of the chosen recipients can be sent an email");
    _deliveries.schedule(campaignId, SendPlan{}, message.needsApproval, _monthlyLimit ? _monthlyLimit() : 0);

    Poco::Data::Session session = _database.session();
    Poco::Int64 group = conversation->groupId, c = conversation->id, id = campaignId;
    std::string direction = "sent", channel = message.channel, at = sqlTime(_clock()),
                list = joined(bookings), empty, title = message.subject.substr(0, 500), body = message.text;
    session.begin();
    session << "INSERT INTO mm_inbox_messages (group_id, conversation_id, direction, channel, campaign_id, "
               "subject, "
               "body, quoted, bookings, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(group), use(c), use(direction), use(channel), use(id), use(title), use(body), use(empty),
        use(list), use(at), now;
    session << "UPDATE mm_conversations SET last_at = ? WHERE id = ?", use(at), use(c), now;
    session.commit();
    return campaignId;
}
} // namespace MassMailing
