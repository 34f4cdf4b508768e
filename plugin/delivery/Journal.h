#ifndef MassMailing_Journal_INCLUDED
#define MassMailing_Journal_INCLUDED

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace MassMailing
{
/// A sending process's journal (D7): what each of its workers handed to the mail server and
/// what the server answered, so that one database commit per message is not needed to send
/// nobody twice. One append-only file per process, in the node's journal folder, locked
/// (flock) while the process lives: a file nobody holds is a dead process's, read by the next
/// round of any process of the node.
///
/// Why a plain file with fdatasync, not SQLite or LMDB: the records are only ever appended and
/// read back whole after a crash, and the group commit (one fdatasync for every record waiting
/// at that moment, whoever's worker wrote it) is a dozen lines here; SQLite in WAL mode would
/// add a page write, a WAL frame and its own lock per commit for the same guarantee, and LMDB
/// a new dependency. A torn last line (a crash in the middle of a write) is ignored: its record
/// was never durable, and nothing went on the wire after it. The records overwrite zeros written
/// ahead (64 KB at a time), so that the file's size, hence its inode, does not change at
/// each fdatasync; a reader stops at the first zero.
///
/// Records are text lines: "H row campaign owner" (handed over; durable before the message's
/// bytes go) and "A row outcome" (answered: S accepted, T refused for now, P refused for good,
/// D in doubt), the latter made durable by the next fdatasync. A worker hands a message over
/// only once its previous one is answered, so after a crash each worker's journal holds at
/// most one row handed over and not answered.
class Journal
{
public:
    /// The outcomes of "A" records.
    static constexpr char accepted = 'S', refusedForNow = 'T', refusedForGood = 'P', inDoubt = 'D';

    explicit Journal(const std::string& folder);
    /// Creates the folder and a file of this process's own, locked. Throws Poco::IOException.
    ~Journal();
    /// Removes the file when every row it recorded is settled in the database; otherwise leaves
    /// it to the next process of the node, which reads it as a dead process's.

    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& id() const { return _id; }
    /// This process's journal id (unique across restarts, also with a reused pid), part of
    /// its lease owners.
    const std::string& folder() const { return _folder; }

    void handedOver(long row, long campaign, const std::string& owner);
    /// Durable when it returns, with every record written before it. Throws Poco::IOException
    /// (then nothing may be sent).
    void handedOver(const std::vector<long>& rows, long campaign, const std::string& owner);
    /// The rows of one call of a batching transport (Transport::sendBatch), with one fdatasync:
    /// after a crash they are all handed over and not answered. Throws as handedOver().

    void answered(long row, char outcome);
    /// Buffered: durable with the next handedOver() of any worker, or at flush().
    void settled(std::size_t rows);
    /// So many rows recorded here have their status in the database now. When none is left
    /// open the file is emptied (truncated), once it has grown past a megabyte, or at flush().
    void flush();
    /// Makes every record durable, and empties the file when nothing is open.

    std::uint64_t records() const;
    std::uint64_t fsyncs() const;
    /// Counted since the start, for the benchmark.

    /// What a journal says of one row.
    struct Entry
    {
        long row = 0;
        long campaign = 0;
        std::string owner;
        char outcome = 0; /// 0: handed over, no answer recorded.
    };

    /// A dead process's journal, held (locked) while it is read and applied.
    class Dead
    {
    public:
        Dead(Dead&& other) noexcept;
        ~Dead();
        const std::string& path() const { return _path; }
        std::vector<Entry> entries() const;
        /// In the order of their first record; a torn last line is left out.
        void remove();
        /// Deletes the file: its records are in the database.

    private:
        friend class Journal;
        Dead(std::string path, int fd);
        std::string _path;
        int _fd;
    };

    static std::vector<Dead> dead(const std::string& folder);
    /// The journals of the folder that no live process holds.
    static bool exists(const std::string& folder, const std::string& id);
    /// Whether the process of this journal id left a file in the folder (alive, or dead and
    /// not yet read).

    static std::string label(const std::string& node);
    /// The node's name as it goes into lease owners and folder names: at most 20 characters
    /// without '/', a long name cut and followed by a hash of the whole.

private:
    void write(const std::string& text, bool durable);
    bool writeAt(const std::string& text, std::uint64_t offset);
    void sync(std::unique_lock<std::mutex>& lock);
    void truncateIfIdle(std::size_t threshold);

    std::string _folder, _id, _path;
    int _fd = -1;
    mutable std::mutex _mutex;
    std::condition_variable _synced;
    std::string _pending;       // appended, not yet written
    std::uint64_t _written = 0; // records appended
    std::uint64_t _durable = 0; // records on disk
    bool _syncing = false;      // a worker is writing and syncing
    std::uint64_t _fsyncs = 0;
    std::size_t _open = 0;        // rows handed over, not yet settled in the database
    std::uint64_t _size = 0;      // bytes of records in the file
    std::uint64_t _allocated = 0; // bytes in the file: the records, then zeros
};
} // namespace MassMailing

#endif
