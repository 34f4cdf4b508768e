#ifndef MassMailing_SmtpTransport_INCLUDED
#define MassMailing_SmtpTransport_INCLUDED

#include "delivery/SmtpSettings.h"
#include "delivery/Transport.h"
#include "delivery/TransportException.h"
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>
#include <cstddef>
#include <string>
#include <vector>

namespace MassMailing
{
/// Sends messages to one SMTP server (a relay or the provider's submission server) over
/// one connection kept open across send() calls.
///
/// The connection is made at the first send(): EHLO, then STARTTLS and EHLO again (or TLS
/// from the first byte), then AUTH PLAIN or LOGIN when a user is set. It is made anew,
/// without the caller noticing, when the server closed it while idle (or closes it as
/// MAIL FROM is sent: nothing of the message had been sent then) and after
/// maxMessagesPerConnection messages. The destructor says QUIT.
///
/// Each message is one transaction: MAIL FROM (with SIZE when the server announces it),
/// RCPT TO for each recipient (the message goes when at least one is accepted; the refused
/// ones are in lastRejections()), DATA, then the message's bytes, dot-stuffed (a bare LF
/// becomes CRLF, a last line without line break gets one) and written in blocks of 64 KB
/// straight to the socket, ended by CRLF.CRLF. When the server announces PIPELINING,
/// MAIL FROM, the RCPT TOs and DATA go in one write. A refused transaction is followed by
/// RSET, so the connection serves the next message.
///
/// Not thread-safe: give each delivery worker its own transport (its own connection).
class SmtpTransport : public Transport
{
public:
    explicit SmtpTransport(const SmtpSettings& settings);
    /// Connects nothing yet. Throws Poco::InvalidArgumentException for settings without
    /// host or port, and Poco::Net::SSLException when the TLS context cannot be made (the
    /// system's CA certificates cannot be read).

    ~SmtpTransport() override;
    /// Says QUIT (waiting a few seconds at most for the answer) and closes the connection.

    SmtpTransport(const SmtpTransport&) = delete;
    SmtpTransport& operator=(const SmtpTransport&) = delete;

    void send(const Envelope& envelope, const std::string& message) override;
    /// Sends one message, connecting first when needed. Throws
    /// Poco::InvalidArgumentException for an envelope Envelope::check() refuses, and
    /// TransportException when the message was not accepted: its reply code and server text
    /// are the server's answer (0 and the system's error when there was none), its stage
    /// says where the dialogue failed, rejections() lists the refused recipients when all
    /// were refused, and inDoubt() is true when the connection failed after the whole
    /// message was written (it may have been accepted: do not send it again).

    void prepare(const Envelope& envelope, const std::string& message) override;
    /// On an open connection whose server announced PIPELINING, writes MAIL FROM, RCPT TO and
    /// DATA for the next send() of this envelope and message without waiting for the answers,
    /// which send() reads: the message then costs one round trip less, and its bytes still go
    /// only in send(). Does nothing otherwise (first message of a connection, no PIPELINING,
    /// an invalid envelope). Never throws: a failed write just drops the connection.

    void abandon() override;
    /// Drops the connection when a message was prepared: the server, left waiting for the
    /// message's bytes, discards the transaction. Never throws.

    void close();
    /// Says QUIT and closes the connection, if there is one; the next send() connects
    /// again. Never throws.

    /// What a connection test found.
    struct CheckResult
    {
        bool ok = false;
        std::string step;    /// Where it failed: "dns", "tcp", "tls", "auth", "sender" (the module adds
                             /// "settings" for settings it cannot read); empty when ok.
        std::string message; /// What failed, with the server's answer; never the password.
    };

    static CheckResult check(const SmtpSettings& settings, const std::string& sender);
    /// The settings screen's "test the connection": resolves the host, connects as send() does
    /// (greeting, EHLO, TLS, AUTH), then says MAIL FROM sender, RSET and QUIT: nothing is sent.
    /// Never throws.

    bool connected() const { return _connected; }
    /// True while a connection is open (the server may have closed it since).

    std::size_t connectionCount() const { return _connectionCount; }
    /// The connections opened since construction, successfully or not.

    const std::vector<TransportException::Rejection>& lastRejections() const { return _lastRejections; }
    /// The recipients refused by the last send() that succeeded: the message went to the
    /// others.

    const SmtpSettings& settings() const { return _settings; }

private:
    using Stage = TransportException::Stage;

    struct Reply
    {
        int code = 0;
        std::string text;               // every line without its code, joined by spaces
        std::vector<std::string> lines; // every line without its code
    };

    void open();
    void hello();
    void upgradeToTls();
    void authenticate();
    void transaction(const Envelope& envelope, const std::string& message, bool& started, bool commandsSent);
    std::string envelopeCommands(const Envelope& envelope, const std::string& message) const;
    void writeMessage(const std::string& message);
    bool idleConnectionUsable();

    Reply exchange(const std::string& command, Stage stage);
    Reply readReply(Stage stage);
    void readLine(std::string& line, Stage stage);
    void write(const char* data, std::size_t size, Stage stage);
    void write(const std::string& data, Stage stage) { write(data.data(), data.size(), stage); }

    [[noreturn]] void failConnection(const std::string& what, const Reply& reply, Stage stage);
    [[noreturn]] void failTransaction(const std::string& what, const Reply& reply, Stage stage,
                                      std::vector<TransportException::Rejection> rejections = {});
    [[noreturn]] void lost(const std::string& what, const std::string& error, Stage stage);
    void reset();
    void quit();
    void drop();
    std::string where() const;

    SmtpSettings _settings;
    Poco::Crypto::OpenSSLInitializer _openSsl;
    Poco::Net::Context::Ptr _context;
    Poco::Net::StreamSocket _socket;
    bool _connected = false;
    std::size_t _connectionCount = 0;
    std::size_t _messagesOnConnection = 0;

    // What the server announced in its EHLO reply.
    bool _startTls = false;
    bool _pipelining = false;
    bool _size = false;
    bool _authPlain = false;
    bool _authLogin = false;

    std::string _input; // received bytes not yet read as a reply
    std::size_t _inputStart = 0;
    std::string _output; // the dot-stuffed block being written
    std::vector<TransportException::Rejection> _lastRejections;
    std::string _prepared; // the commands prepare() wrote, whose answers are still to be read
};
} // namespace MassMailing

#endif
