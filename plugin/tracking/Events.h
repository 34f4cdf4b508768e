#ifndef MassMailing_Events_INCLUDED
#define MassMailing_Events_INCLUDED

#include <Poco/Data/Session.h>
#include <Poco/DateTime.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// What came back for one recipient row of a campaign (table mm_events): the one list of kinds,
/// and the one place that writes them. The counters the results read (mm_recipients' columns,
/// mm_links, mm_result_hours) are kept by whoever records the event, in the same transaction.
struct Event
{
    /// The kinds of event, as stored.
    static const std::string open, click, bounce, delay, complaint, unsubscribe, autoReply;

    long campaignId = 0;
    long recipientRow = 0; /// mm_recipients.id; 0 for a test message's.
    std::string kind;
    bool machine = false;  /// A privacy proxy, a link scanner or a robot: counted apart.
    long linkId = 0;       /// mm_links.id of a click.
    Poco::DateTime at;     /// UTC.
    std::string userAgent; /// At most 300 characters are kept.
    std::string ip;        /// The address, or its hash when the group says so (64 characters).
    std::string detail;    /// A bounce's status and text, a machine's reason (500 characters).
};

class Events
{
public:
    static void insert(Poco::Data::Session& session, const std::vector<Event>& events);
    /// Writes the events, several rows per statement, in the caller's transaction (if any).
    /// Longer texts are cut to their column's size. Throws the database's exception.

    static bool recorded(Poco::Data::Session& session, const Event& event);
    /// Whether the same event (campaign, row, kind, time and detail) is there already: the same
    /// report received twice is recorded once. Throws the database's exception.

    static bool known(const std::string& kind);
    /// Whether kind is one of Event's kinds.

    static long anonymise(Poco::Data::Session& session, long groupId, const std::string& identity);
    /// A person's erasure (X2), in the caller's transaction, before their recipient rows are
    /// anonymised: the events of the group's rows of the address (EmailAddress::identity) keep
    /// their kind, time, link and machine mark (the counts), and lose the IP address, the user
    /// agent and a detail that names the address. Returns how many rows changed.
};
} // namespace MassMailing

#endif
