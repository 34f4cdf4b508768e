#include "delivery/Dispatcher.h"
#include "content/ContentException.h"
#include "delivery/EmailChannel.h"
#include "delivery/TransportException.h"
#include <Poco/Data/DataException.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <map>
#include <set>
#include <thread>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(SendBlockedException, Poco::IllegalStateException, "Sending blocked")

namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.module.massmailing.delivery");
}

std::string idList(const std::vector<long>& ids)
{
    std::string list;
    for (long id : ids)
        list += (list.empty() ? "" : ",") + std::to_string(id);
    return list;
}

// Rows whose messages the server accepted, recorded as sent: followed by their ids, ")" and a
// condition that they are still the same lease's.
const std::string recordSent =
    "UPDATE mm_recipients SET status = 'sent', sent_at = in_flight_at, lease_owner = '', attempts = "
    "attempts + 1, detail = '' WHERE id IN (";
// The same for rows recorded in the journal (no in_flight_at): sent at the given time; also a
// row a cancel or the deadline skipped while it was on the wire (it keeps its lease owner).
// Followed by the ids, ") AND lease_owner = ?".
const std::string recordJournaledSent =
    "UPDATE mm_recipients SET status = 'sent', sent_at = COALESCE(in_flight_at, ?), reason = CASE WHEN "
    "status = 'skipped' THEN '' ELSE reason END, lease_owner = '', attempts = attempts + 1, detail = '' "
    "WHERE status IN ('leased', 'skipped') AND id IN (";
const std::string handedOverDetail = "the sending process stopped while this message was being handed "
                                     "over; it may have been delivered";

// A lease owner is NODE/PROCESS/WORKER/CLAIM (the node's name may hold slashes); PROCESS begins
// with 'j' when the process records its hand-overs in a journal, and is the journal's id.
struct Owner
{
    std::string node, process;
    bool journaled() const { return !process.empty() && process[0] == 'j'; }
};

Owner ownerOf(const std::string& owner)
{
    std::size_t claim = owner.rfind('/');
    std::size_t worker =
        claim == std::string::npos || claim == 0 ? std::string::npos : owner.rfind('/', claim - 1);
    std::size_t process =
        worker == std::string::npos || worker == 0 ? std::string::npos : owner.rfind('/', worker - 1);
    if (process == std::string::npos)
        return {};
    return {owner.substr(0, process), owner.substr(process + 1, worker - process - 1)};
}

// Statements over many rows by id, a thousand at a time.
template <class Run> void inChunks(const std::vector<long>& rows, Run run)
{
    for (std::size_t from = 0; from < rows.size(); from += 1000)
        run(std::vector<long>(rows.begin() + long(from),
                              rows.begin() + long(std::min(rows.size(), from + 1000))));
}

std::string domainOf(const std::string& address)
{
    return Poco::toLower(address.substr(address.rfind('@') + 1));
}

// Waits base, 2 base, 4 base ... between attempts, at most an hour.
Poco::Timespan backoff(int base, int attempts)
{
    return Poco::Timespan(std::min(3600, base << std::min(attempts, 6)), 0);
}

std::vector<long> ids(const std::string& sql, Poco::Data::Session& session,
                      const std::vector<std::string>& values)
{
    Poco::Data::Statement select(session);
    std::vector<Poco::Int64> found;
    select << sql, into(found);
    std::vector<std::string> copy = values;
    for (auto& value : copy)
        select, use(value);
    select.execute();
    return {found.begin(), found.end()};
}
} // namespace

Dispatcher::Dispatcher(CrmHost::Database& database, Campaigns& campaigns, Deliveries& deliveries,
                       const TestSend::Services& services, Clock clock, std::function<Settings()> settings,
                       std::function<long()> monthlyLimit)
    : _database(database), _campaigns(campaigns), _deliveries(deliveries), _suppressions(database),
      _clock(std::move(clock)), _settings(std::move(settings)), _monthlyLimit(std::move(monthlyLimit))
{
    addChannel(std::make_shared<EmailChannel>(campaigns, services));
}

void Dispatcher::addChannel(std::shared_ptr<const Channel> channel)
{
    const std::string name = channel->name();
    _channels[name] = std::move(channel);
}

const Channel& Dispatcher::channelOf(const Campaign& campaign) const
{
    auto found = _channels.find(campaign.channel);
    if (found == _channels.end())
        throw SendBlockedException("the module has no transport for the channel \"" + campaign.channel +
                                   "\"");
    return *found->second;
}

void Dispatcher::recordMessageIds(Poco::Data::Session& session,
                                  const std::vector<std::pair<long, std::string>>& ids)
{
    for (std::size_t from = 0; from < ids.size(); from += 500)
    {
        Poco::Data::Statement insert(session);
        std::string sql = "INSERT INTO mm_message_ids (recipient_id, message_id) VALUES ";
        const std::size_t end = std::min(ids.size(), from + 500);
        for (std::size_t i = from; i < end; ++i)
            sql += std::string(i == from ? "" : ", ") + "(?, ?)";
        insert << sql;
        for (std::size_t i = from; i < end; ++i)
            insert, bind(ids[i].first), bind(ids[i].second);
        insert.execute();
    }
}

bool Dispatcher::runOnce()
{
    Settings settings = _settings();
    openJournal(settings);
    recoverJournals();
    _unrecordedWritten = recordUnrecorded();
    recover();
    expire();
    startDue();
    Poco::Data::Session session = _database.session();
    bool more = false;
    std::string blocked;
    for (long campaign :
         ids("SELECT id FROM mm_campaigns WHERE status = 'sending' ORDER BY scheduled_at, id", session, {}))
    {
        try
        {
            more = sendCampaign(campaign, settings) || more;
        }
        catch (const SendBlockedException& error)
        {
            blocked += (blocked.empty() ? "" : "; ") + error.message();
        }
    }
    if (_journal)
    {
        _journal->flush(); // every answer is in the database: the file starts again
        logger().information("Journal %s: %Lu records, %Lu fdatasyncs so far", _journal->id(),
                             Poco::UInt64(_journal->records()), Poco::UInt64(_journal->fsyncs()));
    }
    if (!blocked.empty())
        throw SendBlockedException(blocked);
    // Work for now: a campaign with rows due (sendCampaign says), or starting within the minute.
    // One planned for later, or whose rows are due later (local times, the calendar), is not:
    // `task run --until-idle` returns instead of waiting for it.
    std::vector<long> waiting =
        ids("SELECT id FROM mm_campaigns WHERE status = 'scheduled' AND scheduled_at <= ?", session,
            {sqlTime(_clock() + Poco::Timespan(60, 0))});
    return more || !waiting.empty();
}

void Dispatcher::openJournal(const Settings& settings)
{
    _label = Journal::label(settings.node);
    if (_journal || settings.journalFolder.empty())
        return;
    _journalFolder = settings.journalFolder + "/" + _label;
    _journal = std::make_unique<Journal>(_journalFolder);
}

