#ifndef MassMailing_Inbox_INCLUDED
#define MassMailing_Inbox_INCLUDED

#include "CrmHost/Database.h"
#include "audience/RecipientDirectory.h"
#include <Poco/DateTime.h>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
class Audience;
class Campaigns;
class Deliveries;
class ReplyAddress;

/// One message a member sent to the group, as it came in: an email reply (the inbound mail
/// handler, InboxReplies), an SMS reply (the SMS gateway's inbound webhook).
struct IncomingMessage
{
    long groupId = 0;        /// The group it was sent to; 0 when unknown (then only the token can say).
    std::string channel;     /// "email" or "sms".
    std::string from;        /// The sender's address, or number in E.164 ("+33612345678").
    std::string text;        /// The text as received (plain text); the inbox folds the quoted original.
    Poco::DateTime at;       /// When it was received, UTC.
    std::string threadToken; /// The signed token of the thread it answers (ReplyAddress), or "".
    long personId = 0;       /// Who sent it, when the caller knows (the SMS gateway matched the
                             /// number); 0: the inbox looks the sender's address up in the group.
    std::string subject;     /// An email's subject; "" for SMS.
    std::string source;      /// Where it came from, unique: "mail:12" (the host's inbound_mail id),
                             /// "sms:PROVIDER-ID". The same source twice is recorded once.
};

/// Where an incoming message landed.
struct ReceivedMessage
{
    long messageId = 0;      /// mm_inbox_messages.id.
    long conversationId = 0; /// 0: kept as unmatched (listed with the inbox's unmatched replies).
    long groupId = 0;        /// 0: no group could be told (the host keeps and lists the mail).
    bool duplicate = false;  /// The same source came before: nothing new was recorded.
    std::string reason;      /// Why it is unmatched ("the token's signature does not match"), else "".
};

/// A thread of the inbox: with one member, one smartlist (saved filter) or one studio session.
struct Conversation
{
    long id = 0;
    long groupId = 0;
    std::string kind;   /// "member", "smartlist" or "session".
    long subjectId = 0; /// people.id, saved_filters.id or studio_sessions.id.
    std::string title;  /// The member's name, the smartlist's name, the session's title and date.
    std::string lastAt; /// The newest message's time ("YYYY-MM-DD HH:MM:SS", UTC), or its opening.
    long unread = 0;    /// Received messages nobody opened yet.
};

/// What the history shows (R2); an empty field does not filter.
struct HistoryFilter
{
    std::string channel;   /// "email", "sms", "push".
    std::string from;      /// "YYYY-MM-DD": sent or received on that day or after (UTC).
    std::string to;        /// "YYYY-MM-DD": on that day or before.
    std::string direction; /// "sent" or "received".
    std::string mode;      /// "manual" or "automatic" (a sent message).
    std::string booking;   /// "booked", "waiting" or "cancelled": sent to those of a session.
};

/// One line of a history: a message sent (a campaign) or received (a reply).
struct HistoryItem
{
    long messageId = 0;      /// mm_inbox_messages.id; 0 for a campaign sent outside the inbox.
    long conversationId = 0; /// 0: none (a campaign of the group, an unmatched reply).
    std::string direction;   /// "sent" or "received".
    std::string channel;     /// "email", "sms" or "push".
    std::string at;          /// "YYYY-MM-DD HH:MM:SS", UTC.
    std::string mode;        /// "manual" or "automatic"; "" for a received message.
    long campaignId = 0;     /// The campaign of a sent message.
    std::string status;      /// The campaign's state (Deliveries).
    std::string subject;
    std::string text;   /// The message's text; a reply's own words, the quoted original apart.
    std::string quoted; /// A reply's quoted original, folded away on the screens.
    std::string from;   /// A reply's sender.
    std::string fromName;
    std::vector<std::string> bookings;  /// A session message's recipients' booking statuses.
    std::map<std::string, long> counts; /// A campaign's recipients by status (Deliveries::counts).
    long recipients = 0;                /// A campaign's recipients, left-out rows apart.
    bool read = true;                   /// A received message someone opened.
    std::string matched;                /// A reply: "matched", or why not ("forged", "stale", "unknown").
    std::string reason;
};

