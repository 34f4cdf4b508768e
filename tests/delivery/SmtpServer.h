#ifndef DeliveryTests_SmtpServer_INCLUDED
#define DeliveryTests_SmtpServer_INCLUDED

#include "delivery/SmtpSettings.h"
#include <Poco/JSON/Object.h>
#include <Poco/Process.h>
#include <memory>
#include <string>
#include <vector>

namespace DeliveryTests
{
/// smtp_server.py (aiosmtpd) as a child process, on 127.0.0.1: a STARTTLS port and an
/// implicit-TLS port, AUTH for "mailer" / "s3cret pass", 550 for recipients "reject...", 451
/// for "later...", a dropped connection after the message for "vanish...". It saves what it
/// receives in its folder.
class SmtpServer
{
public:
    static const char* const USER;
    static const char* const PASSWORD;

    SmtpServer(const std::string& folder, const std::vector<std::string>& options = {});
    /// Starts the server with smtp_server.py's options ("--idle-timeout", "1", "--no-plain")
    /// and waits until both ports listen. Throws Poco::RuntimeException, with the server's
    /// log, when it does not come up within 20 seconds.

    ~SmtpServer();
    /// Kills the server.

    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    MassMailing::SmtpSettings settings() const;
    /// STARTTLS on port(), AUTH as the test user, no certificate check, a 10 s timeout.

    Poco::UInt16 port() const { return _port; }
    Poco::UInt16 tlsPort() const { return _tlsPort; }

    int connections() const;
    /// TCP connections the server accepted so far.

    std::size_t receivedCount() const;
    std::string received(std::size_t number) const;
    /// The bytes of the number-th message received (from 1), as the server read them.

    Poco::JSON::Object::Ptr receivedInfo(std::size_t number) const;
    /// Its envelope and what Python's email package made of it: mail_from, rcpt_tos,
    /// subject, from, defects, text, tls, login, mechanism.

    std::string log() const;

    static Poco::UInt16 closedPort();
    /// A port of 127.0.0.1 where nothing listens.

private:
    std::string _folder;
    std::unique_ptr<Poco::ProcessHandle> _process;
    Poco::UInt16 _port = 0;
    Poco::UInt16 _tlsPort = 0;
};
} // namespace DeliveryTests

#endif