std::uint64_t Dispatcher::journalFsyncs() const
{
    return _journal ? _journal->fsyncs() : 0;
}

std::uint64_t Dispatcher::journalRecords() const
{
    return _journal ? _journal->records() : 0;
}

// The answers of a journal (or of the workers, when the database failed) in the database: each
// change only on a row still leased by the same owner (or skipped by a cancel while on the wire).
std::map<char, std::size_t> Dispatcher::applyAnswers(Poco::Data::Session& session,
                                                     const std::vector<Journal::Entry>& entries)
{
    std::map<std::pair<std::string, char>, std::vector<long>> groups; // by owner and outcome
    for (const Journal::Entry& entry : entries)
        groups[{entry.owner, entry.outcome == 0 ? Journal::inDoubt : entry.outcome}].push_back(entry.row);
    std::string at = sqlTime(_clock());
    std::map<char, std::size_t> counted;
    for (const auto& group : groups)
    {
        // Named, not a structured binding: clang 14 (the fuzz build) cannot capture those.
        std::string owner = group.first.first;
        const char outcome = group.first.second;
        const std::vector<long>& rows = group.second;
        counted[outcome] += rows.size();
        inChunks(
            rows,
            [&](const std::vector<long>& chunk)
            {
                const std::string mine = idList(chunk) + ") AND lease_owner = ?";
                const std::string leased = " WHERE status = 'leased' AND id IN (" + mine;
                std::string detail = handedOverDetail;
                switch (outcome)
                {
                case Journal::accepted:
                    session << recordJournaledSent + mine, use(at), use(owner), now;
                    break;
                case Journal::refusedForNow:
                    session << "UPDATE mm_recipients SET status = 'queued', lease_owner = ''" + leased,
                        use(owner), now;
                    break;
                case Journal::refusedForGood:
                    session << "UPDATE mm_recipients SET status = 'failed', lease_owner = '', attempts = "
                               "attempts + 1, detail = 'refused by the mail server'" +
                                   leased,
                        use(owner), now;
                    break;
                default:
                    session << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', detail = ? "
                               "WHERE status IN ('leased', 'skipped') AND id IN (" +
                                   mine,
                        use(detail), use(owner), now;
                }
            });
    }
    return counted;
}

void Dispatcher::recoverJournals()
{
    if (!_journal)
        return;
    for (Journal::Dead& dead : Journal::dead(_journalFolder))
    {
        std::vector<Journal::Entry> entries = dead.entries();
        std::set<std::pair<long, std::string>> leases;
        for (const Journal::Entry& entry : entries)
            leases.insert({entry.campaign, entry.owner});
        Poco::Data::Session session = _database.session();
        std::map<char, std::size_t> counted;
        try
        {
            session.begin();
            counted = applyAnswers(session, entries);
            // What these leases held and never handed over goes back to the queue.
            for (const auto& [campaign, owner] : leases)
            {
                long id = campaign;
                std::string leaseOwner = owner;
                session
                    << "UPDATE mm_recipients SET status = 'queued', lease_owner = '' WHERE campaign_id = ? "
                       "AND status = 'leased' AND lease_owner = ?",
                    use(id), use(leaseOwner), now;
            }
            session.commit();
        }
        catch (const Poco::Exception& error)
        {
            if (session.isTransaction())
                session.rollback();
            logger().warning("Journal %s left for the next round: %s", dead.path(), error.displayText());
            continue;
        }
        dead.remove();
        logger().information("Journal %s of a stopped process read: %z rows accepted, %z in doubt, %z "
                             "refused for now, %z refused for good",
                             dead.path(), counted[Journal::accepted], counted[Journal::inDoubt],
                             counted[Journal::refusedForNow], counted[Journal::refusedForGood]);
    }
}

void Dispatcher::recover()
{
    Poco::Data::Session session = _database.session();
    std::string current = sqlTime(_clock());
    for (long campaign :
         ids("SELECT id FROM mm_campaigns WHERE status IN ('sending', 'paused', 'cancelled', 'expired', "
             "'done')",
             session, {}))
    {
        // A worker whose every row's lease ran out died (or hung past its lease). Its rows are
        // found by a plain read, then changed by primary key: an UPDATE over the campaign's
        // leased rows locked those of live senders too, and deadlocked with them on MariaDB.
        // A round that loses a deadlock all the same recovers at the next one.
        try
        {
            std::vector<std::string> owners;
            session << "SELECT lease_owner FROM mm_recipients WHERE campaign_id = ? AND status = 'leased' "
                       "GROUP BY lease_owner HAVING MAX(lease_until) < ?",
                use(campaign), use(current), into(owners), now;
            for (const std::string& owner : owners)
                recoverLease(session, campaign, owner, current);
        }
        catch (const Poco::Data::DataException& error)
        {
            if (session.isTransaction())
                session.rollback();
            logger().information("Campaign %ld: recovery left for the next round: %s", campaign,
                                 error.displayText());
        }
    }
}

void Dispatcher::recoverLease(Poco::Data::Session& session, long campaign, const std::string& owner,
                              const std::string& current)
{
    const std::string rows = "SELECT id FROM mm_recipients WHERE campaign_id = ? AND status = 'leased' AND "
                             "lease_owner = ? AND in_flight_at IS ";
    const std::string campaignId = std::to_string(campaign);
    const Owner parts = ownerOf(owner);
    if (parts.journaled())
    {
        std::string leaseOwner = owner, at = current;
        long id = campaign;
        const std::string stillDead =
            " WHERE campaign_id = ? AND status = 'leased' AND lease_owner = ? AND lease_until < ?";
        if (_journal && parts.node == _label)
        {
            // This node's: its journal says what was handed over. A process alive (its journal
            // held) gives its rows back itself; a dead one's journal is read first (recoverJournals).
            // This process's own lease ran out: no worker hands anything of it over after half
            // its time, and the answers of what went are written (or the round waits for them).
            bool own = parts.process == _journal->id();
            if (own ? !_unrecordedWritten : Journal::exists(_journalFolder, parts.process))
                return;
            // The journal was read, or never had a record of this lease: nothing of it went out.
            session << "UPDATE mm_recipients SET status = 'queued', lease_owner = ''" + stillDead, use(id),
                use(leaseOwner), use(at), now;
            return;
        }
        // Another node's, which did not come back: its journal is out of reach, and any row
        // of its lease may have been handed over. In doubt, never sent again by itself.
        std::string detail = "the node " + parts.node +
                             " that was sending it stopped and did not come back; it may have been "
                             "delivered";
        Poco::Data::Statement doubt(session);
        doubt << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', detail = ?" + stillDead,
            use(detail), use(id), use(leaseOwner), use(at);
        std::size_t changed = doubt.execute();
        logger().warning("Campaign %ld: %z rows of %s, whose lease ran out, are in doubt (its journal is not "
                         "here)",
                         campaign, changed, owner);
        return;
    }
    {
        // The rows of a batching transport's call (reconcile = 1) went together: any may have been
        // accepted, all are in doubt (and reconciled).
        std::string leaseOwner = owner, at = current, detail = handedOverDetail;
        long id = campaign;
        session
            << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', detail = ? "
               "WHERE campaign_id = ? AND status = 'leased' AND lease_owner = ? AND in_flight_at IS NOT NULL "
               "AND reconcile = 1 AND lease_until < ?",
            use(detail), use(id), use(leaseOwner), use(at), now;
    }
    std::vector<long> waiting = ids(rows + "NULL", session, {campaignId, owner});
    std::vector<long> handed = ids(rows + "NOT NULL ORDER BY id", session, {campaignId, owner});
    const std::string stillDead = ") AND status = 'leased' AND lease_owner = ? AND lease_until < ?";
    std::string leaseOwner = owner, at = current;
    session.begin();
    if (!waiting.empty())
        session << "UPDATE mm_recipients SET status = 'queued', lease_owner = '' WHERE id IN (" +
                       idList(waiting) + stillDead,
            use(leaseOwner), use(at), now;
    if (!handed.empty())
    {
        // Each message went out only once the one before it was answered: all but the last
        // were accepted. The last may have been: never sent again by itself.
        long last = handed.back();
        handed.pop_back();
        session << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', detail = 'the sending "
                   "process stopped while this message was being handed over; it may have been "
                   "delivered' WHERE id IN (" +
                       std::to_string(last) + stillDead,
            use(leaseOwner), use(at), now;
        if (!handed.empty())
            session << recordSent + idList(handed) + stillDead, use(leaseOwner), use(at), now;
    }
    session.commit();
}

