#ifndef MassMailing_TransportException_INCLUDED
#define MassMailing_TransportException_INCLUDED

#include <Poco/Exception.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// A message a transport could not hand over. It carries what the caller needs to decide
/// and to tell the user: the SMTP reply code (0 when there was no reply: connection
/// refused, timeout, closed connection, TLS failure, a full disk for the outbox), the
/// server's own text, the stage of the dialogue that failed, and whether the failure is
/// temporary (4xx and everything without a reply: try again later) or permanent (5xx:
/// record the server's text, do not try again).
class TransportException : public Poco::IOException
{
public:
    /// Where in the dialogue it failed. Connect, Tls and Authentication concern the
    /// connection (every message would fail the same way: pause rather than fail each
    /// recipient); Sender, Recipients and Data concern this message.
    enum class Stage
    {
        Connect,        /// DNS, TCP connection, the server's greeting, EHLO
        Tls,            /// STARTTLS or the TLS handshake, certificate verification
        Authentication, /// AUTH
        Sender,         /// MAIL FROM
        Recipients,     /// RCPT TO: every recipient was refused
        Data            /// DATA, the message's bytes, the server's verdict; writing the outbox file
    };

    /// A recipient the server refused at RCPT TO.
    struct Rejection
    {
        std::string recipient;
        int replyCode = 0;
        std::string serverText; /// the reply without its code, lines joined by spaces
    };

    TransportException(const std::string& message, int replyCode, const std::string& serverText, Stage stage,
                       bool inDoubt = false, std::vector<Rejection> rejections = {});
    /// message is what displayText() shows after the exception's name; replyCode also
    /// becomes Poco::Exception::code().

    int replyCode() const { return code(); }
    /// The SMTP reply code, 0 when the server gave none.

    const std::string& serverText() const { return _serverText; }
    /// The server's reply without its code ("5.1.1 <x@example.org>: mailbox unavailable"),
    /// or the system's description of the failure when there was no reply.

    Stage stage() const { return _stage; }

    bool temporary() const;
    /// True unless the reply code is 5xx.

    bool permanent() const { return !temporary(); }

    bool asksToSlowDown() const;
    /// True when the server asks us to send more slowly to its domain (D11), not only to wait
    /// for this one message: a 421 (the server closes the connection: every message waits), or
    /// a 451 whose meaning is a rate: the enhanced status code 4.7.28 (RFC 3463 class 4, subject
    /// 7 "security or policy"; Gmail's "unusual rate", its rate limit), or, whatever the code,
    /// the words "rate limit" (also "rate limited", "rate limiting", "ratelimit...", "rate
    /// exceeded"), "too many", "slow down" or a word starting with "throttl". Words are matched
    /// whole and never inside an address or a host name of the text: "<pirate@corporate.example>"
    /// holds no rate. "try again later" alone says nothing about the rate (greylisting of one
    /// address says it too), nor does a 450 or 452 (one mailbox, one message).

    bool inDoubt() const { return _inDoubt; }
    /// True when the whole message had been written and the connection failed before the
    /// server's verdict: it may have been accepted. Such a message must not be sent again
    /// automatically (temporary() is true, but the delivery model forbids the retry).

    const std::vector<Rejection>& rejections() const { return _rejections; }
    /// For Stage::Recipients: each refused recipient with its own reply.

    static const char* stageName(Stage stage);
    /// "connect", "tls", "authentication", "sender", "recipients", "data".

    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    std::string _serverText;
    Stage _stage;
    bool _inDoubt;
    std::vector<Rejection> _rejections;
};
} // namespace MassMailing

#endif
