#include "OutboxTransport.h"
#include "TransportException.h"
#include "content/EncodedWord.h"
#include <Poco/DateTime.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <system_error>
#include <unistd.h>

namespace MassMailing
{
namespace
{
const char SUFFIX[] = ".eml";
const std::size_t SUFFIX_LENGTH = sizeof SUFFIX - 1;
const std::size_t MAX_NAME = 255;
const std::size_t MAX_HEAD = 65536;

// One counter for the whole process: two transports on the same folder (one per worker) must
// not pick the same name within the same microsecond.
std::atomic<unsigned long> nameCounter{0};

void writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0)
    {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0)
        {
            if (errno == EINTR)
                continue;
            throw std::system_error(errno, std::generic_category());
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
}

// The header block of a file (up to the empty line), unfolded: one "name: value" per element.
std::vector<std::string> readHead(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Poco::FileNotFoundException(path);
    std::string head;
    char block[8192];
    while (head.size() < MAX_HEAD && in.read(block, sizeof block).gcount() > 0)
    {
        head.append(block, static_cast<std::size_t>(in.gcount()));
        if (head.find("\r\n\r\n") != std::string::npos || head.find("\n\n") != std::string::npos)
            break;
    }
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (start < head.size())
    {
        std::size_t end = head.find('\n', start);
        if (end == std::string::npos)
            break; // a truncated last line: not a whole header
        std::string line = head.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            break;
        if ((line[0] == ' ' || line[0] == '\t') && !fields.empty())
            fields.back() += line;
        else
            fields.push_back(line);
    }
    return fields;
}

std::string fieldValue(const std::vector<std::string>& fields, const char* name)
{
    const std::size_t length = std::strlen(name);
    for (const std::string& field : fields)
    {
        if (field.size() > length && field[length] == ':' && Poco::icompare(field, 0, length, name) == 0)
            return Poco::trim(field.substr(length + 1));
    }
    return {};
}

// "20261123-081530-123456-..." is UTC; null when the name does not start that way.
bool timeFromName(const std::string& name, Poco::Timestamp& time)
{
    int year, month, day, hour, minute, second, micros;
    if (name.size() < 22 ||
        std::sscanf(name.c_str(), "%4d%2d%2d-%2d%2d%2d-%6d", &year, &month, &day, &hour, &minute, &second,
                    &micros) != 7 ||
        !Poco::DateTime::isValid(year, month, day, hour, minute, second, micros / 1000, micros % 1000))
        return false;
    time = Poco::DateTime(year, month, day, hour, minute, second, micros / 1000, micros % 1000).timestamp();
    return true;
}
} // namespace

OutboxTransport::OutboxTransport(const std::string& dir) : _dir(dir)
{
    Poco::File(_dir).createDirectories();
}

void OutboxTransport::send(const Envelope& envelope, const std::string& message)
{
    envelope.check();
    const std::string head = envelopeHeaders(envelope);
    const std::string name = newName();
    const std::string temporary = path("." + name + ".tmp");
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
    {
        const std::string error = std::strerror(errno);
        throw TransportException("cannot create " + temporary + ": " + error, 0, error,
                                 TransportException::Stage::Data);
    }
    try
    {
        writeAll(fd, head.data(), head.size());
        writeAll(fd, message.data(), message.size());
        if (::close(fd) != 0)
            throw std::system_error(errno, std::generic_category());
    }
    catch (const std::system_error& error)
    {
        ::close(fd); // a second close after a failed one is harmless: EBADF
        ::unlink(temporary.c_str());
        throw TransportException("cannot write " + temporary + ": " + error.code().message(), 0,
                                 error.code().message(), TransportException::Stage::Data);
    }
    if (::rename(temporary.c_str(), path(name).c_str()) != 0)
    {
        const std::string error = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw TransportException("cannot rename " + temporary + ": " + error, 0, error,
                                 TransportException::Stage::Data);
    }
}

std::vector<OutboxEntry> OutboxTransport::entries(std::size_t limit) const
{
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(_dir), end; it != end; ++it)
    {
        if (isMessageName(it.name()))
            names.push_back(it.name());
    }
    const std::size_t count = std::min(limit, names.size());
    std::partial_sort(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count), names.end(),
                      std::greater<std::string>());
    names.resize(count);

    std::vector<OutboxEntry> entries;
    entries.reserve(count);
    for (const std::string& name : names)
    {
        OutboxEntry entry;
        entry.name = name;
        try
        {
            Poco::File file(path(name));
            if (!file.isFile() || file.isLink())
                continue;
            entry.size = static_cast<std::size_t>(file.getSize());
            if (!timeFromName(name, entry.time))
                entry.time = file.getLastModified();
            const std::vector<std::string> fields = readHead(file.path());
            entry.from = EncodedWord::decode(fieldValue(fields, "From"));
            entry.subject = EncodedWord::decode(fieldValue(fields, "Subject"));
            entry.to = fieldValue(fields, "X-Outbox-Envelope-To");
            if (entry.to.empty())
                entry.to = EncodedWord::decode(fieldValue(fields, "To"));
        }
        catch (const Poco::FileNotFoundException&)
        {
            continue; // removed since it was listed
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::string OutboxTransport::read(const std::string& name) const
{
    if (!isMessageName(name))
        throw Poco::InvalidArgumentException("name \"" + name +
                                             "\" is not the file name of an outbox message");
    Poco::File file(path(name));
    if (!file.exists() || !file.isFile() || file.isLink())
        throw Poco::FileNotFoundException("no message " + name + " in the outbox");
    std::ifstream in(file.path(), std::ios::binary);
    if (!in)
        throw Poco::FileNotFoundException("no message " + name + " in the outbox");
    std::string bytes;
    bytes.resize(static_cast<std::size_t>(file.getSize()));
    in.read(&bytes[0], static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

bool OutboxTransport::isMessageName(const std::string& name)
{
    if (name.size() <= SUFFIX_LENGTH || name.size() > MAX_NAME || name[0] == '.' ||
        name.compare(name.size() - SUFFIX_LENGTH, SUFFIX_LENGTH, SUFFIX) != 0)
        return false;
    for (const char c : name)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < ' ' || byte == 0x7f || c == '/' || c == '\\')
            return false;
    }
    return true;
}

std::string OutboxTransport::envelopeHeaders(const Envelope& envelope)
{
    std::string head = "Return-Path: <" + envelope.from + ">\r\nX-Outbox-Envelope-To: ";
    for (std::size_t i = 0; i < envelope.recipients.size(); ++i)
    {
        if (i > 0)
            head += ",\r\n ";
        head += envelope.recipients[i];
    }
    head += "\r\n";
    return head;
}

std::string OutboxTransport::newName() const
{
    const Poco::DateTime now;
    char name[96];
    std::snprintf(name, sizeof name, "%04d%02d%02d-%02d%02d%02d-%06d-%ld-%06lu%s", now.year(), now.month(),
                  now.day(), now.hour(), now.minute(), now.second(),
                  now.millisecond() * 1000 + now.microsecond(), static_cast<long>(Poco::Process::id()),
                  nameCounter.fetch_add(1) + 1, SUFFIX);
    return name;
}

std::string OutboxTransport::path(const std::string& name) const
{
    return Poco::Path(Poco::Path::forDirectory(_dir), name).toString();
}
} // namespace MassMailing