void Dispatcher::startDue()
{
    Poco::Data::Session session = _database.session();
    std::string current = sqlTime(_clock());
    session
        << "UPDATE mm_campaigns SET status = 'sending', started_at = COALESCE(started_at, ?) WHERE status = "
           "'scheduled' AND scheduled_at <= ?",
        use(current), use(current), now;
}

void Dispatcher::expire()
{
    Poco::Data::Session session = _database.session();
    std::string current = sqlTime(_clock());
    for (long campaign :
         ids("SELECT id FROM mm_campaigns WHERE status IN ('scheduled', 'sending', 'paused') AND "
             "deadline_at IS NOT NULL AND deadline_at < ?",
             session, {current}))
    {
        session << "UPDATE mm_campaigns SET status = 'expired', finished_at = ? WHERE id = ?", use(current),
            use(campaign), now;
        session << "UPDATE mm_recipients SET status = 'skipped', reason = 'deadline', detail = 'the delivery "
                   "deadline "
                   "passed before it was sent' WHERE campaign_id = ? AND " +
                       waitingToSend,
            use(campaign), now;
    }
}

std::optional<long> Dispatcher::budget(Poco::Data::Session& session, long campaignId, long limit)
{
    Poco::Int64 perHour = 0, group = 0;
    session << "SELECT max_per_hour, group_id FROM mm_campaigns WHERE id = ?", use(campaignId), into(perHour),
        into(group), now;
    // The monthly quota (D4) counts what was sent this month and what is being sent now.
    std::optional<long> quota;
    if (limit > 0)
    {
        Poco::Int64 busy = 0;
        session << "SELECT COUNT(*) FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id WHERE "
                   "c.group_id = ? AND r.status = 'leased'",
            use(group), into(busy), now;
        quota = limit - _deliveries.sentThisMonth(long(group)) - long(busy);
    }
    if (perHour <= 0)
        return quota;
    std::string hourAgo = sqlTime(_clock() - Poco::Timespan(0, 1, 0, 0, 0));
    Poco::Int64 recent = 0;
    session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND ((" + wentOut +
                   " AND sent_at > ?) OR status = 'leased')",
        use(campaignId), use(hourAgo), into(recent), now;
    long pace = long(perHour - recent);
    return quota ? std::min(pace, *quota) : pace;
}

bool Dispatcher::sendCampaign(long campaignId, const Settings& settings)
{
    auto campaign = _campaigns.find(campaignId);
    if (!campaign)
        return false;
    long limit = _monthlyLimit();
    // Checked before and after the round: the quota may be reached while the campaign sends.
    auto quotaReached = [&]
    {
        if (limit <= 0 || _deliveries.sentThisMonth(campaign->groupId) < limit)
            return false;
        try
        {
            _deliveries.pause(campaignId,
                              "the monthly quota of " + std::to_string(limit) + " messages is reached");
        }
        catch (const StateException&)
        {
            // paused or cancelled by a user meanwhile
        }
        return true;
    };
    if (quotaReached())
        return false;
    {
        // Outside its calendar (D12) a campaign waits, sending nothing; not work for now.
        Poco::Data::Session session = _database.session();
        if (!_deliveries.inCalendar(session, campaignId))
            return false;
    }
    // Rows whose call's answer was lost are asked about before anything else of it goes.
    if (!reconcile(*campaign, settings))
        return true;
    std::vector<std::thread> workers;
    std::atomic<bool> more{false};
    std::mutex blockedLock;
    std::string blocked;
    for (int i = 0; i < std::max(1, settings.workers); ++i)
        workers.emplace_back(
            [&, i]
            {
                try
                {
                    if (work(*campaign, settings, i))
                        more = true;
                }
                catch (const SendBlockedException& error)
                {
                    std::lock_guard<std::mutex> lock(blockedLock);
                    blocked = error.message();
                }
                catch (const Poco::Exception& error)
                {
                    logger().error("Campaign %ld, worker %d: %s", campaignId, i, error.displayText());
                    more = true;
                }
            });
    for (auto& worker : workers)
        worker.join();
    // Every round would fail the same way: the campaign waits, paused, for someone to fix it.
    if (!blocked.empty())
    {
        std::string reason = "nothing can be sent: " + blocked + ". Fix the module's settings, then resume.";
        try
        {
            _deliveries.pause(campaignId, reason);
        }
        catch (const StateException&)
        {
            // paused or cancelled by a user meanwhile
        }
        logger().error("Campaign %ld paused: %s", campaignId, reason);
        throw SendBlockedException("campaign " + std::to_string(campaignId) + " paused: " + reason);
    }

    // Done when nothing is left to send by anyone.
    Poco::Data::Session session = _database.session();
    Poco::Int64 left = 0;
    session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND (status IN ('queued', 'leased') "
               "OR (status = 'in_doubt' AND reconcile = 1))",
        use(campaignId), into(left), now;
    if (left == 0)
    {
        std::string current = sqlTime(_clock());
        session
            << "UPDATE mm_campaigns SET status = 'done', finished_at = ? WHERE id = ? AND status = 'sending'",
            use(current), use(campaignId), now;
        return false;
    }
    if (quotaReached())
        return false;
    // Rows due within the minute (a first retry) are work for now, not those due later (a
    // recipient's local time, a later retry), as a campaign starting within the minute is.
    std::string soon = sqlTime(_clock() + Poco::Timespan(60, 0));
    Poco::Int64 due = 0;
    session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND (status = 'leased' OR (status = "
               "'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)))",
        use(campaignId), use(soon), into(due), now;
    return more || due > 0;
}

std::vector<Dispatcher::Row> Dispatcher::claim(Poco::Data::Session& session, long campaignId, long limit,
                                               const std::string& owner, const Settings& settings)
{
    std::string current = sqlTime(_clock());
    std::string until = sqlTime(_clock() + Poco::Timespan(settings.leaseSeconds, 0));
    std::string leaseOwner = owner;
    // Due retries first (by when they fell due), then fresh rows in order. Each walks the queue
    // index (campaign_id, status, next_attempt_at, id) from the first queued row; ORDER BY id
    // over both made MariaDB walk the primary key from the campaign's first row, sent rows
    // included, and lock them: a claim that grew with the campaign.
    const std::string retries =
        "campaign_id = ? AND status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ";
    const std::string fresh =
        "campaign_id = ? AND status = 'queued' AND next_attempt_at IS NULL ORDER BY id LIMIT ";
    const std::string campaign = std::to_string(campaignId);
    const std::string columns =
        "SELECT id, kind, recipient_id, email, first_name, last_name, company, locale, attempts FROM "
        "mm_recipients WHERE ";
    std::vector<Row> rows;
    auto read = [&rows](Poco::Data::Statement& select)
    {
        Poco::Data::RecordSet set(select);
        for (std::size_t r = 0; r < set.rowCount(); ++r)
        {
            auto text = [&](std::size_t c) { return set.value(c, r).convert<std::string>(); };
            const long rowId = long(set.value(0, r).convert<Poco::Int64>());
            rows.push_back({rowId,
                            Recipient{text(1), long(set.value(2, r).convert<Poco::Int64>()), text(3), text(4),
                                      text(5), text(6), text(7), rowId},
                            set.value(8, r).convert<int>()});
        }
    };
    if (_database.dialect() == CrmHost::Dialect::MySQL)
    {
        // Rows another host has locked are skipped, not waited for. READ COMMITTED: the claim
        // locks the rows it takes and not the gaps beside them, where concurrent claims moving
        // rows out of the queue index deadlocked (REPEATABLE READ's next-key locks). The rows
        // are read whole by the locking SELECTs (read back by owner, MariaDB walked the whole
        // campaign in the index (campaign_id, status) for every claim). The transaction is the
        // server's own (START TRANSACTION ... COMMIT): Poco's begin() and commit() cost a SET
        // autocommit each, and leave it off on the worker's session.
        for (int attempt = 1;; ++attempt)
        {
            rows.clear();
            try
            {
                session << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
                session << "START TRANSACTION", now;
                Poco::Data::Statement due(session);
                std::string id = campaign, at = current;
                due << columns + retries + std::to_string(limit) + " FOR UPDATE SKIP LOCKED", use(id),
                    use(at), now;
                read(due);
                if (long(rows.size()) < limit)
                {
                    Poco::Data::Statement queued(session);
                    queued << columns + fresh + std::to_string(limit - long(rows.size())) +
                                  " FOR UPDATE SKIP LOCKED",
                        use(id), now;
                    read(queued);
                }
                if (rows.empty())
                {
                    session << "COMMIT", now;
                    return {};
                }
                std::vector<long> found;
                for (const Row& row : rows)
                    found.push_back(row.id);
                session << "UPDATE mm_recipients SET status = 'leased', lease_owner = ?, lease_until = ?, "
                           "in_flight_at = NULL "
                           "WHERE id IN (" +
                               idList(found) + ")",
                    use(leaseOwner), use(until), now;
                session << "COMMIT", now;
                break;
            }
            catch (const Poco::Data::DataException& error)
            {
                // A deadlock rolled the claim back: nothing was taken, try again.
                try
                {
                    session << "ROLLBACK", now;
                }
                catch (const Poco::Exception&)
                {
                    // the connection is gone: so is its transaction
                }
                if (attempt == 3)
                    throw;
                logger().information("Campaign %ld: claim retried after %s", campaignId, error.displayText());
            }
        }
        std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
        return rows;
    }
    // SQLite has one writer at a time: an UPDATE is the claim.
    const std::string lease = "UPDATE mm_recipients SET status = 'leased', lease_owner = ?, "
                              "lease_until = ?, in_flight_at = NULL WHERE id IN (SELECT id FROM "
                              "mm_recipients WHERE ";
    Poco::Data::Statement due(session);
    due << lease + retries + std::to_string(limit) + ")", use(leaseOwner), use(until), use(campaignId),
        use(current);
    long leased = long(due.execute());
    if (leased < limit)
        session << lease + fresh + std::to_string(limit - leased) + ")", use(leaseOwner), use(until),
            use(campaignId), now;
    Poco::Data::Statement select(session);
    select << columns + "campaign_id = ? AND status = 'leased' AND lease_owner = ? ORDER BY id",
        use(campaignId), use(leaseOwner), now;
    read(select);
    return rows;
}

std::vector<Dispatcher::Row> Dispatcher::skipSuppressed(const Campaign& campaign, std::vector<Row> rows,
                                                        const std::string& owner)
{
    std::vector<std::string> addresses;
    for (const Row& row : rows)
        addresses.push_back(row.recipient.email);
    const std::map<std::string, std::string> reasons = _suppressions.reasons(campaign.groupId, addresses);
    if (reasons.empty())
        return rows;
    std::map<std::string, std::vector<long>> skipped; // by reason
    std::vector<Row> kept;
    for (Row& row : rows)
    {
        auto found = reasons.find(row.recipient.email);
        if (found == reasons.end())
            kept.push_back(std::move(row));
        else
            skipped[found->second].push_back(row.id);
    }
    Poco::Data::Session session = _database.session();
    std::string leaseOwner = owner;
    for (const auto& [reason, rowIds] : skipped)
    {
        std::string why = reason, detail = reason + " since the audience was set: not sent";
        session << "UPDATE mm_recipients SET status = 'skipped', reason = ?, detail = ?, lease_owner = '' "
                   "WHERE id IN (" +
                       idList(rowIds) + ") AND status = 'leased' AND lease_owner = ?",
            use(why), use(detail), use(leaseOwner), now;
        logger().information("Campaign %ld: %z rows skipped, %s since the audience was set", campaign.id,
                             rowIds.size(), reason);
    }
    return kept;
}

void Dispatcher::release(const std::vector<Row>& rows, std::size_t from)
{
    std::vector<long> left;
    for (std::size_t i = from; i < rows.size(); ++i)
        left.push_back(rows[i].id);
    if (left.empty())
        return;
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_recipients SET status = 'queued', lease_owner = '' WHERE status = 'leased' AND id "
               "IN (" +
                   idList(left) + ")",
        now;
}

bool Dispatcher::pauseForFailures(long campaignId, const std::vector<Row>& rows, std::size_t from, int count,
                                  const std::string& detail)
{
    release(rows, from);
    try
    {
        _deliveries.pause(campaignId, std::to_string(count) +
                                          " messages in a row were refused with the same answer, the last: " +
                                          detail + ". Check the mail server or the list, then resume.");
    }
    catch (const StateException&)
    {
        // Paused or cancelled meanwhile by someone else: their word stands.
    }
    return false;
}

std::unique_ptr<Transport> Dispatcher::openTransport(const Channel& channel) const
{
    try
    {
        return channel.transport();
    }
    catch (const Poco::Exception& error)
    {
        throw SendBlockedException("the transport cannot be made: " + error.displayText());
    }
}

bool Dispatcher::work(const Campaign& found, const Settings& settings, int worker)
{
    const Campaign* const campaign = &found;
    const long campaignId = found.id;
    const Channel& channel = channelOf(found);
    std::unique_ptr<ChannelMessages> made;
    try
    {
        made = channel.messages(*campaign); // email: reads the DKIM key
    }
    catch (const Poco::Exception& error)
    {
        throw SendBlockedException(error.displayText());
    }
    ChannelMessages& messages = *made;
    std::unique_ptr<Transport> transport = openTransport(channel);
    Poco::Data::Session session = _database.session();
    // In flight before the first byte: the row keeps its lease and gets the time it was handed
    // over, a change to no index, prepared once per worker (a new Poco Statement is prepared
    // anew on MySQL). The server's 250s are recorded per batch: should this process die
    // meanwhile, each row handed over before the last was accepted (the next went out only
    // after its answer), and recovery takes them for sent and the last for in doubt. One
    // commit per message, at most one in doubt per connection.
    struct Mark
    {
        long id = 0;
        std::string at, until, owner;
    } mark;
    Poco::Data::Statement markInFlight(session);
    markInFlight << "UPDATE mm_recipients SET in_flight_at = ?, lease_until = ? WHERE id = ? AND status = "
                    "'leased' AND lease_owner = ?",
        use(mark.at), use(mark.until), use(mark.id), use(mark.owner);
    struct FailureRun
    {
        std::string kind; /// The reply code, or the error's message.
        int count = 0;
    } failures;
    Poco::Timestamp started, checked;
    const Poco::Timestamp::TimeDiff slice =
        Poco::Timestamp::TimeDiff(settings.roundSeconds) * Poco::Timestamp::resolution();

    // The quota as the round found it (a setting read from the database each time it is asked).
    const long monthlyLimit = _monthlyLimit();
    long seen = _deliveries.changes();
    bool first = true;
    while (started.elapsed() < slice)
    {
        // Paused or cancelled (in this process, or within a second elsewhere): stop.
        if (first || _deliveries.changes() != seen || checked.isElapsed(Poco::Timestamp::resolution()))
        {
            first = false;
            seen = _deliveries.changes();
            checked.update();
            if (_deliveries.status(session, campaignId) != "sending")
                return false;
        }
        // A limited budget is spent under a lock: two workers must not both claim the same budget.
        std::unique_lock<std::mutex> limited(_budgetLock);
        std::optional<long> allowed = budget(session, campaignId, monthlyLimit);
        if (allowed && *allowed <= 0)
            return true; // the pace allows no more this hour, or the quota no more this month
        if (!allowed)
            limited.unlock();
        long limit = allowed ? std::min<long>(settings.batch, *allowed) : settings.batch;
        std::string owner = (_journal ? _label + "/" + _journal->id()
                                      : settings.node + "/" + std::to_string(Poco::Process::id())) +
                            "/" + std::to_string(worker) + "/" + std::to_string(++_claims);
        const Poco::DateTime claimedAt = _clock();
        const Poco::Timestamp claimedNow;
        std::vector<Row> rows = claim(session, campaignId, limit, owner, settings);
        if (rows.empty())
            return false;
        if (limited.owns_lock())
        {
            // Another host may have claimed from the same budget at the same moment: what is
            // over it goes back to the queue (both may give back, neither goes over), and we try again.
            std::optional<long> left = budget(session, campaignId, monthlyLimit);
            std::size_t excess = std::min<std::size_t>(rows.size(), std::max(0L, left ? -*left : 0L));
            if (excess > 0)
            {
                release(rows, rows.size() - excess);
                rows.resize(rows.size() - excess);
            }
            limited.unlock();
            if (rows.empty())
                continue;
        }
        // Who unsubscribed (or bounced) since the audience was resolved is not sent it (X1).
        rows = skipSuppressed(*campaign, std::move(rows), owner);
        if (rows.empty())
            continue;
        // Domains whose server said "slow down", and until when.
        std::map<std::string, std::string> slowDomains;
        // The messages the server accepted whose rows are not yet marked sent, recorded at the
        // end of the batch, or before leaving it early.
        std::vector<long> accepted;
        std::vector<std::pair<long, std::string>> messageIds; // the transport's, of accepted rows
        // With a journal: the rows handed over whose status is not in the database yet, and
        // their answer (0: none yet). Should the database fail, they are kept for the next round.
        std::map<long, char> unsettled;
        Poco::Timestamp recorded;
        auto record = [&]
        {
            recorded.update();
            if (!messageIds.empty())
            {
                recordMessageIds(session, messageIds);
                messageIds.clear();
            }
            if (accepted.empty())
                return;
            if (_journal)
            {
                std::string at = sqlTime(_clock());
                session << recordJournaledSent + idList(accepted) + ") AND lease_owner = ?", use(at),
                    use(owner), now;
                for (long id : accepted)
                    unsettled.erase(id);
                _journal->settled(accepted.size());
            }
            else
                session << recordSent + idList(accepted) + ") AND status = 'leased' AND lease_owner = ?",
                    use(owner), now;
            accepted.clear();
        };
        // A row's answer written to the database by the worker itself.
        auto settle = [&](long id)
        {
            if (_journal && unsettled.erase(id))
                _journal->settled(1);
        };
        // Half the lease at most for a batch: another node takes a lease only once it ran out,
        // and nothing of it is handed over after.
        auto leaseRunningOut = [&]
        {
            const Poco::Timestamp::TimeDiff half =
                Poco::Timestamp::TimeDiff(settings.leaseSeconds) * Poco::Timestamp::resolution() / 2;
            return claimedNow.isElapsed(half) || (_clock() - claimedAt).totalMicroseconds() >= half;
        };
        // A transport that takes several messages a call (Mailjet) sends the batch its own way.
        if (transport->batchSize() > 1)
        {
            std::optional<bool> stop =
                sendBatches(*campaign, messages, transport, session, rows, owner, settings, leaseRunningOut);
            if (stop)
                return *stop;
            continue;
        }
        // A new connection. When none can be made, what was accepted is recorded and the rest
        // of the batch goes back to the queue before the round ends.
        auto reconnect = [&](std::size_t next)
        {
            try
            {
                transport = openTransport(channel);
            }
            catch (const SendBlockedException&)
            {
                record();
                release(rows, next);
                throw;
            }
        };

        try
        {
            for (std::size_t i = 0; i < rows.size(); ++i)
            {
                // A domain whose server asked us to slow down waits, with the rest of its rows.
                auto slow = slowDomains.find(domainOf(rows[i].recipient.email));
                if (slow != slowDomains.end())
                {
                    session << "UPDATE mm_recipients SET status = 'queued', lease_owner = '', "
                               "next_attempt_at = ? "
                               "WHERE id = ? AND status = 'leased'",
                        use(slow->second), use(rows[i].id), now;
                    continue;
                }
                // Paused or cancelled meanwhile (in this process, or within a second elsewhere): the
                // rest of the batch goes back to the queue instead of going out after the pause.
                if (i > 0 &&
                    (_deliveries.changes() != seen || checked.isElapsed(Poco::Timestamp::resolution())))
                {
                    seen = _deliveries.changes();
                    checked.update();
                    if (_deliveries.status(session, campaignId) != "sending")
                    {
                        release(rows, i);
                        first = true; // the round stops at the top of the loop
                        break;
                    }
                }
                const Row& row = rows[i];
                long rowId = row.id;
                Handover handover;
                try
                {
                    handover = messages.write(row.recipient);
                }
                catch (const Poco::Exception& error)
                {
                    std::string detail = error.message();
                    session << "UPDATE mm_recipients SET status = 'failed', detail = ? WHERE id = ?",
                        use(detail), use(rowId), now;
                    continue;
                }
                // In flight before the first byte: after a crash this row is in doubt, not sent twice.
                // Meanwhile the server answers the envelope: no message is complete, nor can be
                // accepted, before its bytes follow in send().
                const Envelope& envelope = handover.envelope;
                const std::string& bytes = handover.bytes;
                transport->prepare(envelope, bytes);
                Poco::DateTime current = _clock();
                if (_journal)
                {
                    // Recorded in the journal, durable, before the first byte of the message.
                    if (leaseRunningOut())
                    {
                        transport->abandon();
                        release(rows, i); // a fresh claim, with a fresh lease
                        break;
                    }
                    try
                    {
                        _journal->handedOver(rowId, campaignId, owner);
                    }
                    catch (const Poco::Exception&)
                    {
                        transport->abandon();
                        release(rows, i);
                        throw; // nothing goes out that the journal does not know of
                    }
                    unsettled[rowId] = 0;
                }
                else
                {
                    mark.id = rowId;
                    mark.at = sqlTime(current);
                    mark.until = sqlTime(current + Poco::Timespan(settings.leaseSeconds, 0));
                    mark.owner = owner;
                    // A lease that ran out while this batch waited: another worker took the row again.
                    bool taken = markInFlight.execute() == 1;
                    if (!taken)
                    {
                        transport->abandon();
                        continue;
                    }
                }
                auto answer = [&](char outcome)
                {
                    if (_journal)
                    {
                        _journal->answered(rowId, outcome);
                        unsettled[rowId] = outcome;
                    }
                };
                try
                {
                    try
                    {
                        transport->send(envelope, bytes);
                    }
                    catch (const TransportException&)
                    {
                        throw;
                    }
                    catch (...)
                    {
                        answer(Journal::inDoubt); // whatever it was, the bytes may have gone
                        throw;
                    }
                    answer(Journal::accepted);
                    accepted.push_back(rowId);
                    std::string messageId = transport->messageId();
                    if (!messageId.empty())
                        messageIds.emplace_back(rowId, std::move(messageId));
                    failures = FailureRun();
                    // The answers reach the database every half second at least.
                    if (_journal && recorded.isElapsed(Poco::Timestamp::resolution() / 2))
                        record();
                }
                catch (const TransportException& error)
                {
                    std::string detail = (error.replyCode() ? std::to_string(error.replyCode()) + " " : "") +
                                         (error.serverText().empty() ? error.message() : error.serverText());
                    bool connection = error.stage() == TransportException::Stage::Connect ||
                                      error.stage() == TransportException::Stage::Tls ||
                                      error.stage() == TransportException::Stage::Authentication;
                    answer(error.inDoubt()                    ? Journal::inDoubt
                           : !connection && error.permanent() ? Journal::refusedForGood
                                                              : Journal::refusedForNow);
                    if (error.inDoubt())
                    {
                        session
                            << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', detail = ? "
                               "WHERE id = ?",
                            use(detail), use(rowId), now;
                        settle(rowId);
                        reconnect(i + 1);
                        continue;
                    }
                    if (connection)
                    {
                        // The server never saw the message: nothing counts against the recipient,
                        // the campaign waits for the server (or pauses when it refuses us for good).
                        std::string next = sqlTime(_clock() + Poco::Timespan(settings.retrySeconds, 0));
                        session << "UPDATE mm_recipients SET status = 'queued', lease_owner = '', "
                                   "next_attempt_at = ?, "
                                   "detail = ? WHERE id = ?",
                            use(next), use(detail), use(rowId), now;
                        settle(rowId);
                        release(rows, i + 1);
                        record();
                        if (error.permanent())
                            _deliveries.pause(campaignId, "the mail server refused us: " + detail);
                        else
                            logger().warning("Campaign %ld waits for the mail server: %s", campaignId,
                                             detail);
                        return true;
                    }
                    // The same refusal again and again is the server's problem, or the list's: pause
                    // and say why, rather than fail everybody.
                    std::string kind =
                        error.replyCode() ? std::to_string(error.replyCode()) : error.message();
                    failures.count = failures.kind == kind ? failures.count + 1 : 1;
                    failures.kind = kind;
                    bool repeated =
                        settings.pauseAfterFailures > 0 && failures.count >= settings.pauseAfterFailures;
                    if (error.permanent())
                    {
                        session << "UPDATE mm_recipients SET status = 'failed', lease_owner = '', attempts = "
                                   "attempts + 1, "
                                   "detail = ? WHERE id = ?",
                            use(detail), use(rowId), now;
                        settle(rowId);
                        if (repeated)
                        {
                            record();
                            return pauseForFailures(campaignId, rows, i + 1, failures.count, detail);
                        }
                        continue;
                    }
                    // A temporary refusal of this message (4xx): later, with a growing wait.
                    std::string next = sqlTime(_clock() + backoff(settings.retrySeconds, row.attempts));
                    int maxAttempts = settings.maxAttempts;
                    session
                        << "UPDATE mm_recipients SET status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE "
                           "'queued' "
                           "END, lease_owner = '', attempts = attempts + 1, next_attempt_at = ?, detail = ? "
                           "WHERE id = ?",
                        use(maxAttempts), use(next), use(detail), use(rowId), now;
                    settle(rowId);
                    if (error.asksToSlowDown())
                    {
                        // The domain's other queued rows wait as long, without an attempt counted.
                        std::string domain = domainOf(row.recipient.email), pattern = "%@" + domain;
                        long id = campaignId;
                        slowDomains[domain] = next;
                        session << "UPDATE mm_recipients SET next_attempt_at = ? WHERE campaign_id = ? AND "
                                   "status = "
                                   "'queued' AND email LIKE ? AND (next_attempt_at IS NULL OR "
                                   "next_attempt_at < ?)",
                            use(next), use(id), use(pattern), use(next), now;
                        logger().warning("Campaign %ld: the server asks to slow down for %s until %s: %s",
                                         campaignId, domain, next, detail);
                    }
                    else if (repeated)
                    {
                        record();
                        return pauseForFailures(campaignId, rows, i + 1, failures.count, detail);
                    }
                    reconnect(i + 1); // a fresh connection after a refused message
                }
            }
            record();
        }
        catch (...)
        {
            // The database (or the journal) failed: the answers not written are kept, written
            // at the next round before anything else (they are in the journal meanwhile).
            keepUnrecorded(campaignId, owner, unsettled);
            throw;
        }
    }
    return true;
}

std::optional<bool> Dispatcher::sendBatches(const Campaign& campaign, ChannelMessages& messages,
                                            std::unique_ptr<Transport>& transport,
                                            Poco::Data::Session& session, const std::vector<Row>& rows,
                                            const std::string& owner, const Settings& settings,
                                            const std::function<bool()>& leaseRunningOut)
{
    const long campaignId = campaign.id;
    const std::size_t size = transport->batchSize();
    std::string leaseOwner = owner;
    for (std::size_t from = 0; from < rows.size(); from += size)
    {
        const std::size_t to = std::min(rows.size(), from + size);
        // Paused or cancelled meanwhile: the rest goes back to the queue.
        if (from > 0 && _deliveries.status(session, campaignId) != "sending")
        {
            release(rows, from);
            return false;
        }
        if (_journal && leaseRunningOut())
        {
            release(rows, from); // a fresh claim, with a fresh lease
            return std::nullopt;
        }
        std::vector<Transport::Parcel> parcels;
        std::map<long, int> attempts;
        for (std::size_t i = from; i < to; ++i)
        {
            long rowId = rows[i].id;
            attempts[rowId] = rows[i].attempts;
            try
            {
                Handover handover = messages.write(rows[i].recipient);
                parcels.push_back(
                    {campaignId, rowId, std::move(handover.envelope), std::move(handover.bytes)});
            }
            catch (const Poco::Exception& error)
            {
                std::string detail = error.message();
                session << "UPDATE mm_recipients SET status = 'failed', lease_owner = '', detail = ? WHERE "
                           "id = ?",
                    use(detail), use(rowId), now;
            }
        }
        if (parcels.empty())
            continue;
        std::vector<long> handed;
        for (const Transport::Parcel& parcel : parcels)
            handed.push_back(parcel.row);
        // Handed over before the call, reconcilable by their ids: in the journal (one fdatasync),
        // else in flight in the database.
        if (_journal)
        {
            session << "UPDATE mm_recipients SET reconcile = 1 WHERE id IN (" + idList(handed) + ")", now;
            try
            {
                _journal->handedOver(handed, campaignId, owner);
            }
            catch (const Poco::Exception&)
            {
                release(rows, from);
                throw; // nothing goes out that the journal does not know of
            }
        }
        else
        {
            std::string at = sqlTime(_clock()),
                        until = sqlTime(_clock() + Poco::Timespan(settings.leaseSeconds, 0));
            session
                << "UPDATE mm_recipients SET reconcile = 1, in_flight_at = ?, lease_until = ? WHERE id IN (" +
                       idList(handed) + ") AND status = 'leased' AND lease_owner = ?",
                use(at), use(until), use(leaseOwner), now;
            // A lease that ran out while this batch waited: another worker took those rows again.
            std::vector<Poco::Int64> mine;
            session << "SELECT id FROM mm_recipients WHERE id IN (" + idList(handed) +
                           ") AND status = 'leased' AND lease_owner = ?",
                use(leaseOwner), into(mine), now;
            const std::set<long> kept(mine.begin(), mine.end());
            parcels.erase(std::remove_if(parcels.begin(), parcels.end(),
                                         [&](const Transport::Parcel& parcel)
                                         { return !kept.count(parcel.row); }),
                          parcels.end());
            handed.assign(kept.begin(), kept.end());
            if (parcels.empty())
                continue;
        }
        std::map<long, char> outcomes; // the journal's answers, kept should the database fail
        try
        {
            std::vector<Transport::Answer> answers;
            try
            {
                answers = transport->sendBatch(parcels);
            }
            catch (const TransportException& error)
            {
                std::string detail = (error.replyCode() ? std::to_string(error.replyCode()) + " " : "") +
                                     (error.serverText().empty() ? error.message() : error.serverText());
                std::string next = sqlTime(_clock() + Poco::Timespan(settings.retrySeconds, 0));
                if (error.inDoubt())
                {
                    // Any of them may have been accepted: asked about (reconciled) before anything
                    // else of the campaign goes, once the service had the time to know them.
                    for (long row : handed)
                        outcomes[row] = Journal::inDoubt;
                    if (_journal)
                        for (long row : handed)
                            _journal->answered(row, Journal::inDoubt);
                    std::string why = "the answer to the call was lost (" + detail +
                                      "); asked about before anything else of the campaign is sent";
                    session << "UPDATE mm_recipients SET status = 'in_doubt', lease_owner = '', "
                               "next_attempt_at = ?, "
                               "detail = ? WHERE id IN (" +
                                   idList(handed) + ") AND status = 'leased'",
                        use(next), use(why), now;
                    if (_journal)
                        _journal->settled(handed.size());
                    logger().warning("Campaign %ld: %z rows in doubt, to be reconciled: %s", campaignId,
                                     handed.size(), detail);
                    release(rows, to);
                    return true;
                }
                const bool connection = error.stage() == TransportException::Stage::Connect ||
                                        error.stage() == TransportException::Stage::Tls ||
                                        error.stage() == TransportException::Stage::Authentication;
                if (connection)
                {
                    // The service took none of them: nothing counts against the recipients; the
                    // campaign waits for it (or pauses when it refuses us for good).
                    if (_journal)
                        for (long row : handed)
                            _journal->answered(row, Journal::refusedForNow);
                    session << "UPDATE mm_recipients SET status = 'queued', lease_owner = '', reconcile = 0, "
                               "next_attempt_at = ?, detail = ? WHERE id IN (" +
                                   idList(handed) + ") AND status = 'leased'",
                        use(next), use(detail), now;
                    if (_journal)
                        _journal->settled(handed.size());
                    release(rows, to);
                    if (error.permanent())
                        _deliveries.pause(campaignId, "the sending service refused us: " + detail);
                    else
                        logger().warning("Campaign %ld waits for the sending service: %s", campaignId,
                                         detail);
                    return true;
                }
                // The call as a whole was refused: each of its messages with that answer.
                answers.assign(parcels.size(),
                               Transport::Answer{std::make_shared<TransportException>(error)});
            }
            std::vector<long> accepted;
            for (std::size_t k = 0; k < parcels.size(); ++k)
                outcomes[parcels[k].row] = answers[k].accepted()             ? Journal::accepted
                                           : answers[k].refusal->permanent() ? Journal::refusedForGood
                                                                             : Journal::refusedForNow;
            if (_journal)
                for (const auto& [row, outcome] : outcomes)
                    _journal->answered(row, outcome);
            for (std::size_t k = 0; k < parcels.size(); ++k)
            {
                long rowId = parcels[k].row;
                if (answers[k].accepted())
                {
                    accepted.push_back(rowId);
                    continue;
                }
                const TransportException& refusal = *answers[k].refusal;
                std::string detail = refusal.serverText().empty() ? refusal.message() : refusal.serverText();
                if (refusal.permanent())
                    session << "UPDATE mm_recipients SET status = 'failed', lease_owner = '', reconcile = 0, "
                               "attempts = attempts + 1, detail = ? WHERE id = ?",
                        use(detail), use(rowId), now;
                else
                {
                    const int tried = attempts[rowId];
                    std::string next = sqlTime(_clock() + backoff(settings.retrySeconds, tried));
                    int maxAttempts = settings.maxAttempts;
                    session
                        << "UPDATE mm_recipients SET status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE "
                           "'queued' END, lease_owner = '', reconcile = 0, attempts = attempts + 1, "
                           "next_attempt_at = ?, detail = ? WHERE id = ?",
                        use(maxAttempts), use(next), use(detail), use(rowId), now;
                }
            }
            if (!accepted.empty())
            {
                if (_journal)
                {
                    std::string at = sqlTime(_clock());
                    session << recordJournaledSent + idList(accepted) + ") AND lease_owner = ?", use(at),
                        use(leaseOwner), now;
                }
                else
                    session << recordSent + idList(accepted) + ") AND status = 'leased' AND lease_owner = ?",
                        use(leaseOwner), now;
            }
            if (_journal)
                _journal->settled(parcels.size());
            outcomes.clear();
        }
        catch (...)
        {
            // The database failed: the journal's answers are written at the next round.
            keepUnrecorded(campaignId, owner, outcomes);
            throw;
        }
    }
    return std::nullopt;
}

bool Dispatcher::reconcile(const Campaign& campaign, const Settings& settings)
{
    const long campaignId = campaign.id;
    Poco::Data::Session session = _database.session();
    std::string current = sqlTime(_clock());
    long id = campaignId;
    std::vector<Poco::Int64> due;
    Poco::Int64 waiting = 0;
    session
        << "SELECT id FROM mm_recipients WHERE campaign_id = ? AND status = 'in_doubt' AND reconcile = 1 AND "
           "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT 1000",
        use(id), use(current), into(due), now;
    session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND status = 'in_doubt' AND "
               "reconcile = 1 "
               "AND next_attempt_at > ?",
        use(id), use(current), into(waiting), now;
    if (due.empty())
        return waiting == 0;
    std::unique_ptr<Transport> transport = openTransport(channelOf(campaign));
    const std::vector<long> rows(due.begin(), due.end());
    if (!transport->reconciles())
    {
        // Sent through a service this transport cannot ask: they stay in doubt, as any other.
        session << "UPDATE mm_recipients SET reconcile = 0 WHERE id IN (" + idList(rows) + ")", now;
        return waiting == 0;
    }
    std::vector<bool> found;
    try
    {
        found = transport->reconcile(rows);
    }
    catch (const Poco::Exception& error)
    {
        logger().warning("Campaign %ld waits: %z rows in doubt cannot be reconciled yet: %s", campaignId,
                         rows.size(), error.displayText());
        std::string next = sqlTime(_clock() + Poco::Timespan(settings.retrySeconds, 0));
        session << "UPDATE mm_recipients SET next_attempt_at = ? WHERE id IN (" + idList(rows) + ")",
            use(next), now;
        return false;
    }
    std::vector<long> sent, again;
    for (std::size_t i = 0; i < rows.size() && i < found.size(); ++i)
        (found[i] ? sent : again).push_back(rows[i]);
    session.begin();
    if (!sent.empty())
        session << "UPDATE mm_recipients SET status = 'sent', sent_at = COALESCE(in_flight_at, ?), reconcile "
                   "= 0, "
                   "attempts = attempts + 1, detail = '' WHERE status = 'in_doubt' AND id IN (" +
                       idList(sent) + ")",
            use(current), now;
    if (!again.empty())
        session << "UPDATE mm_recipients SET status = 'queued', reconcile = 0, next_attempt_at = NULL, "
                   "detail = '' "
                   "WHERE status = 'in_doubt' AND id IN (" +
                       idList(again) + ")",
            now;
    session.commit();
    logger().information("Campaign %ld: %z rows in doubt reconciled: %z were sent, %z queued again",
                         campaignId, rows.size(), sent.size(), again.size());
    return waiting == 0 && rows.size() < 1000;
}

void Dispatcher::keepUnrecorded(long campaignId, const std::string& owner, const std::map<long, char>& rows)
{
    if (!_journal || rows.empty())
        return;
    std::lock_guard<std::mutex> lock(_unrecordedLock);
    for (const auto& [row, outcome] : rows)
        _unrecorded.push_back({row, campaignId, owner, outcome == 0 ? Journal::inDoubt : outcome});
}

bool Dispatcher::recordUnrecorded()
{
    std::vector<Journal::Entry> entries;
    {
        std::lock_guard<std::mutex> lock(_unrecordedLock);
        entries.swap(_unrecorded);
    }
    if (entries.empty())
        return true;
    Poco::Data::Session session = _database.session();
    try
    {
        session.begin();
        applyAnswers(session, entries);
        session.commit();
    }
    catch (const Poco::Exception& error)
    {
        if (session.isTransaction())
            session.rollback();
        std::lock_guard<std::mutex> lock(_unrecordedLock);
        _unrecorded.insert(_unrecorded.end(), entries.begin(), entries.end());
        logger().warning("%z answers of the mail server not yet in the database: %s", entries.size(),
                         error.displayText());
        return false;
    }
    _journal->settled(entries.size());
    logger().information("%z answers of the mail server written after the database came back",
                         entries.size());
    return true;
}
} // namespace MassMailing
