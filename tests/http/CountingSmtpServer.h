#ifndef CrmHostTests_CountingSmtpServer_INCLUDED
#define CrmHostTests_CountingSmtpServer_INCLUDED

#include "TempFolder.h"
#include <Poco/Process.h>
#include <Poco/Types.h>
#include <map>
#include <string>
#include <vector>

namespace CrmHostTests
{
/// tests/http/counting_smtp.py in a child process: plain SMTP on 127.0.0.1 on a free port,
/// one line per recipient of every message it accepted, no message kept. What it counts is
/// what a mail server said it took, whatever the sender believes.
class CountingSmtpServer
{
public:
    CountingSmtpServer();
    /// Starts the server and waits (at most 20 s) until it listens.
    ~CountingSmtpServer();
    /// Stops it if it still runs.

    Poco::UInt16 port() const { return _port; }

    std::vector<std::string> received() const;
    /// The recipients of the messages accepted so far, one entry per message and recipient.
    std::size_t count() const;
    /// How many entries received() has.
    static std::map<std::string, int> tally(const std::vector<std::string>& received);
    /// How many times each address was received.

    void refuse(const std::vector<std::string>& addresses);
    /// From now on these addresses are refused at RCPT TO with 550 (a permanent failure), and
    /// no other: refuse({}) takes them all again.

    void stop();
    /// Kills the server and waits for it.

private:
    TempFolder _folder;
    Poco::UInt16 _port = 0;
    Poco::Process::PID _pid = 0;
};
} // namespace CrmHostTests

#endif
