#include "CountingSmtpServer.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <algorithm>
#include <signal.h>
#include <sys/wait.h>

namespace CrmHostTests
{
namespace
{
std::string contents(const std::string& path)
{
    if (!Poco::File(path).exists())
        return "";
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}
} // namespace

CountingSmtpServer::CountingSmtpServer() : _folder("counting-smtp")
{
    // Its own output goes to a file, for the message of a failed start.
    Poco::ProcessHandle process = Poco::Process::launch(
        "/bin/sh", {"-c", "exec /usr/bin/python3 \"$0\" \"$1\" \"$2\" >\"$3\" 2>&1",
                    CRMHOST_RESOURCE_DIR "/tests/http/counting_smtp.py", _folder.file("port"),
                    _folder.file("received"), _folder.file("server.log")});
    _pid = process.id();
    Poco::Timestamp started;
    while (!started.isElapsed(20 * Poco::Timestamp::resolution()))
    {
        int port = 0;
        if (Poco::NumberParser::tryParse(Poco::trim(contents(_folder.file("port"))), port) && port > 0)
        {
            _port = Poco::UInt16(port);
            return;
        }
        if (::waitpid(_pid, nullptr, WNOHANG) == _pid)
        {
            _pid = 0;
            throw Poco::RuntimeException("counting_smtp.py ended at start:\n" +
                                         contents(_folder.file("server.log")));
        }
        Poco::Thread::sleep(20);
    }
    stop();
    throw Poco::TimeoutException("counting_smtp.py did not listen within 20 s:\n" +
                                 contents(_folder.file("server.log")));
}

CountingSmtpServer::~CountingSmtpServer()
{
    stop();
}

std::vector<std::string> CountingSmtpServer::received() const
{
    std::string text = contents(_folder.file("received"));
    // A line the server is still writing is not counted until its newline is there.
    std::vector<std::string> lines;
    std::string::size_type start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start))
    {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::size_t CountingSmtpServer::count() const
{
    std::string text = contents(_folder.file("received"));
    return std::size_t(std::count(text.begin(), text.end(), '\n'));
}

std::map<std::string, int> CountingSmtpServer::tally(const std::vector<std::string>& received)
{
    std::map<std::string, int> times;
    for (const auto& address : received)
        ++times[address];
    return times;
}

void CountingSmtpServer::refuse(const std::vector<std::string>& addresses)
{
    // Written aside, then renamed: the server reads it whole or not at all.
    std::string path = _folder.file("received.refuse");
    {
        Poco::FileOutputStream out(path + ".tmp");
        for (const auto& address : addresses)
            out << address << "\n";
    }
    Poco::File(path + ".tmp").renameTo(path);
}

void CountingSmtpServer::stop()
{
    if (_pid == 0)
        return;
    ::kill(_pid, SIGKILL);
    ::waitpid(_pid, nullptr, 0);
    _pid = 0;
}
} // namespace CrmHostTests
