#include "delivery/SmsGatewayTransport.h"
#include "Base64.h"
#include "delivery/TransportException.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sstream>

namespace MassMailing
{
namespace
{
std::string jsonEscaped(const std::string& value)
{
    std::string out;
    for (char c : value)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
            out += std::string("\\") + c;
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (byte < 0x20)
        {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", byte);
            out += escape;
        }
        else
            out += c;
    }
    return out;
}

std::string formEscaped(const std::string& value)
{
    std::string out;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
    return out;
}

TransportException refusal(const std::string& what, int code, const std::string& text,
                           TransportException::Stage stage, bool inDoubt = false)
{
    return TransportException("SMS gateway: " + what, code, text, stage, inDoubt);
}
} // namespace

SmsGatewayTransport::SmsGatewayTransport(SmsSettings settings) : _settings(std::move(settings))
{
    Poco::URI uri(_settings.url);
    _path = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
    if (uri.getScheme() == "https")
    {
        // The system's CAs, the gateway's name checked, TLS 1.2 at least (as SmtpTransport).
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = true;
        Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        _session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
    }
    else
        _session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    _session->setTimeout(_settings.timeout);
    _session->setKeepAlive(true);
}

SmsGatewayTransport::~SmsGatewayTransport() = default;

std::string SmsGatewayTransport::fill(const std::string& body, const std::string& contentType,
                                      const std::map<std::string, std::string>& values)
{
    const std::string type = Poco::toLower(contentType);
    const bool json = type.find("json") != std::string::npos;
    const bool form = type.find("x-www-form-urlencoded") != std::string::npos;
    std::string out;
    std::size_t at = 0;
    while (at < body.size())
    {
        std::size_t open = body.find("{{", at);
        std::size_t close = open == std::string::npos ? open : body.find("}}", open + 2);
        if (close == std::string::npos)
        {
            out += body.substr(at);
            break;
        }
        out += body.substr(at, open - at);
        auto found = values.find(Poco::trim(body.substr(open + 2, close - open - 2)));
        if (found == values.end())
            out += body.substr(open, close + 2 - open);
        else
            out += json ? jsonEscaped(found->second) : form ? formEscaped(found->second) : found->second;
        at = close + 2;
    }
    return out;
}

std::string SmsGatewayTransport::idFrom(const std::string& where, const std::string& answer)
{
    if (where.empty())
        return {};
    if (where.compare(0, 6, "regex:") == 0)
    {
        Poco::RegularExpression expression(where.substr(6));
        std::vector<std::string> groups;
        if (expression.split(answer, groups) >= 2)
            return groups[1];
        return {};
    }
    try
    {
        Poco::Dynamic::Var node = Poco::JSON::Parser().parse(answer);
        std::size_t at = 1;
        while (at <= where.size())
        {
            std::size_t next = where.find('/', at);
            std::string token = where.substr(at, next == std::string::npos ? std::string::npos : next - at);
            Poco::replaceInPlace(token, std::string("~1"), std::string("/"));
            Poco::replaceInPlace(token, std::string("~0"), std::string("~"));
            if (node.type() == typeid(Poco::JSON::Object::Ptr))
                node = node.extract<Poco::JSON::Object::Ptr>()->get(token);
            else if (node.type() == typeid(Poco::JSON::Array::Ptr))
            {
                unsigned index = 0;
                if (!Poco::NumberParser::tryParseUnsigned(token, index))
                    return {};
                node = node.extract<Poco::JSON::Array::Ptr>()->get(index);
            }
            else
                return {};
            if (next == std::string::npos)
                break;
            at = next + 1;
        }
        return node.isEmpty() ? std::string() : node.convert<std::string>();
    }
    catch (const Poco::Exception&)
    {
        return {};
    }
}

void SmsGatewayTransport::send(const Envelope& envelope, const std::string& text)
{
    envelope.check();
    _last.clear();
    const std::string body = fill(_settings.body, _settings.contentType,
                                  {{"to", envelope.recipients.front()},
                                   {"text", text},
                                   {"from", _settings.from},
                                   {"id", envelope.from}});
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, _path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType(_settings.contentType);
    request.setContentLength(std::streamsize(body.size()));
    request.setKeepAlive(true);
    if (_settings.auth == "basic")
        request.set("Authorization", "Basic " + base64(_settings.user + ":" + _settings.password));
    else if (_settings.auth == "bearer")
        request.set("Authorization", "Bearer " + _settings.password);
    else if (_settings.auth == "header")
        request.set(_settings.user, _settings.password);
    try
    {
        _session->sendRequest(request) << body;
    }
    catch (const Poco::Exception& error)
    {
        // Nothing reached the gateway, or not whole: it has no SMS to send.
        _session->reset();
        throw refusal("cannot reach " + _settings.url + ": " + error.displayText(), 0, error.displayText(),
                      TransportException::Stage::Connect);
    }
    Poco::Net::HTTPResponse response;
    std::string answer;
    try
    {
        std::istream& in = _session->receiveResponse(response);
        Poco::StreamCopier::copyToString(in, answer, 65536);
    }
    catch (const Poco::Exception& error)
    {
        _session->reset();
        throw refusal("no answer after the request was sent: " + error.displayText(), 0, error.displayText(),
                      TransportException::Stage::Data, true);
    }
    const int status = int(response.getStatus());
    const std::string said = "HTTP " + std::to_string(status) + " " + answer.substr(0, 300);
    if (status >= 200 && status < 300)
    {
        _last = idFrom(_settings.messageId, answer);
        return;
    }
    if (status == 401 || status == 403)
        throw refusal("refused our authentication", 535, said, TransportException::Stage::Authentication);
    if (status == 429)
        throw refusal("asks to slow down", 421, said, TransportException::Stage::Data);
    if (status == 408 || status >= 500)
        throw refusal("failed for now", 451, said, TransportException::Stage::Data);
    throw refusal("refused the SMS", 554, said, TransportException::Stage::Data);
}

std::string SmsGatewayTransport::messageId() const
{
    return _last;
}
} // namespace MassMailing
