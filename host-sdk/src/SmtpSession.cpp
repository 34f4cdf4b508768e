#include "SmtpSession.h"
#include <Poco/Ascii.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace CrmHost
{
namespace
{
// A DATA line longer than this is taken in pieces, so that no line fills the memory.
const std::size_t DATA_PIECE = 64 * 1024;
const std::size_t MAX_ADDRESS = 320;

// "FROM:<a@b> SIZE=12" after the verb: the address between the brackets and the parameters,
// or false for a syntax error.
bool parsePath(const std::string& arguments, const char* keyword, std::string& address,
               std::vector<std::string>& parameters)
{
    std::size_t n = std::char_traits<char>::length(keyword);
    if (arguments.size() < n || Poco::icompare(arguments.substr(0, n), keyword) != 0)
        return false;
    std::size_t pos = n;
    while (pos < arguments.size() && arguments[pos] == ' ')
        ++pos;
    if (pos >= arguments.size() || arguments[pos] != '<')
        return false;
    std::size_t close = arguments.find('>', pos);
    if (close == std::string::npos)
        return false;
    address = arguments.substr(pos + 1, close - pos - 1);
    // A source route ("<@relay:user@domain>") is ignored, as RFC 5321 says.
    if (!address.empty() && address[0] == '@')
    {
        std::size_t colon = address.find(':');
        if (colon == std::string::npos)
            return false;
        address = address.substr(colon + 1);
    }
    if (address.size() > MAX_ADDRESS)
        return false;
    for (char c : address)
        if (Poco::Ascii::isSpace(c) || (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) || c == '<' ||
            c == '>')
            return false;
    std::string rest = arguments.substr(close + 1);
    std::size_t start = 0;
    while (start < rest.size())
    {
        std::size_t space = rest.find(' ', start);
        if (space == std::string::npos)
            space = rest.size();
        if (space > start)
            parameters.push_back(rest.substr(start, space - start));
        start = space + 1;
    }
    return true;
}
} // namespace

SmtpSession::SmtpSession(std::string hostName, Limits limits, Store store)
    : _hostName(std::move(hostName)), _limits(limits), _store(std::move(store))
{
}

std::string SmtpSession::greeting() const
{
    return "220 " + _hostName + " ESMTP crmhost\r\n";
}

std::string SmtpSession::timeout()
{
    _closed = true;
    return "421 4.4.2 " + _hostName + " timeout: closing the connection\r\n";
}

std::string SmtpSession::shutdown()
{
    _closed = true;
    return "421 4.3.2 " + _hostName + " is shutting down, try again later\r\n";
}

std::string SmtpSession::receive(const char* data, std::size_t size)
{
    std::string replies;
    for (std::size_t i = 0; i < size && !_closed; ++i)
    {
        char c = data[i];
        if (c != '\n')
        {
            if (_inData)
            {
                _line += c;
                if (_line.size() >= DATA_PIECE)
                {
                    // A last CR stays: it may be the CR of the line's CRLF.
                    bool cr = _line.back() == '\r';
                    if (cr)
                        _line.pop_back();
                    dataLine(_line, false);
                    _line.assign(cr ? "\r" : "");
                }
            }
            else if (_line.size() < _limits.maxLine)
                _line += c;
            else
                _overlong = true;
            continue;
        }
        if (!_line.empty() && _line.back() == '\r')
            _line.pop_back();
        std::string line;
        line.swap(_line);
        if (_inData)
        {
            if (_lineStart && line == ".")
                replies += endOfData();
            else
                dataLine(line, true);
        }
        else if (_overlong)
        {
            _overlong = false;
            replies +=
                refuse("500 5.5.2 Line too long (at most " + std::to_string(_limits.maxLine) + " bytes)");
        }
        else
            replies += command(line);
    }
    return replies;
}

void SmtpSession::dataLine(const std::string& line, bool complete)
{
    std::size_t skip = _lineStart && !line.empty() && line[0] == '.' ? 1 : 0; // dot-unstuffing
    _lineStart = complete;
    if (_tooBig)
        return;
    std::size_t added = line.size() - skip + (complete ? 2 : 0);
    if (_message.size() + added > _limits.maxSize)
    {
        _tooBig = true;
        std::string().swap(_message); // the rest is read and dropped
        return;
    }
    _message.append(line, skip, std::string::npos);
    if (complete)
        _message += "\r\n";
}

std::string SmtpSession::endOfData()
{
    _inData = false;
    _lineStart = true;
    std::string reply;
    if (_tooBig)
        reply = "552 5.3.4 Message too big (at most " + std::to_string(_limits.maxSize) + " bytes)\r\n";
    else
    {
        try
        {
            long id = _store(_message, _sender, _recipients);
            ++_stored;
            reply = "250 2.0.0 Ok: stored as message " + std::to_string(id) + "\r\n";
        }
        catch (const Poco::Exception&)
        {
            reply = "451 4.3.0 The message could not be stored, try again later\r\n";
        }
        catch (const std::exception&)
        {
            reply = "451 4.3.0 The message could not be stored, try again later\r\n";
        }
    }
    resetTransaction();
    return reply;
}

void SmtpSession::resetTransaction()
{
    _hasSender = false;
    _tooBig = false;
    _sender.clear();
    _recipients.clear();
    std::string().swap(_message);
}

std::string SmtpSession::refuse(const std::string& reply)
{
    if (++_errors >= _limits.maxErrors)
    {
        _closed = true;
        return reply + "\r\n421 4.7.0 " + _hostName + " too many errors, closing the connection\r\n";
    }
    return reply + "\r\n";
}

std::string SmtpSession::command(const std::string& line)
{
    std::string verb = Poco::toUpper(line.substr(0, line.find(' ')));
    std::string arguments = line.size() > verb.size() ? Poco::trim(line.substr(verb.size() + 1)) : "";
    if (verb == "EHLO" || verb == "HELO")
    {
        if (arguments.empty())
            return refuse("501 5.5.4 " + verb + " needs a domain or an address literal");
        _greeted = true;
        resetTransaction();
        if (verb == "HELO")
            return "250 " + _hostName + "\r\n";
        return "250-" + _hostName + "\r\n250-SIZE " + std::to_string(_limits.maxSize) +
               "\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n";
    }
    if (verb == "MAIL")
        return mail(arguments);
    if (verb == "RCPT")
        return rcpt(arguments);
    if (verb == "DATA")
    {
        if (!arguments.empty())
            return refuse("501 5.5.4 DATA takes no argument");
        if (!_hasSender)
            return refuse("503 5.5.1 MAIL FROM first");
        if (_recipients.empty())
            return refuse("554 5.5.1 No valid recipients");
        _inData = true;
        _lineStart = true;
        return "354 End data with <CR><LF>.<CR><LF>\r\n";
    }
    if (verb == "RSET")
    {
        resetTransaction();
        return "250 2.0.0 Ok\r\n";
    }
    if (verb == "NOOP")
        return "250 2.0.0 Ok\r\n";
    if (verb == "QUIT")
    {
        _closed = true;
        return "221 2.0.0 " + _hostName + " closing the connection\r\n";
    }
    if (verb == "VRFY")
        return "252 2.5.0 Cannot VRFY, but send and it will be tried\r\n";
    if (verb == "HELP")
        return "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT\r\n";
    if (verb == "STARTTLS" || verb == "AUTH" || verb == "BDAT" || verb == "EXPN" || verb == "ETRN")
        return refuse("502 5.5.1 " + verb + " is not supported here");
    return refuse("500 5.5.2 Command not recognised");
}

std::string SmtpSession::mail(const std::string& arguments)
{
    if (!_greeted)
        return refuse("503 5.5.1 HELO or EHLO first");
    if (_hasSender)
        return refuse("503 5.5.1 Sender already given (RSET to start again)");
    std::string address;
    std::vector<std::string> parameters;
    if (!parsePath(arguments, "FROM:", address, parameters))
        return refuse("501 5.1.7 Syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME]");
    for (const auto& parameter : parameters)
    {
        std::string name = Poco::toUpper(parameter.substr(0, parameter.find('=')));
        std::string value =
            parameter.find('=') == std::string::npos ? "" : parameter.substr(parameter.find('=') + 1);
        if (name == "SIZE")
        {
            Poco::UInt64 size = 0;
            if (!Poco::NumberParser::tryParseUnsigned64(value, size))
                return refuse("501 5.5.4 SIZE must be a number of bytes");
            if (size > _limits.maxSize)
                return refuse("552 5.3.4 Message too big (at most " + std::to_string(_limits.maxSize) +
                              " bytes)");
        }
        else if (name == "BODY")
        {
            std::string body = Poco::toUpper(value);
            if (body != "7BIT" && body != "8BITMIME")
                return refuse("501 5.5.4 BODY must be 7BIT or 8BITMIME");
        }
        else
            return refuse("555 5.5.4 Parameter " + name + " is not supported");
    }
    _hasSender = true;
    _sender = address;
    return "250 2.1.0 Ok\r\n";
}

std::string SmtpSession::rcpt(const std::string& arguments)
{
    if (!_hasSender)
        return refuse("503 5.5.1 MAIL FROM first");
    std::string address;
    std::vector<std::string> parameters;
    if (!parsePath(arguments, "TO:", address, parameters) || address.empty())
        return refuse("501 5.1.3 Syntax: RCPT TO:<address>");
    if (!parameters.empty())
        return refuse("555 5.5.4 RCPT TO takes no parameter here");
    if (_recipients.size() >= _limits.maxRecipients)
        return "452 4.5.3 Too many recipients (at most " + std::to_string(_limits.maxRecipients) + ")\r\n";
    _recipients.push_back(address);
    return "250 2.1.5 Ok\r\n";
}
} // namespace CrmHost
