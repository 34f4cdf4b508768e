#include "delivery/SmsOutboxTransport.h"
#include "content/SmsText.h"
#include "delivery/TransportException.h"
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace MassMailing
{
namespace
{
std::atomic<unsigned long> nameCounter{0};

std::string newName()
{
    const Poco::DateTime now;
    char name[96];
    std::snprintf(name, sizeof name, "%04d%02d%02d-%02d%02d%02d-%06d-%ld-%06lu.json", now.year(), now.month(),
                  now.day(), now.hour(), now.minute(), now.second(),
                  now.millisecond() * 1000 + now.microsecond(), static_cast<long>(Poco::Process::id()),
                  nameCounter.fetch_add(1) + 1);
    return name;
}
} // namespace

SmsOutboxTransport::SmsOutboxTransport(const std::string& dir, const std::string& from)
    : _dir(dir), _from(from)
{
    Poco::File(_dir).createDirectories();
}

void SmsOutboxTransport::send(const Envelope& envelope, const std::string& text)
{
    envelope.check();
    const SmsCount count = SmsText::count(text);
    Poco::JSON::Object message;
    message.set("to", envelope.recipients.front());
    message.set("from", _from);
    message.set("text", text);
    message.set("encoding", count.encoding);
    message.set("segments", count.segments);
    message.set("characters", count.characters);
    message.set("reference", envelope.from);
    message.set("at",
                Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT));
    std::ostringstream json;
    message.stringify(json);
    const std::string name = newName();
    const std::string path = Poco::Path(Poco::Path::forDirectory(_dir), name).toString();
    const std::string temporary = Poco::Path(Poco::Path::forDirectory(_dir), "." + name + ".tmp").toString();
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << json.str();
        out.close();
        if (!out)
        {
            const std::string error = std::strerror(errno);
            std::remove(temporary.c_str());
            throw TransportException("cannot write " + temporary + ": " + error, 0, error,
                                     TransportException::Stage::Data);
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
    {
        const std::string error = std::strerror(errno);
        std::remove(temporary.c_str());
        throw TransportException("cannot rename " + temporary + ": " + error, 0, error,
                                 TransportException::Stage::Data);
    }
    _last = name;
}

std::string SmsOutboxTransport::messageId() const
{
    return _last;
}

bool SmsOutboxTransport::isMessageName(const std::string& name)
{
    if (name.size() <= 5 || name.size() > 255 || name[0] == '.' ||
        name.compare(name.size() - 5, 5, ".json") != 0)
        return false;
    return std::none_of(
        name.begin(), name.end(),
        [](char c) { return static_cast<unsigned char>(c) < ' ' || c == 0x7f || c == '/' || c == '\\'; });
}

std::vector<SmsOutboxEntry> SmsOutboxTransport::entries(std::size_t limit) const
{
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(_dir), end; it != end; ++it)
        if (isMessageName(it.name()))
            names.push_back(it.name());
    const std::size_t count = std::min(limit, names.size());
    std::partial_sort(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count), names.end(),
                      std::greater<std::string>());
    names.resize(count);
    std::vector<SmsOutboxEntry> entries;
    for (const std::string& name : names)
    {
        try
        {
            Poco::File file(Poco::Path(Poco::Path::forDirectory(_dir), name).toString());
            if (!file.isFile() || file.isLink() || file.getSize() > 1024 * 1024)
                continue;
            Poco::FileInputStream in(file.path());
            auto json = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
            SmsOutboxEntry entry;
            entry.name = name;
            entry.time = file.getLastModified();
            entry.to = json->optValue<std::string>("to", "");
            entry.from = json->optValue<std::string>("from", "");
            entry.text = json->optValue<std::string>("text", "");
            entry.encoding = json->optValue<std::string>("encoding", "");
            entry.segments = json->optValue<std::size_t>("segments", 0);
            entry.reference = json->optValue<std::string>("reference", "");
            entries.push_back(std::move(entry));
        }
        catch (const Poco::Exception&)
        {
            continue; // removed since listed, or not ours
        }
    }
    return entries;
}
} // namespace MassMailing
