#include "PostfixLoopback.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace CrmHostTests
{
namespace
{
const std::string HARNESS = std::string(CRMHOST_RESOURCE_DIR) + "/tests/support/postfix_loopback.sh";
const std::string RELAY = std::string(CRMHOST_RESOURCE_DIR) + "/tests/support/refusing_smtp.py";

std::string harness(const std::vector<std::string>& args, const std::string& delayWarning = "")
{
    Poco::Pipe output, errors;
    std::vector<std::string> all{"POSTFIX_DELAY_WARNING=" + delayWarning, "/bin/bash", HARNESS};
    all.insert(all.end(), args.begin(), args.end());
    Poco::ProcessHandle process = Poco::Process::launch("/usr/bin/env", all, nullptr, &output, &errors);
    Poco::PipeInputStream out(output), err(errors);
    std::string text, problems;
    Poco::StreamCopier::copyToString(out, text);
    Poco::StreamCopier::copyToString(err, problems);
    int code = process.wait();
    if (code != 0)
        throw Poco::RuntimeException("postfix_loopback.sh " + args.at(0) + " exited with " +
                                     std::to_string(code) + ":\n" + problems);
    return Poco::trim(text);
}

std::string readFile(const std::string& path)
{
    std::string text;
    if (Poco::File(path).exists())
    {
        Poco::FileInputStream in(path);
        Poco::StreamCopier::copyToString(in, text);
    }
    return text;
}
} // namespace

std::string PostfixLoopback::unavailable()
{
    if (::geteuid() != 0)
        return "a private Postfix needs root";
    if (!Poco::File("/usr/sbin/postfix").exists())
        return "Debian's postfix package is not installed";
    return "";
}

PostfixLoopback::PostfixLoopback(Poco::UInt16 relayPort, Poco::UInt16 listenerPort,
                                 const std::string& bounceDomain, const std::string& delayWarning)
    : _folder("postfix")
{
    std::string port = harness({"start", _folder.file("postfix"), std::to_string(relayPort),
                                std::to_string(listenerPort), bounceDomain},
                               delayWarning);
    _port = Poco::UInt16(std::stoi(port));
}

PostfixLoopback::~PostfixLoopback()
{
    try
    {
        harness({"stop", _folder.file("postfix")});
    }
    catch (...)
    {
    }
}

std::string PostfixLoopback::maillog() const
{
    std::string text = readFile(_folder.file("postfix/maillog"));
    return text.size() > 6000 ? "..." + text.substr(text.size() - 6000) : text;
}

RefusingRelay::RefusingRelay() : _folder("relay")
{
    std::string portFile = _folder.file("port");
    _pid = Poco::Process::launch("/usr/bin/python3", {RELAY, portFile, _folder.file("received")}).id();
    Poco::Timestamp started;
    while (!Poco::File(portFile).exists())
    {
        int status = 0;
        if (::waitpid(_pid, &status, WNOHANG) == _pid)
        {
            _pid = 0;
            throw Poco::RuntimeException(
                "refusing_smtp.py exited before it listened (python3-aiosmtpd missing?)");
        }
        if (started.isElapsed(20 * Poco::Timestamp::resolution()))
            throw Poco::TimeoutException("refusing_smtp.py did not listen within 20 s");
        Poco::Thread::sleep(50);
    }
    _port = Poco::UInt16(std::stoi(Poco::trim(readFile(portFile))));
}

RefusingRelay::~RefusingRelay()
{
    if (_pid)
    {
        ::kill(_pid, SIGKILL);
        ::waitpid(_pid, nullptr, 0);
    }
}

std::vector<std::string> RefusingRelay::received() const
{
    Poco::StringTokenizer lines(readFile(_folder.file("received")), "\n",
                                Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    return {lines.begin(), lines.end()};
}
} // namespace CrmHostTests
