#include "delivery/Journal.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Process.h>
#include <Poco/Timestamp.h>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace MassMailing
{
namespace
{
const std::string suffix = ".journal";
const std::uint64_t CHUNK = 1 << 16; // zeros written ahead of the records

Poco::IOException failure(const std::string& what, const std::string& path)
{
    return Poco::IOException(what + " " + path + ": " + std::strerror(errno));
}

std::string base36(std::uint64_t value)
{
    const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string text;
    do
    {
        text.insert(text.begin(), digits[value % 36]);
        value /= 36;
    } while (value);
    return text;
}
} // namespace

Journal::Journal(const std::string& folder) : _folder(folder)
{
    Poco::File(folder).createDirectories();
    // The pid alone may come back after a restart (in a container, always): with the start time.
    // Two journals of one process (two dispatchers) apart too.
    static std::atomic<unsigned> opened{0};
    unsigned nth = opened++;
    _id = "j" + std::to_string(Poco::Process::id()) + "." +
          base36(std::uint64_t(Poco::Timestamp().epochMicroseconds() / 1000)) +
          (nth ? "." + std::to_string(nth) : "");
    _path = folder + "/" + _id + suffix;
    // Locked before it has its name: another process looking for dead journals must never
    // find it unlocked, take it for a dead one's and remove it.
    const std::string making = folder + "/" + _id + ".new";
    _fd = ::open(making.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (_fd < 0)
        throw failure("cannot create the journal", making);
    if (::flock(_fd, LOCK_EX | LOCK_NB) != 0 || ::rename(making.c_str(), _path.c_str()) != 0)
    {
        ::close(_fd);
        ::unlink(making.c_str());
        throw failure("cannot lock the journal", _path);
    }
    // The file's name must be durable too, or a crash may lose it whole.
    int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0)
    {
        ::fsync(dir);
        ::close(dir);
    }
}

Journal::~Journal()
{
    std::unique_lock<std::mutex> lock(_mutex);
    if (_open == 0)
        ::unlink(_path.c_str());
    else if (!_pending.empty() && !_syncing)
    {
        // Answers still buffered: kept, so that the next process finds them.
        std::string text;
        text.swap(_pending);
        if (::pwrite(_fd, text.data(), text.size(), off_t(_size)) == ssize_t(text.size()))
            ::fdatasync(_fd);
    }
    ::close(_fd);
}

bool Journal::writeAt(const std::string& text, std::uint64_t offset)
{
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0)
    {
        ssize_t n = ::pwrite(_fd, data, left, off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        left -= std::size_t(n);
        offset += std::uint64_t(n);
    }
    return true;
}

void Journal::handedOver(long row, long campaign, const std::string& owner)
{
    write("H " + std::to_string(row) + " " + std::to_string(campaign) + " " + owner + "\n", true);
}

void Journal::handedOver(const std::vector<long>& rows, long campaign, const std::string& owner)
{
    std::unique_lock<std::mutex> lock(_mutex);
    for (long row : rows)
    {
        _pending += "H " + std::to_string(row) + " " + std::to_string(campaign) + " " + owner + "\n";
        ++_written;
        ++_open;
    }
    const std::uint64_t mine = _written;
    while (_durable < mine)
        sync(lock);
}

void Journal::answered(long row, char outcome)
{
    write("A " + std::to_string(row) + " " + std::string(1, outcome) + "\n", false);
}

void Journal::write(const std::string& text, bool durable)
{
    std::unique_lock<std::mutex> lock(_mutex);
    _pending += text;
    std::uint64_t mine = ++_written;
    if (durable)
    {
        ++_open;
        while (_durable < mine)
            sync(lock);
    }
}

// Group commit: the first worker to find no sync under way writes everything waiting, its own
// record and the others', with one fdatasync; those who come meanwhile wait for it, and the
// first of them syncs what came after.
void Journal::sync(std::unique_lock<std::mutex>& lock)
{
    if (_syncing)
    {
        _synced.wait(lock);
        return;
    }
    _syncing = true;
    std::string text;
    text.swap(_pending);
    std::uint64_t upTo = _written;
    lock.unlock();
    // Records overwrite zeros written beforehand: a file whose size does not change needs no
    // inode write at fdatasync, one disk write of two saved. The zeros come 64 KB at a time.
    std::uint64_t at = _size;
    bool ok = true;
    if (at + text.size() > _allocated)
    {
        const std::uint64_t allocated = (at + text.size() + CHUNK - 1) / CHUNK * CHUNK;
        ok = writeAt(std::string(std::size_t(allocated - _allocated), '\0'), _allocated);
        if (ok)
            _allocated = allocated;
    }
    ok = ok && writeAt(text, at) && ::fdatasync(_fd) == 0;
    int error = errno;
    lock.lock();
    _syncing = false;
    _synced.notify_all();
    if (!ok)
    {
        errno = error;
        throw failure("cannot write the journal", _path);
    }
    _size += text.size();
    _durable = upTo;
    ++_fsyncs;
}

void Journal::settled(std::size_t rows)
{
    std::unique_lock<std::mutex> lock(_mutex);
    _open = rows > _open ? 0 : _open - rows;
    truncateIfIdle(1 << 20);
}

void Journal::flush()
{
    std::unique_lock<std::mutex> lock(_mutex);
    while (_durable < _written)
        sync(lock);
    truncateIfIdle(0);
}

// With no row open, every record is in the database already: the file may start again empty.
// Not while a worker syncs (its records would be cut).
void Journal::truncateIfIdle(std::size_t threshold)
{
    if (_open != 0 || _syncing || _size + _pending.size() <= threshold)
        return;
    if (::ftruncate(_fd, 0) == 0)
    {
        _pending.clear();
        _durable = _written;
        _size = 0;
        _allocated = 0;
    }
}

std::uint64_t Journal::records() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _written;
}

