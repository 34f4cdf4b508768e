#ifndef MassMailing_SmtpSettings_INCLUDED
#define MassMailing_SmtpSettings_INCLUDED

#include <Poco/Timespan.h>
#include <Poco/Types.h>
#include <cstddef>
#include <functional>
#include <string>

namespace MassMailing
{
/// How SmtpTransport reaches its server.
struct SmtpSettings
{
    enum class TlsMode
    {
        None,     /// Plain text: a relay on the same machine or network only.
        StartTls, /// Upgraded with STARTTLS (port 587); never falls back to plain text.
        Tls       /// TLS from the first byte ("implicit TLS", port 465).
    };

    std::string host;
    Poco::UInt16 port = 587;
    TlsMode tls = TlsMode::StartTls;
    std::string user; /// Empty: no AUTH.
    std::string password;
    std::string heloName; /// The name given in EHLO; empty: this machine's host name.
    Poco::Timespan timeout = Poco::Timespan(120, 0);
    /// For connecting, and for each read and write.
    bool verifyCertificate = true;
    /// Checks the server's certificate against the system's CAs and the host name. Only
    /// tests against a self-signed certificate turn it off.
    std::size_t maxMessagesPerConnection = 100;
    /// A new connection after that many messages (many providers cap it); 0: no limit.

    using Getter = std::function<std::string(const std::string& key)>;

    static SmtpSettings parse(const Getter& get);
    /// Reads massmailing.smtp.host, .port, .tls ("none", "starttls", "tls"), .user,
    /// .password and .verify ("true"/"false", "yes"/"no", "1"/"0"; default true) through get,
    /// which returns "" for a key without value (a Poco::NotFoundException from it counts as
    /// ""). An empty port means the mode's port: 25, 587 or 465. Throws
    /// Poco::InvalidArgumentException naming the key for a missing host, a port that is
    /// not a number from 1 to 65535, an unknown TLS mode or verify value, a user without
    /// password or a password without user, and a host, user or password holding a control
    /// character.

    static void check(const std::string& key, const std::string& value);
    /// The rules parse() applies to this one key of massmailing.smtp. ("host", "port", "tls",
    /// "user", "password", "verify"), with the others at their defaults; the rules between
    /// keys (a user needs a password) are parse()'s. Throws Poco::InvalidArgumentException as
    /// parse() does.

    static const char* tlsModeName(TlsMode mode);
    /// "none", "starttls", "tls".
};
} // namespace MassMailing

#endif
