#include "SmtpTransport.h"
#include "Base64.h"
#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <algorithm>
#include <climits>
#include <csignal>
#include <cstring>
#include <map>
#include <poll.h>
#include <pthread.h>
#include <sstream>
#include <sys/socket.h>

namespace MassMailing
{
namespace
{
const std::size_t BLOCK = 65536;
const std::size_t MAX_REPLY = 65536;
const Poco::Timespan QUIT_TIMEOUT(5, 0);
const Poco::Timespan PROBE_TIMEOUT(0, 20000);
const char CRLF[] = "\r\n";

// A write to a connection the server has closed raises SIGPIPE, whose default action ends
// the host process, and OpenSSL writes with write(), so MSG_NOSIGNAL cannot help. Blocks the
// signal in this thread while the guard lives, and swallows the one a write raised. Without
// TLS our own writes pass MSG_NOSIGNAL: the guard is off (four system calls a message saved).
class SigpipeGuard
{
public:
    explicit SigpipeGuard(bool active = true) : _active(active)
    {
        if (!_active)
            return;
        sigemptyset(&_pipe);
        sigaddset(&_pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        _wasPending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &_pipe, &_old);
    }

    ~SigpipeGuard()
    {
        if (!_active)
            return;
        if (!_wasPending)
        {
            sigset_t pending;
            sigemptyset(&pending);
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1)
            {
                const timespec zero = {0, 0};
                sigtimedwait(&_pipe, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &_old, nullptr);
    }

    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t _pipe;
    sigset_t _old;
    bool _active;
    bool _wasPending = false;
};

std::string describe(int code, const std::string& text)
{
    return std::to_string(code) + (text.empty() ? "" : " " + text);
}
} // namespace

SmtpTransport::SmtpTransport(const SmtpSettings& settings) : _settings(settings)
{
    if (_settings.host.empty())
        throw Poco::InvalidArgumentException("SMTP host is empty");
    if (_settings.port == 0)
        throw Poco::InvalidArgumentException("SMTP port is 0");
    if (_settings.tls != SmtpSettings::TlsMode::None)
    {
        Poco::Net::Context::Params params;
        params.verificationMode = _settings.verifyCertificate ? Poco::Net::Context::VERIFY_RELAXED
                                                              : Poco::Net::Context::VERIFY_NONE;
        params.loadDefaultCAs = _settings.verifyCertificate;
        params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
        _context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        _context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        // Our own handler, so that a handler installed for the whole process (by the host's
        // configuration) never accepts a certificate on our behalf.
        _context->setInvalidCertificateHandler(new Poco::Net::RejectCertificateHandler(false));
    }
    _output.reserve(BLOCK + 1024);
}

SmtpTransport::~SmtpTransport()
{
    close();
}

void SmtpTransport::send(const Envelope& envelope, const std::string& message)
{
    envelope.check();
    SigpipeGuard guard(_settings.tls != SmtpSettings::TlsMode::None);
    _lastRejections.clear();

    // Prepared for this very message: its commands are on the wire, their answers to read.
    const bool prepared =
        !_prepared.empty() && _connected && _prepared == envelopeCommands(envelope, message);
    if (!_prepared.empty() && !prepared)
        drop(); // the transaction prepared for another message must not go on
    _prepared.clear();
    if (!prepared)
    {
        if (_connected && _settings.maxMessagesPerConnection > 0 &&
            _messagesOnConnection >= _settings.maxMessagesPerConnection)
            quit();
        if (_connected && !idleConnectionUsable())
            drop();
    }

    for (bool retried = false;; retried = true)
    {
        const bool reused = _connected;
        bool started = false;
        try
        {
            if (!_connected)
                open();
            transaction(envelope, message, started, prepared && !retried);
            return;
        }
        catch (const TransportException& failure)
        {
            // A connection the server closed under us, before the first reply to MAIL FROM:
            // nothing of this message reached it, so a new connection is just as good.
            const bool closedUnderUs = failure.replyCode() == 0 || failure.replyCode() == 421;
            if (!reused || retried || started || !closedUnderUs)
                throw;
            drop();
        }
    }
}

void SmtpTransport::prepare(const Envelope& envelope, const std::string& message)
{
    abandon();
    if (!_connected || !_pipelining ||
        (_settings.maxMessagesPerConnection > 0 &&
         _messagesOnConnection >= _settings.maxMessagesPerConnection))
        return;
    try
    {
        envelope.check();
    }
    catch (const Poco::Exception&)
    {
        return; // send() says why
    }
    SigpipeGuard guard(_settings.tls != SmtpSettings::TlsMode::None);
    if (!idleConnectionUsable())
    {
        drop();
        return;
    }
    std::string commands = envelopeCommands(envelope, message);
    try
    {
        write(commands, Stage::Sender);
    }
    catch (const TransportException&)
    {
        return; // dropped: send() connects again
    }
    _prepared = std::move(commands);
}

void SmtpTransport::abandon()
{
    if (!_prepared.empty())
        drop();
}

void SmtpTransport::close()
{
    SigpipeGuard guard(_settings.tls != SmtpSettings::TlsMode::None);
    quit();
}

SmtpTransport::CheckResult SmtpTransport::check(const SmtpSettings& settings, const std::string& sender)
{
    SigpipeGuard guard;
    CheckResult result;
    try
    {
        Poco::Net::SocketAddress(settings.host, settings.port); // a name that does not resolve is DNS's
    }
    catch (const Poco::Exception& error)
    {
        result.step = "dns";
        result.message = "cannot resolve " + settings.host + ": " + error.displayText();
        return result;
    }
    try
    {
        SmtpTransport transport(settings);
        transport.open();
        const Reply reply = transport.exchange("MAIL FROM:<" + sender + ">", Stage::Sender);
        if (reply.code != 250)
            transport.failTransaction(transport.where() + " refused the sender " + sender, reply,
                                      Stage::Sender);
        transport.reset();
        transport.quit();
        result.ok = true;
    }
    catch (const TransportException& error)
    {
        static const std::map<Stage, const char*> steps = {
            {Stage::Connect, "tcp"}, {Stage::Tls, "tls"}, {Stage::Authentication, "auth"}};
        auto step = steps.find(error.stage());
        result.step = step == steps.end() ? "sender" : step->second;
        result.message = error.message();
    }
    catch (const Poco::Exception& error)
    {
        result.step = "tls";
        result.message = error.displayText();
    }
    return result;
}

void SmtpTransport::open()
{
    drop();
    ++_connectionCount;
    _messagesOnConnection = 0;
    _startTls = _pipelining = _size = _authPlain = _authLogin = false;
    try
    {
        const Poco::Net::SocketAddress address(_settings.host, _settings.port);
        Poco::Net::StreamSocket socket;
        socket.connect(address, _settings.timeout);
        socket.setReceiveTimeout(_settings.timeout);
        socket.setSendTimeout(_settings.timeout);
        socket.setNoDelay(true);
        _socket = socket;
        _connected = true;
    }
    catch (const Poco::Exception& error)
    {
        drop();
        throw TransportException("cannot connect to " + where() + ": " + error.displayText(), 0,
                                 error.displayText(), Stage::Connect);
    }

    if (_settings.tls == SmtpSettings::TlsMode::Tls)
        upgradeToTls();
    const Reply greeting = readReply(Stage::Connect);
    if (greeting.code != 220)
        failConnection(where() + " refused the connection", greeting, Stage::Connect);
    hello();
    if (_settings.tls == SmtpSettings::TlsMode::StartTls)
    {
        if (!_startTls)
            failConnection(where() + " does not offer STARTTLS", Reply(), Stage::Tls);
        const Reply reply = exchange("STARTTLS", Stage::Tls);
        if (reply.code != 220)
            failConnection("STARTTLS refused by " + where(), reply, Stage::Tls);
        upgradeToTls();
        hello();
    }
    if (!_settings.user.empty())
        authenticate();
}

void SmtpTransport::hello()
{
    std::string name = _settings.heloName;
    if (name.empty())
    {
        try
        {
            name = Poco::Net::DNS::hostName();
        }
        catch (const Poco::Exception&)
        {
        }
        if (name.empty())
            name = "localhost";
    }
    Reply reply = exchange("EHLO " + name, Stage::Connect);
    if ((reply.code == 500 || reply.code == 502) && _settings.tls == SmtpSettings::TlsMode::None &&
        _settings.user.empty())
    {
        // A server from before ESMTP: plain HELO, no extensions.
        reply = exchange("HELO " + name, Stage::Connect);
        if (reply.code != 250)
            failConnection("HELO refused by " + where(), reply, Stage::Connect);
        return;
    }
    if (reply.code != 250)
        failConnection("EHLO refused by " + where(), reply, Stage::Connect);

    _startTls = _pipelining = _size = _authPlain = _authLogin = false;
    for (std::size_t i = 1; i < reply.lines.size(); ++i)
    {
        std::string line = Poco::toUpper(reply.lines[i]);
        // "AUTH=LOGIN PLAIN" is how some old servers announce AUTH.
        if (line.compare(0, 5, "AUTH=") == 0)
            line[4] = ' ';
        std::istringstream words(line);
        std::string keyword;
        words >> keyword;
        if (keyword == "STARTTLS")
            _startTls = true;
        else if (keyword == "PIPELINING")
            _pipelining = true;
        else if (keyword == "SIZE")
            _size = true;
        else if (keyword == "AUTH")
        {
            for (std::string mechanism; words >> mechanism;)
            {
                _authPlain = _authPlain || mechanism == "PLAIN";
                _authLogin = _authLogin || mechanism == "LOGIN";
            }
        }
    }
}

void SmtpTransport::upgradeToTls()
{
    // RFC 3207: whatever the server sent before the handshake is not to be trusted.
    _input.clear();
    _inputStart = 0;
    try
    {
        _socket = Poco::Net::SecureStreamSocket::attach(_socket, _settings.host, _context);
    }
    catch (const Poco::Exception& error)
    {
        drop();
        throw TransportException("TLS with " + where() + " failed: " + error.displayText(), 0,
                                 error.displayText(), Stage::Tls);
    }
}

void SmtpTransport::authenticate()
{
    if (!_authPlain && !_authLogin)
        failConnection(where() + " offers no AUTH PLAIN or LOGIN" +
                           (_settings.tls == SmtpSettings::TlsMode::None
                                ? " (most servers offer AUTH only over TLS)"
                                : ""),
                       Reply(), Stage::Authentication);
    Reply reply;
    if (_authPlain)
    {
        reply = exchange("AUTH PLAIN " +
                             base64(std::string(1, '\0') + _settings.user + '\0' + _settings.password),
                         Stage::Authentication);
    }
    else
    {
        reply = exchange("AUTH LOGIN", Stage::Authentication);
        if (reply.code == 334)
            reply = exchange(base64(_settings.user), Stage::Authentication);
        if (reply.code == 334)
            reply = exchange(base64(_settings.password), Stage::Authentication);
    }
    if (reply.code != 235)
        failConnection(where() + " refused the login of " + _settings.user, reply, Stage::Authentication);
}

std::string SmtpTransport::envelopeCommands(const Envelope& envelope, const std::string& message) const
{
    std::string commands = "MAIL FROM:<" + envelope.from + ">";
    if (_size)
        commands += " SIZE=" + std::to_string(message.size());
    commands += CRLF;
    for (const std::string& recipient : envelope.recipients)
        commands += "RCPT TO:<" + recipient + ">" + CRLF;
    commands += "DATA";
    commands += CRLF;
    return commands;
}

void SmtpTransport::transaction(const Envelope& envelope, const std::string& message, bool& started,
                                bool commandsSent)
{
    std::string mail = "MAIL FROM:<" + envelope.from + ">";
    if (_size)
        mail += " SIZE=" + std::to_string(message.size());
    // With PIPELINING the whole envelope and DATA go in one write (perhaps ahead, by prepare());
    // the replies come in order.
    if (_pipelining)
    {
        if (!commandsSent)
            write(envelopeCommands(envelope, message), Stage::Sender);
    }
    else
        write(mail + CRLF, Stage::Sender);

    const Reply mailReply = readReply(Stage::Sender);
    started = mailReply.code != 421; // a 421 closes the connection before anything was sent
    ++_messagesOnConnection;
    if (mailReply.code != 250)
    {
        if (_pipelining && _connected)
        {
            // Read the answers to the RCPT TOs and to DATA, all refusals, before RSET.
            Reply reply;
            for (std::size_t i = 0; i <= envelope.recipients.size() && _connected; ++i)
                reply = readReply(Stage::Sender);
            if (reply.code == 354)
            {
                write(std::string(".") + CRLF, Stage::Sender);
                readReply(Stage::Sender);
            }
        }
        failTransaction(mail + " refused by " + where(), mailReply, Stage::Sender);
    }

    std::vector<TransportException::Rejection> rejections;
    std::size_t accepted = 0;
    for (const std::string& recipient : envelope.recipients)
    {
        if (!_pipelining)
            write("RCPT TO:<" + recipient + ">" + CRLF, Stage::Recipients);
        const Reply reply = readReply(Stage::Recipients);
        if (reply.code == 250 || reply.code == 251)
            ++accepted;
        else
        {
            rejections.push_back({recipient, reply.code, reply.text});
            if (!_connected) // 421: the server is going away
                failTransaction("RCPT TO:<" + recipient + "> refused by " + where(), reply, Stage::Recipients,
                                rejections);
        }
    }

    if (!_pipelining && accepted > 0)
        write(std::string("DATA") + CRLF, Stage::Data);
    Reply dataReply;
    if (_pipelining || accepted > 0)
        dataReply = readReply(Stage::Data);

    if (accepted == 0)
    {
        if (dataReply.code == 354) // a server that took DATA without recipient: end it empty
        {
            write(std::string(".") + CRLF, Stage::Data);
            readReply(Stage::Data);
        }
        // The most hopeful answer decides: a temporary refusal of one recipient is worth a retry.
        const auto chosen =
            std::find_if(rejections.begin(), rejections.end(),
                         [](const TransportException::Rejection& r) { return r.replyCode < 500; });
        const TransportException::Rejection& decisive =
            chosen != rejections.end() ? *chosen : rejections.front();
        Reply reply;
        reply.code = decisive.replyCode;
        reply.text = decisive.serverText;
        const std::string what = rejections.size() == 1
                                     ? "RCPT TO:<" + decisive.recipient + "> refused by " + where()
                                     : "all " + std::to_string(rejections.size()) +
                                           " recipients refused by " + where() + "; " + decisive.recipient;
        failTransaction(what, reply, Stage::Recipients, std::move(rejections));
    }
    if (dataReply.code != 354)
        failTransaction("DATA refused by " + where(), dataReply, Stage::Data);

    writeMessage(message);
    Reply verdict;
    try
    {
        verdict = readReply(Stage::Data);
    }
    catch (const TransportException& failure)
    {
        throw TransportException(
            "no answer from " + where() +
                " after the whole message was sent; it may have been accepted: " + failure.serverText(),
            0, failure.serverText(), Stage::Data, true);
    }
    if (verdict.code != 250)
    {
        // The transaction is over either way: no RSET needed.
        throw TransportException("message refused by " + where() + ": " +
                                     describe(verdict.code, verdict.text),
                                 verdict.code, verdict.text, Stage::Data);
    }
    _lastRejections = std::move(rejections);
}

void SmtpTransport::writeMessage(const std::string& message)
{
    const char* const begin = message.data();
    const char* const end = begin + message.size();
    const char* line = begin;
    _output.clear();
    bool lineOpen = false;
    while (line < end)
    {
        if (*line == '.')
            _output += '.';
        const char* newline =
            static_cast<const char*>(std::memchr(line, '\n', static_cast<std::size_t>(end - line)));
        if (newline == nullptr)
        {
            _output.append(line, end);
            lineOpen = true;
            break;
        }
        if (newline == begin || newline[-1] != '\r')
        {
            _output.append(line, newline);
            _output += CRLF;
        }
        else
            _output.append(line, newline + 1);
        line = newline + 1;
        if (_output.size() >= BLOCK)
        {
            write(_output, Stage::Data);
            _output.clear();
        }
    }
    if (lineOpen)
        _output += CRLF;
    _output += ".";
    _output += CRLF;
    write(_output, Stage::Data);
    _output.clear();
}

bool SmtpTransport::idleConnectionUsable()
{
    if (_inputStart < _input.size())
        return false; // the server said something unasked: a 421 before closing
    try
    {
        // poll(2) itself: Poco's Socket::poll makes and closes an epoll set each time, four
        // system calls for every message.
        pollfd readable{_socket.impl()->sockfd(), POLLIN, 0};
        const int ready = ::poll(&readable, 1, 0);
        if (ready == 0)
            return true;
        if (ready < 0)
            return false;
        // Readable: the end of the connection, a 421, or (TLS 1.3) only session tickets,
        // which leave nothing to read.
        char probe[512];
        _socket.setReceiveTimeout(PROBE_TIMEOUT);
        _socket.receiveBytes(probe, sizeof probe);
        _socket.setReceiveTimeout(_settings.timeout);
        return false; // bytes or the end of the connection: either way it is over
    }
    catch (const Poco::TimeoutException&)
    {
        _socket.setReceiveTimeout(_settings.timeout);
        return true;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

SmtpTransport::Reply SmtpTransport::exchange(const std::string& command, Stage stage)
{
    write(command + CRLF, stage);
    return readReply(stage);
}

SmtpTransport::Reply SmtpTransport::readReply(Stage stage)
{
    Reply reply;
    std::size_t size = 0;
    std::string line;
    for (;;)
    {
        readLine(line, stage);
        size += line.size();
        const bool wellFormed =
            line.size() >= 3 &&
            std::all_of(line.begin(), line.begin() + 3, [](char c) { return c >= '0' && c <= '9'; }) &&
            (line.size() == 3 || line[3] == ' ' || line[3] == '-');
        if (!wellFormed || size > MAX_REPLY)
        {
            drop();
            throw TransportException(where() + " answered something that is not SMTP: \"" +
                                         line.substr(0, 200) + "\"",
                                     0, line.substr(0, 200), stage);
        }
        if (reply.code == 0)
            reply.code = std::stoi(line.substr(0, 3));
        std::string text = line.size() > 4 ? line.substr(4) : std::string();
        if (!text.empty())
        {
            if (!reply.text.empty())
                reply.text += ' ';
            reply.text += text;
        }
        reply.lines.push_back(std::move(text));
        if (line.size() == 3 || line[3] == ' ')
            break;
    }
    if (reply.code == 421) // the server is closing the connection
        drop();
    return reply;
}

void SmtpTransport::readLine(std::string& line, Stage stage)
{
    for (;;)
    {
        const std::size_t newline = _input.find('\n', _inputStart);
        if (newline != std::string::npos)
        {
            std::size_t length = newline - _inputStart;
            if (length > 0 && _input[newline - 1] == '\r')
                --length;
            line.assign(_input, _inputStart, length);
            _inputStart = newline + 1;
            if (_inputStart == _input.size())
            {
                _input.clear();
                _inputStart = 0;
            }
            return;
        }
        if (_input.size() - _inputStart > MAX_REPLY)
        {
            drop();
            throw TransportException(where() + " sent a line longer than 64 KB", 0, "line too long", stage);
        }
        _input.erase(0, _inputStart);
        _inputStart = 0;
        char buffer[4096];
        int received = 0;
        try
        {
            received = _socket.receiveBytes(buffer, sizeof buffer);
        }
        catch (const Poco::Exception& error)
        {
            lost("connection to " + where() + " lost", error.displayText(), stage);
        }
        if (received <= 0)
            lost(where() + " closed the connection", "connection closed", stage);
        _input.append(buffer, static_cast<std::size_t>(received));
    }
}

void SmtpTransport::write(const char* data, std::size_t size, Stage stage)
{
    if (!_connected)
        lost("connection to " + where() + " lost", "not connected", stage);
    try
    {
        while (size > 0)
        {
            const int sent =
                _socket.sendBytes(data, static_cast<int>(std::min<std::size_t>(size, INT_MAX)), MSG_NOSIGNAL);
            if (sent <= 0)
                throw Poco::Net::ConnectionResetException("nothing written");
            data += sent;
            size -= static_cast<std::size_t>(sent);
        }
    }
    catch (const Poco::Exception& error)
    {
        lost("connection to " + where() + " lost", error.displayText(), stage);
    }
}

void SmtpTransport::failConnection(const std::string& what, const Reply& reply, Stage stage)
{
    quit();
    throw TransportException(reply.code == 0 ? what : what + ": " + describe(reply.code, reply.text),
                             reply.code, reply.text, stage);
}

void SmtpTransport::failTransaction(const std::string& what, const Reply& reply, Stage stage,
                                    std::vector<TransportException::Rejection> rejections)
{
    reset();
    throw TransportException(what + ": " + describe(reply.code, reply.text), reply.code, reply.text, stage,
                             false, std::move(rejections));
}

void SmtpTransport::lost(const std::string& what, const std::string& error, Stage stage)
{
    drop();
    throw TransportException(what + ": " + error, 0, error, stage);
}

void SmtpTransport::reset()
{
    if (!_connected)
        return;
    try
    {
        if (exchange("RSET", Stage::Sender).code != 250)
            quit();
    }
    catch (const Poco::Exception&)
    {
        drop();
    }
}

void SmtpTransport::quit()
{
    if (!_connected)
        return;
    if (!_prepared.empty())
    {
        drop(); // after DATA the server would take QUIT for the message's text
        return;
    }
    try
    {
        _socket.setReceiveTimeout(std::min(_settings.timeout, QUIT_TIMEOUT));
        write(std::string("QUIT") + CRLF, Stage::Connect);
        readReply(Stage::Connect);
    }
    catch (const Poco::Exception&)
    {
    }
    drop();
}

void SmtpTransport::drop()
{
    if (_connected)
    {
        try
        {
            _socket.close();
        }
        catch (const Poco::Exception&)
        {
        }
    }
    _socket = Poco::Net::StreamSocket();
    _connected = false;
    _input.clear();
    _inputStart = 0;
    _prepared.clear();
}

std::string SmtpTransport::where() const
{
    return _settings.host + ":" + std::to_string(_settings.port);
}
} // namespace MassMailing
