#ifndef MassMailing_MailjetEvents_INCLUDED
#define MassMailing_MailjetEvents_INCLUDED

#include "CrmHost/Database.h"
#include "tracking/Bounces.h"
#include "tracking/CampaignLinks.h"
#include "tracking/EventRecorder.h"
#include "tracking/Unsubscribes.h"
#include <Poco/DateTime.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// One event of Mailjet's event webhook, as it posts it (one object, or an array of them when
/// its events are grouped): "sent", "open", "click", "bounce", "blocked", "spam", "unsub".
struct MailjetEvent
{
    std::string kind;      /// "event", lower case.
    long row = 0;          /// CustomID: our mm_recipients.id; 0 when it is none (a test message).
    std::string messageId; /// MessageID, as text.
    std::string email;
    Poco::DateTime at; /// "time" (Unix seconds), UTC; the time of reading when missing.
    std::string url;   /// A click's.
    std::string ip, agent;
    bool hardBounce = false; /// A bounce's "hard_bounce".
    std::string error;       /// A bounce's or blocked's "error_related_to" and "error", its "comment".
    std::string source;      /// A spam report's.

    static const std::size_t MAX_BYTES = 4 * 1024 * 1024; /// A longer body is refused.

    static std::vector<MailjetEvent> parse(const std::string& body);
    /// The events of a body. Throws Poco::DataFormatException when it is not JSON, not an
    /// object or an array of objects, or longer than MAX_BYTES; an object of an unknown kind or
    /// without the fields its kind needs is kept with kind "" (ignored by MailjetEvents).
};

/// Records what Mailjet's webhook tells (when Mailjet is the transport, its tracking replaces
/// ours): each event is mapped by CustomID to our recipient row (the event's address must be
/// the row's), and recorded through tracking's owners: opens and clicks by the EventRecorder (a
/// click's URL is the campaign's link, CampaignLinks), bounces and blocked messages (hard
/// bounces, which suppress) and spam reports (complaints) by Bounces, unsubscribes by
/// Unsubscribes; "sent" confirms a row in doubt (Deliveries::confirmedSent). The same event
/// posted twice is recorded once, as Bounces and Unsubscribes do.
class MailjetEvents
{
public:
    /// What record() did.
    struct Outcome
    {
        std::size_t recorded = 0;
        std::size_t ignored = 0; /// Unknown kinds, rows we do not have, or of another address.
    };

    MailjetEvents(CrmHost::Database& database, const Bounces& bounces, const Unsubscribes& unsubscribes,
                  EventRecorder& recorder, CampaignLinks& links);
    /// All must outlive this object.

    Outcome record(const std::vector<MailjetEvent>& events) const;
    /// Throws the database's exception (Mailjet posts the events again later).

    static std::string webhookToken(const std::string& key);
    /// The webhook's authentication: the last part of the URL Mailjet calls (MailjetWebhook),
    /// 32 hex digits of HMAC-SHA256(key, "mailjet events"), key being the module's signing key.

    static bool webhookTokenMatches(const std::string& key, const std::string& token);
    /// Compares in constant time.

private:
    CrmHost::Database& _database;
    const Bounces& _bounces;
    const Unsubscribes& _unsubscribes;
    EventRecorder& _recorder;
    CampaignLinks& _links;
};
} // namespace MassMailing

#endif