/// A message written in the inbox, to the people of one conversation.
struct OutgoingMessage
{
    std::string channel = "email";      /// "email" now; "sms" and "push" with their channels.
    std::string subject;                /// Required for email and push.
    std::string text;                   /// The message (plain text; variables allowed).
    std::vector<std::string> bookings;  /// A session: any of "booked", "waiting", "cancelled".
    std::vector<std::string> unchecked; /// Recipients deselected ("person:12").
    long userId = 0;
    bool needsApproval = false; /// The user may not approve in the group (D2).
};

/// The two-way inbox (M3, R1, R2): conversations per member, per smartlist and per session,
/// newest first with their unread counts; the replies that land in them; the history of each
/// and of the whole group, with its filters; writing from a conversation. It comes after the
/// stages and calls them: audience for the recipients, content for campaigns and the signed
/// reply address, delivery for sending and each recipient's status.
class Inbox
{
public:
    using Clock = std::function<Poco::DateTime()>;

    Inbox(CrmHost::Database& database, const ReplyAddress& replies, RecipientDirectory& directory,
          Campaigns& campaigns, Audience& audience, Deliveries& deliveries, Clock clock,
          std::function<long()> monthlyLimit, std::function<std::string(long groupId)> replyDomain);
    /// replyDomain: the domain of a group's reply addresses (its bounce.domain), "" for the
    /// sender's own. Everything given must outlive this object.

    ReceivedMessage receive(const IncomingMessage& message);
    /// Records an incoming message. With a thread token this module signed, it lands in that
    /// conversation; without one, a message from a member of the group (by personId, or the
    /// sender's address) lands in the member's conversation, opened if need be. A forged or stale
    /// token, or a sender nobody knows, keeps it as unmatched: recorded, listed, never lost. The
    /// same source twice is recorded once. Throws the database's exception (the caller retries).

    long open(long groupId, const std::string& kind, long subjectId);
    /// The conversation with that member, smartlist or session, opened on first use. Throws
    /// Poco::NotFoundException when the group has no such member, smartlist or session.

    std::optional<Conversation> find(long conversationId);
    std::vector<Conversation> conversations(long groupId, std::size_t limit = 200);
    /// Newest first, with their unread counts.
    long unmatchedCount(long groupId);

    std::vector<HistoryItem> history(long groupId, long conversationId, const HistoryFilter& filter,
                                     std::size_t limit = 200);
    /// Newest first. conversationId 0: the whole group (every campaign sent, every reply, the
    /// unmatched ones too). Throws FieldException naming a filter's bad value.
    std::vector<HistoryItem> unmatched(long groupId, std::size_t limit = 200);

    void markRead(long conversationId);
    /// Every received message of the conversation opened.

    std::optional<MemberContact> member(long conversationId);
    /// The member of a member conversation, as the composer needs them (seed 003 step 5: Send
    /// disabled without an address, a warning without consent); empty for the other kinds.

    long send(long conversationId, const OutgoingMessage& message);
    /// A campaign of the group to the conversation's people (one member; a smartlist; the chosen
    /// booking statuses of a session, less the unchecked), its Reply-To the thread's signed
    /// address, scheduled now through delivery. Returns the campaign's id. Throws FieldException
    /// (channel, subject, text, bookings, recipients) and what Campaigns, Audience and
    /// Deliveries throw.

    std::string replyAddress(long groupId, long conversationId, const std::string& senderEmail) const;
    /// "reply+TOKEN@domain": the thread's signed Reply-To.

private:
    CrmHost::Database& _database;
    const ReplyAddress& _replies;
    RecipientDirectory& _directory;
    Campaigns& _campaigns;
    Audience& _audience;
    Deliveries& _deliveries;
    Clock _clock;
    std::function<long()> _monthlyLimit;
    std::function<std::string(long)> _replyDomain;
};
} // namespace MassMailing

#endif
