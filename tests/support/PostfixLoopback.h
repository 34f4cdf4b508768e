#ifndef CrmHostTests_PostfixLoopback_INCLUDED
#define CrmHostTests_PostfixLoopback_INCLUDED

#include "TempFolder.h"
#include <Poco/Process.h>
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace CrmHostTests
{
/// A private Postfix on loopback (tests/support/postfix_loopback.sh) for tests that need real
/// delivery status notifications: mail for bounceDomain goes to 127.0.0.1:listenerPort (the
/// host's inbound listener), mail for every other domain to 127.0.0.1:relayPort (a
/// RefusingRelay); a refusal there comes back at once as a DSN to the envelope sender.
class PostfixLoopback
{
public:
    static std::string unavailable();
    /// Why it cannot run here ("" when it can): it needs root and Debian's postfix package.
    /// A test calls skip(unavailable()) when it is not "".

    PostfixLoopback(Poco::UInt16 relayPort, Poco::UInt16 listenerPort, const std::string& bounceDomain,
                    const std::string& delayWarning = "");
    /// Starts it and waits until it answers SMTP. With delayWarning (e.g. "2s"), a 4xx is tried
    /// again for a minute and a "delayed" DSN goes out after that time, instead of a failure at
    /// once. Throws Poco::RuntimeException with the harness's output when it cannot start.
    ~PostfixLoopback();
    /// Stops it (postfix stop, then its master killed after 10 s) and removes its folders.

    Poco::UInt16 port() const { return _port; }
    /// Where its smtpd listens on 127.0.0.1: submit the campaign's messages there.
    std::string maillog() const;
    /// The end of its log (what it sent where, and what it was answered), for failure messages.

private:
    TempFolder _folder;
    Poco::UInt16 _port = 0;
};

/// tests/support/refusing_smtp.py in a child process: plain SMTP on 127.0.0.1 on a free port
/// that refuses at RCPT TO every local part starting with "hard" with 550 5.1.1 and every one
/// starting with "soft" with 452 4.2.2, and takes the others.
class RefusingRelay
{
public:
    RefusingRelay();
    /// Starts it and waits (at most 20 s) until it listens.
    ~RefusingRelay();

    Poco::UInt16 port() const { return _port; }
    std::vector<std::string> received() const;
    /// The recipients it took, one entry per message and recipient.

private:
    TempFolder _folder;
    Poco::UInt16 _port = 0;
    Poco::Process::PID _pid = 0;
};
} // namespace CrmHostTests

#endif
