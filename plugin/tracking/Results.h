#ifndef MassMailing_Results_INCLUDED
#define MassMailing_Results_INCLUDED

#include "CrmHost/Database.h"
#include "SqlDialect.h"
#include "content/Campaign.h"
#include <Poco/DateTime.h>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace MassMailing
{
/// What happened to a set of recipients after the send (R3, R4): the funnel's counts.
/// Opens and clicks: unique counts people (rows with at least one), total every one of theirs,
/// machine those of privacy proxies and link scanners, counted apart and in neither of the others.
struct ResultCounts
{
    long planned = 0;   /// Meant to be sent (not left out).
    long sent = 0;      /// Taken by the mail server (250), bounced since or not.
    long delivered = 0; /// sent minus bounced (hard and soft).
    long bouncedHard = 0;
    long bouncedSoft = 0;
    long openedUnique = 0;
    long openedTotal = 0;
    long openedMachine = 0;
    long clickedUnique = 0;
    long clickedTotal = 0;
    long clickedMachine = 0;
    long unsubscribed = 0;
    long complained = 0;
    long heldOut = 0; /// The control group (A10): left out on purpose, never sent.

    void add(const ResultCounts& other);
    static double rate(long part, long whole); /// part / whole, 0 when whole is 0.
};

/// The counts of the recipients of one domain, or of one language version.
struct ResultSlice
{
    std::string name;    /// The domain; a version's locale ("" for the main version); "" for "others".
    bool others = false; /// The domains past the top ones, together.
    ResultCounts counts;
};

/// Opens and clicks of one hour (UTC) since the send began; hours without any are listed too.
struct ResultHour
{
    std::string hour; /// "YYYY-MM-DD HH:00:00"
    long opens = 0, machineOpens = 0, clicks = 0, machineClicks = 0;
};

/// The clicks of one link of the message.
struct LinkResult
{
    long id = 0;
    std::string url;
    long unique = 0, total = 0, machine = 0;
};

/// The control group beside the sent group (A10): for a food group, the share of each that
/// ordered in the group within 7 days after the send began (the host's orders).
struct ControlComparison
{
    bool present = false;    /// The campaign held out a control group.
    bool withOrders = false; /// A food group whose send began: the orders are compared.
    long controlSize = 0, sentSize = 0;
    long controlOrdered = 0, sentOrdered = 0;
    std::string from, until; /// The window of the orders, UTC.
};

/// Everything the results page and its JSON show for one campaign.
struct CampaignResults
{
    long campaignId = 0;
    std::string status;     /// The campaign's delivery state.
    std::string startedAt;  /// UTC; "" before the send began.
    std::string computedAt; /// UTC: when the counts (funnel, domains, versions, control) were computed.
    ResultCounts counts;
    std::vector<ResultHour> hours;
    std::vector<LinkResult> links;     /// Most clicked first.
    std::vector<ResultSlice> domains;  /// The top domains by recipients, then "others".
    std::vector<ResultSlice> versions; /// One per language version that was sent.
    ControlComparison control;
};

/// One recipient's row of the CSV export.
struct RecipientResult
{
    long id = 0;
    std::string email, firstName, lastName, status, reason, detail, bounce, bounceDetail, sentAt, firstOpenAt,
        firstClickAt, unsubscribedAt, complainedAt;
    long opens = 0, machineOpens = 0, clicks = 0, machineClicks = 0;
};

/// The results of a campaign (R3, R4, A10), read from the counters that tracking keeps where it
/// records an event (mm_recipients' columns, mm_links, mm_result_hours). One pass over the
/// campaign's rows gives the funnel, the domains and the versions together; at a million rows it
/// takes seconds, so it is kept per domain and locale (mm_result_slices, mm_result_snapshots) and
/// made again by refreshDue() (the task massmailing.results) while the campaign sends and when
/// events came in since. The hours and the links are read as they are. What a delivery status
/// means is Deliveries' (its named conditions), not listed here.
class Results
{
public:
    Results(CrmHost::Database& database, std::function<Poco::DateTime()> clock);

    CampaignResults of(const Campaign& campaign, std::size_t topDomains = 10);
    /// The results of the campaign, from its last snapshot; computed first when it has none, or
    /// when it is older than MAX_AGE_SECONDS (a host whose scheduler does not run) and may have
    /// missed something: the campaign sends, events came in since, or it holds out a control
    /// group whose orders window was open when it was made. A finished campaign with nothing
    /// new is never counted again here: its page stays fast at a million rows. Throws
    /// Poco::NotFoundException when the campaign is not there, and the database's exceptions.

    void refresh(const Campaign& campaign);
    /// Computes the campaign's snapshot again: a plain read of its rows (no lock held on them),
    /// then the slices replaced in one short transaction.

    bool refreshDue(std::size_t most = 10);
    /// Refreshes the snapshots that are due: of campaigns that send (older than FRESH_SECONDS), or
    /// that finished in the last RECENT_DAYS and got events since their snapshot, or whose control
    /// group's orders window is open (older than MAX_AGE_SECONDS / 2), or that have none. At most
    /// `most` of them; true when more are due.

    void eachRecipient(long campaignId, const std::function<void(const std::vector<RecipientResult>&)>& page,
                       std::size_t pageSize = 20000);
    /// Every recipient row of the campaign, left out ones included, in the order they were
    /// written, a page at a time (keyset: id after the last one), so that a million rows never
    /// sit in memory together. The next page is read (in another thread) while `page` runs on
    /// this one; its exceptions, and the database's, reach the caller.

    void writeCsv(long campaignId, std::ostream& out);
    /// The CSV export (RFC 4180, CRLF): a header line, then one line per recipient (address,
    /// names, status, reason, detail, bounce, bounce text, sent, first open, opens, machine
    /// opens, first click, clicks, machine clicks, unsubscribed, complained), written as pages
    /// are read.

    static const std::vector<std::string>& csvHeader();
    static std::vector<std::string> csvCells(const RecipientResult& row);

    static const int ORDER_DAYS = 7;        /// The window of the control group's comparison.
    static const int FRESH_SECONDS = 30;    /// A sending campaign's snapshot is made again after this.
    static const int MAX_AGE_SECONDS = 600; /// of() computes again a snapshot older than this.
    static const int RECENT_DAYS = 30;      /// A finished campaign's snapshot follows its events this long.
    static const std::size_t MAX_HOURS = 24 * 14; /// The chart's hours at most (the first two weeks).

private:
    struct Snapshot
    {
        std::string computedAt, lastEventAt;
        long controlOrdered = 0, sentOrdered = 0;
    };
    bool readSnapshot(long campaignId, Snapshot& snapshot);
    std::string lastEventAt(long campaignId);
    void readCounts(const Campaign& campaign, CampaignResults& results, std::size_t topDomains);
    void readHours(CampaignResults& results);
    void readLinks(CampaignResults& results);
    void readControl(const Campaign& campaign, CampaignResults& results, const Snapshot& snapshot);
    bool ordersCompared(const Campaign& campaign, const std::string& startedAt, std::string& from,
                        std::string& until);
    static bool ordersWindow(const std::string& groupKind, const std::string& startedAt, std::string& from,
                             std::string& until);
    bool mayHaveChanged(const Campaign& campaign, const std::string& status, const std::string& startedAt,
                        const Snapshot& snapshot);

    CrmHost::Database& _database;
    SqlDialect _sql;
    std::function<Poco::DateTime()> _clock;
};
} // namespace MassMailing

#endif
