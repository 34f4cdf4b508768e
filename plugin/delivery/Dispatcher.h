#ifndef MassMailing_Dispatcher_INCLUDED
#define MassMailing_Dispatcher_INCLUDED

#include "audience/Suppressions.h"
#include "delivery/CampaignMessages.h"
#include "delivery/Channel.h"
#include "delivery/Deliveries.h"
#include "delivery/Journal.h"
#include "delivery/TestSend.h"
#include <Poco/Data/Session.h>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace MassMailing
{
/// A round that cannot send at all, for a reason that will not change by itself (the
/// transport or the signer cannot be built from the module's settings): the campaigns it
/// paused, and why.
POCO_DECLARE_EXCEPTION(, SendBlockedException, Poco::IllegalStateException)

/// The scheduled-send task's engine (D1–D9). Each round it recovers the rows of workers that
/// died (not yet handed over: queued again; the last handed over: in doubt, never sent again
/// automatically), starts the campaigns whose time has come, expires those past their
/// deadline, and sends: workers claim batches of queued rows with a lease (FOR UPDATE SKIP
/// LOCKED on MySQL, one atomic UPDATE on SQLite), so that several hosts can drain one
/// campaign. A row is recorded as handed over in the node's journal (Journal) before its bytes
/// go on the wire, and its answer after; the answers reach the database in batches. Without a
/// journal folder, each row is marked in flight in the database instead (a commit per message).
class Dispatcher
{
public:
    struct Settings
    {
        int workers = 4;             /// Threads, each with its own transport connection.
        int batch = 50;              /// Rows claimed at once.
        int leaseSeconds = 300;      /// A worker that holds rows longer is taken for dead.
        int roundSeconds = 50;       /// A round returns after this, to let the scheduler breathe.
        int maxAttempts = 8;         /// Temporary refusals before a row fails for good.
        int retrySeconds = 60;       /// First wait after a temporary failure; doubles each time.
        int pauseAfterFailures = 20; /// The same refusal this many times in a row pauses the campaign.
        std::string node;            /// This host's name in lease owners.
        std::string journalFolder;   /// Where the node's journals are kept (in the host's data
                                     /// folder, one subfolder per node); empty: none, the
                                     /// in-flight mark is a database commit per message.
    };

    Dispatcher(CrmHost::Database& database, Campaigns& campaigns, Deliveries& deliveries,
               const TestSend::Services& services, Clock clock, std::function<Settings()> settings,
               std::function<long()> monthlyLimit);

    void addChannel(std::shared_ptr<const Channel> channel);
    /// Sends the campaigns of channel->name() through it, replacing the one of that name.
    /// "email" is there from the start (EmailChannel, on the services' transport). Call before
    /// the first round. A campaign of a channel that is not there pauses, saying so.

    bool runOnce();
    /// One round; true when due work is left (the scheduler fires it again). A campaign whose
    /// messages cannot be made or sent at all (its transport or DKIM signer cannot be built) is
    /// paused with the reason, which the send screen shows, and the round then throws
    /// SendBlockedException saying so, so that `task run --until-idle` ends and says why.

    std::uint64_t journalFsyncs() const;
    std::uint64_t journalRecords() const;
    /// The journal's fdatasyncs and records so far (0 without one), for the benchmark.

private:
    struct Row
    {
        long id;
        Recipient recipient;
        int attempts;
    };

    void openJournal(const Settings& settings);
    void recoverJournals();
    /// The journals of this node's processes that died: rows handed over and not answered in
    /// doubt, answered rows their status, the others of their leases back to the queue.
    std::map<char, std::size_t> applyAnswers(Poco::Data::Session& session,
                                             const std::vector<Journal::Entry>& entries);
    void keepUnrecorded(long campaignId, const std::string& owner, const std::map<long, char>& rows);
    bool recordUnrecorded();
    /// The answers a worker could not write (the database failed), kept and written at the next
    /// round; false while the database still fails.
    void recover();
    void recoverLease(Poco::Data::Session& session, long campaign, const std::string& owner,
                      const std::string& current);
    /// The rows of a dead worker: those it never handed over queued again, those it handed
    /// over before the last sent, the last in doubt.
    void startDue();
    void expire();
    bool sendCampaign(long campaignId, const Settings& settings);
    bool work(const Campaign& campaign, const Settings& settings, int worker);
    /// The campaign is read once per round for all workers: Poco's MySQL connector gives each
    /// MEDIUMTEXT column of a result a buffer of its greatest size (16 MB).
    std::vector<Row> claim(Poco::Data::Session& session, long campaignId, long limit,
                           const std::string& owner, const Settings& settings);
    std::optional<long> budget(Poco::Data::Session& session, long campaignId, long monthlyLimit);
    /// How many more rows the pace and the quota (monthlyLimit, 0: none) allow now (negative
    /// when over); none: no limit.
    void release(const std::vector<Row>& rows, std::size_t from);
    std::vector<Row> skipSuppressed(const Campaign& campaign, std::vector<Row> rows,
                                    const std::string& owner);
    /// The claimed rows whose address is suppressed now (unsubscribed, bounced, complained:
    /// audience's Suppressions decide) end skipped with that reason; the others are returned.
    std::unique_ptr<Transport> openTransport(const Channel& channel) const;
    /// The channel's transport. Throws SendBlockedException when it cannot be built.
    const Channel& channelOf(const Campaign& campaign) const;
    /// Throws SendBlockedException for a channel that is not there.
    void recordMessageIds(Poco::Data::Session& session, const std::vector<std::pair<long, std::string>>& ids);
    /// The ids the transport gave the rows' messages (mm_message_ids), for their delivery reports.
    std::optional<bool> sendBatches(const Campaign& campaign, ChannelMessages& messages,
                                    std::unique_ptr<Transport>& transport, Poco::Data::Session& session,
                                    const std::vector<Row>& rows, const std::string& owner,
                                    const Settings& settings, const std::function<bool()>& leaseRunningOut);
    /// The claimed rows through a transport that takes several messages a call (Mailjet): each
    /// call's rows recorded as handed over (reconcilable by their id) before it, each answer
    /// after. A lost answer leaves the call's rows in doubt, to be reconciled. Returns work()'s
    /// answer when the worker stops, none to claim again.
    bool reconcile(const Campaign& campaign, const Settings& settings);
    /// Asks the transport what became of the campaign's rows in doubt that it can reconcile:
    /// found sent, not found queued again. False while some cannot be asked yet (their wait
    /// after the lost answer, or the service does not answer): then nothing of the campaign is
    /// sent this round.
    bool pauseForFailures(long campaignId, const std::vector<Row>& rows, std::size_t from, int count,
                          const std::string& detail);

    CrmHost::Database& _database;
    Campaigns& _campaigns;
    Deliveries& _deliveries;
    Suppressions _suppressions; // read again at each claim: an unsubscribe after scheduling holds
    Clock _clock;
    std::function<Settings()> _settings;
    std::function<long()> _monthlyLimit;
    std::map<std::string, std::shared_ptr<const Channel>> _channels; // by name
    std::atomic<long> _claims{0};
    std::mutex _budgetLock; // budget() and claim() together, when the pace or the quota limits them
    std::unique_ptr<Journal> _journal; // opened at the first round that has a journal folder
    std::string _journalFolder;        // the node's
    std::string _label;                // the node's name in lease owners (Journal::label)
    std::mutex _unrecordedLock;
    std::vector<Journal::Entry> _unrecorded; // answers the database did not take yet
    bool _unrecordedWritten = true;
};
} // namespace MassMailing

#endif
