#ifndef MassMailing_EventRecorder_INCLUDED
#define MassMailing_EventRecorder_INCLUDED

#include "CrmHost/Database.h"
#include "GroupSettings.h"
#include <Poco/DateTime.h>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace MassMailing
{
/// An open or a click as the redirect or the image received it, before it is recorded.
struct Hit
{
    enum class Kind
    {
        Open,
        Click
    };
    Kind kind = Kind::Open;
    long groupId = 0;
    long campaignId = 0;
    long row = 0;    /// mm_recipients.id; 0 for a test message's.
    long linkId = 0; /// A click's link; 0 for the hidden trap link.
    bool test = false;
    Poco::DateTime at; /// UTC.
    std::string userAgent;
    std::string ip;
    std::string machine; /// Why the request itself shows a machine (MachineSignals), or "".
};

/// Records opens and clicks (R3) fast: the redirect and the image only queue what they
/// received (record()), and one thread writes the queue every flushMillis, or as soon as batch
/// hits wait, in one transaction (Settings::writers such threads, each for its share of rows): the events
/// (Events::insert, kind open or click) and the counters the results read, mm_recipients (opens,
/// first_open_at, machine_opens, clicks, first_click_at, machine_clicks), mm_links (clicks, unique_clicks,
/// machine_clicks) and mm_result_hours. Machines (MachineSignals, and a hit within machineSeconds of the
/// row's sent_at) are recorded with machine = 1 and the reason in detail, counted apart. A person's clicks of
/// one link count once in unique_clicks; first_open_at and first_click_at keep the first. A test message's
/// hit (row 0) is recorded and counts nothing. The IP is kept, or only its HMAC when the group's
/// "tracking.ip" is "hash". One recorder per process: the unique counts assume it is the only writer of a
/// row's opens and clicks.
class EventRecorder
{
public:
    struct Settings
    {
        int flushMillis = 200;          /// The longest a hit waits in the queue.
        std::size_t batch = 200;        /// Hits that make the thread write at once.
        std::size_t maxQueued = 200000; /// Beyond, record() waits for room (see fullWaitMillis).
        int writers =
            1; /// Threads writing at once, each the hits of its share of rows (MariaDB: 4; SQLite: 1).
        int fullWaitMillis = 5000; /// How long record() waits for room in a full queue before it drops
                                   /// the hit and counts it (the database is down, not just slow).
    };

    EventRecorder(CrmHost::Database& database, const GroupSettings& groups, std::string ipKey,
                  std::function<int()> machineSeconds, Settings settings);
    /// ipKey: the secret of the IP's HMAC (the module's signing key). machineSeconds: the
    /// module setting massmailing.tracking.machine_seconds, read at each write. The database
    /// and the group settings must outlive the recorder. No thread runs before start().

    ~EventRecorder();
    /// stop().

    void start();
    /// Starts the writing thread.

    void stop();
    /// Writes what is queued and stops the thread (the module stops).

    void record(Hit hit);
    /// Queues the hit. Never waits for the database, only for room: when the queue is full
    /// (more hits come in than the database takes), the caller waits until the writer took a
    /// batch, so that the redirect slows down to the rate of recording instead of losing hits;
    /// after fullWaitMillis the hit is dropped and counted.

    std::size_t flush();
    /// Writes every queued hit now, in this thread; the number written. Throws the database's
    /// exception (the hits are then dropped and counted in dropped()).

    std::size_t recorded() const { return _recorded; }
    std::size_t dropped() const { return _dropped; }
    /// Hits written, and hits lost (queue full, database failing, a row not of its campaign).

    std::string ipOf(long groupId, const std::string& ip) const;
    /// What is stored of the IP for this group: itself, or its HMAC-SHA256 in hex (64
    /// characters) when the group's "tracking.ip" is "hash". Throws the database's exception.

private:
    // A writer: its queue and thread. A row's hits all go to one lane (row id modulo the lanes),
    // so that its unique counts are decided by one writer.
    struct Lane
    {
        std::mutex lock;
        std::mutex writing; // one write at a time: flush() and the thread
        std::condition_variable wake;
        std::condition_variable room; // a batch was taken from a full queue
        std::deque<Hit> queue;
        std::thread thread;
    };

    void run(Lane& lane);
    std::size_t flush(Lane& lane);
    std::string hashed(const std::string& ip) const;
    std::size_t write(std::deque<Hit> hits);

    CrmHost::Database& _database;
    const GroupSettings& _groups;
    std::string _ipKey;
    std::function<int()> _machineSeconds;
    Settings _settings;
    std::vector<std::unique_ptr<Lane>> _lanes;
    std::mutex _lock; // start() and stop()
    std::atomic<bool> _stopping{false};
    std::atomic<std::size_t> _recorded{0};
    std::atomic<std::size_t> _dropped{0};
};
} // namespace MassMailing

#endif
