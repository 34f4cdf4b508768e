#ifndef CrmHost_SmtpSession_INCLUDED
#define CrmHost_SmtpSession_INCLUDED

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace CrmHost
{
/// The server side of one SMTP conversation (RFC 5321) as a state machine fed with the bytes
/// the client sent, answering with the bytes to send back: no socket, so that it is tested and
/// fuzzed on its own. HELO, EHLO (SIZE, 8BITMIME, PIPELINING, ENHANCEDSTATUSCODES), MAIL FROM
/// (with <> and SIZE=), RCPT TO, DATA (dot-unstuffed), RSET, NOOP, VRFY, HELP, QUIT. Every line
/// and the message are bounded; a message over the limit is read to its end, dropped, and
/// answered 552. The 250 after DATA comes only once the store function returned.
class SmtpSession
{
public:
    struct Limits
    {
        std::size_t maxSize = 10 * 1024 * 1024; /// Bytes of a message, after dot-unstuffing.
        std::size_t maxRecipients = 100;        /// RCPT TO per message.
        std::size_t maxLine = 2048;             /// Bytes of a command line (RFC 5321 asks for 512).
        int maxErrors = 20;                     /// Refused commands before the session is closed.
    };

    using Store = std::function<long(const std::string& raw, const std::string& envelopeSender,
                                     const std::vector<std::string>& recipients)>;
    /// Stores a message and returns its id; throws when it could not (the client is told 451).

    SmtpSession(std::string hostName, Limits limits, Store store);

    std::string greeting() const;
    /// The 220 line that opens the conversation.
    std::string receive(const char* data, std::size_t size);
    /// Takes the next bytes of the client (any cut: half a line, many commands at once) and
    /// returns the replies they called for, "" when none yet.
    std::string timeout();
    /// The 421 to send when the client has been silent too long; the session is closed.
    std::string shutdown();
    /// The 421 to send when the host stops; the session is closed.
    bool closed() const { return _closed; }
    bool inData() const { return _inData; }
    std::size_t messagesStored() const { return _stored; }

private:
    std::string command(const std::string& line);
    std::string mail(const std::string& arguments);
    std::string rcpt(const std::string& arguments);
    std::string endOfData();
    void dataLine(const std::string& line, bool complete);
    std::string refuse(const std::string& reply);
    void resetTransaction();

    std::string _hostName;
    Limits _limits;
    Store _store;
    std::string _line;       // the line being received
    bool _overlong = false;  // the command line went past maxLine: refused at its end
    bool _greeted = false;   // HELO or EHLO seen
    bool _hasSender = false; // MAIL FROM seen
    bool _inData = false;    // between 354 and the final "."
    bool _lineStart = true;  // in DATA, the next bytes begin a line
    bool _tooBig = false;    // in DATA, the message went past maxSize
    bool _closed = false;
    int _errors = 0;
    std::size_t _stored = 0;
    std::string _sender;
    std::vector<std::string> _recipients;
    std::string _message;
};
} // namespace CrmHost

#endif