std::uint64_t Journal::fsyncs() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _fsyncs;
}

Journal::Dead::Dead(std::string path, int fd) : _path(std::move(path)), _fd(fd) {}

Journal::Dead::Dead(Dead&& other) noexcept : _path(std::move(other._path)), _fd(other._fd)
{
    other._fd = -1;
}

Journal::Dead::~Dead()
{
    if (_fd >= 0)
        ::close(_fd);
}

std::vector<Journal::Entry> Journal::Dead::entries() const
{
    std::string text;
    char buffer[65536];
    ::lseek(_fd, 0, SEEK_SET);
    for (ssize_t n; (n = ::read(_fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, std::size_t(n));
    text.resize(std::min(text.size(), text.find('\0'))); // the zeros not yet written over
    std::vector<Entry> entries;
    std::map<long, std::size_t> at; // row -> its entry
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    {
        std::istringstream line(text.substr(start, end - start));
        std::string kind;
        long row = 0;
        line >> kind >> row;
        if (!line || row <= 0)
            continue;
        if (kind == "H")
        {
            Entry entry;
            entry.row = row;
            line >> entry.campaign >> entry.owner;
            if (!line)
                continue;
            // A row handed over again (sent again by hand): its last hand-over counts.
            auto found = at.find(row);
            if (found != at.end())
                entries[found->second] = entry;
            else
            {
                at[row] = entries.size();
                entries.push_back(entry);
            }
        }
        else if (kind == "A")
        {
            std::string outcome;
            line >> outcome;
            auto found = at.find(row);
            if (line && found != at.end() && outcome.size() == 1)
                entries[found->second].outcome = outcome[0];
        }
    }
    return entries;
}

void Journal::Dead::remove()
{
    ::unlink(_path.c_str());
}

std::vector<Journal::Dead> Journal::dead(const std::string& folder)
{
    std::vector<Dead> found;
    if (!Poco::File(folder).exists())
        return found;
    for (Poco::DirectoryIterator it(folder), end; it != end; ++it)
    {
        const std::string name = it.name();
        if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix))
            continue;
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        // Held by a live process (this one's own too: flock is per open file).
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            ::close(fd);
            continue;
        }
        found.push_back(Dead(it->path(), fd));
    }
    return found;
}

bool Journal::exists(const std::string& folder, const std::string& id)
{
    return !folder.empty() && Poco::File(folder + "/" + id + suffix).exists();
}

std::string Journal::label(const std::string& node)
{
    std::string clean;
    for (char c : node)
        clean += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':')
                     ? c
                     : '_';
    if (clean.empty())
        clean = "node";
    if (clean.size() <= 20 && clean == node)
        return clean;
    // FNV-1a of the whole name: two long names that begin alike stay apart.
    std::uint32_t hash = 2166136261u;
    for (char c : node)
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", hash);
    return clean.substr(0, 11) + "~" + hex;
}
} // namespace MassMailing
