#include "delivery/MailjetTransport.h"
#include "Base64.h"
#include "content/MessageReader.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>
#include <csignal>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace MassMailing
{
namespace
{
const std::string PREFIX = "massmailing.mailjet.";
using Stage = TransportException::Stage;

// Writes to a connection the peer reset raise SIGPIPE, which would end the process: blocked
// in this thread for the call (as SmtpTransport does).
class SigpipeBlock
{
public:
    SigpipeBlock()
    {
        sigemptyset(&_pipe);
        sigaddset(&_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &_pipe, &_old);
    }
    ~SigpipeBlock()
    {
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1)
        {
            const timespec zero = {0, 0};
            sigtimedwait(&_pipe, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &_old, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t _pipe;
    sigset_t _old;
};

void refuseControlCharacters(const std::string& key, const std::string& value)
{
    for (char c : value)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            throw Poco::InvalidArgumentException(PREFIX + key + " holds a space or a control character");
}

void checkUrl(const std::string& url)
{
    Poco::URI uri;
    try
    {
        uri = Poco::URI(url);
    }
    catch (const Poco::SyntaxException&)
    {
        throw Poco::InvalidArgumentException(PREFIX + "url \"" + url + "\" is not an URL");
    }
    const std::string scheme = uri.getScheme();
    if ((scheme != "https" && scheme != "http") || uri.getHost().empty() || !uri.getUserInfo().empty() ||
        (!uri.getPath().empty() && uri.getPath() != "/") || !uri.getRawQuery().empty() ||
        !uri.getFragment().empty())
        throw Poco::InvalidArgumentException(PREFIX +
                                             "url must be https://host or https://host:port (http:// "
                                             "for a local stand-in), not \"" +
                                             url + "\"");
}

// "Name <address>" or "address".
std::pair<std::string, std::string> nameAndAddress(const std::string& header)
{
    const std::size_t open = header.rfind('<');
    const std::size_t close = header.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return {"", Poco::trim(header)};
    std::string name = Poco::trim(header.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
    return {name, Poco::trim(header.substr(open + 1, close - open - 1))};
}

Poco::JSON::Object::Ptr person(const std::string& name, const std::string& address)
{
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
    object->set("Email", address);
    if (!name.empty())
        object->set("Name", name);
    return object;
}

// Headers Mailjet writes itself from the message's fields, or that would be wrong once it
// writes the message again (our DKIM signature, the MIME structure).
bool ownHeader(const std::string& name)
{
    static const std::set<std::string> own = {"from",
                                              "to",
                                              "cc",
                                              "bcc",
                                              "subject",
                                              "reply-to",
                                              "date",
                                              "message-id",
                                              "mime-version",
                                              "content-type",
                                              "content-transfer-encoding",
                                              "dkim-signature",
                                              "return-path",
                                              "sender",
                                              "received"};
    return own.count(Poco::toLower(name)) > 0;
}

Poco::JSON::Object::Ptr messageOf(const Transport::Parcel& parcel, bool tracked)
{
    const ReadMessage read = MessageReader::read(parcel.message);
    Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
    const auto from = nameAndAddress(read.header("From"));
    message->set("From", person(from.first, from.second));
    const auto to = nameAndAddress(read.header("To"));
    Poco::JSON::Array::Ptr recipients = new Poco::JSON::Array;
    for (const std::string& address : parcel.envelope.recipients)
        recipients->add(person(parcel.envelope.recipients.size() == 1 ? to.first : "", address));
    message->set("To", recipients);
    if (!read.header("Reply-To").empty())
    {
        const auto replyTo = nameAndAddress(read.header("Reply-To"));
        message->set("ReplyTo", person(replyTo.first, replyTo.second));
    }
    message->set("Subject", read.header("Subject"));
    if (!read.text.empty())
        message->set("TextPart", read.text);
    if (!read.html.empty())
        message->set("HTMLPart", read.html);
    if (parcel.row > 0)
        message->set("CustomID", std::to_string(parcel.row));
    message->set("TrackOpens", std::string(tracked ? "enabled" : "disabled"));
    message->set("TrackClicks", std::string(tracked ? "enabled" : "disabled"));
    Poco::JSON::Object::Ptr headers = new Poco::JSON::Object;
    for (const ReadMessage::Header& header : read.headers)
        if (!ownHeader(header.name) && !headers->has(header.name))
            headers->set(header.name, header.value);
    if (headers->size() > 0)
        message->set("Headers", headers);
    Poco::JSON::Array::Ptr attachments = new Poco::JSON::Array, inlined = new Poco::JSON::Array;
    for (const ReadMessage::File& file : read.files)
    {
        Poco::JSON::Object::Ptr part = new Poco::JSON::Object;
        part->set("ContentType", file.contentType.empty() ? "application/octet-stream" : file.contentType);
        part->set("Filename", file.filename.empty() ? std::string("file") : file.filename);
        part->set("Base64Content", base64(file.bytes));
        if (file.contentId.empty())
            attachments->add(part);
        else
        {
            part->set("ContentID", file.contentId);
            inlined->add(part);
        }
    }
    if (attachments->size() > 0)
        message->set("Attachments", attachments);
    if (inlined->size() > 0)
        message->set("InlinedAttachments", inlined);
    return message;
}

// A message's Errors as one line: "mj-0013 400 \"x\" is an invalid email address. (To[0].Email)".
std::string errorsOf(const Poco::JSON::Object::Ptr& message)
{
    std::string text;
    Poco::JSON::Array::Ptr errors = message->getArray("Errors");
    for (std::size_t i = 0; errors && i < errors->size(); ++i)
    {
        Poco::JSON::Object::Ptr error = errors->getObject(i);
        if (!error)
            continue;
        std::string line = error->optValue<std::string>("ErrorCode", "") + " " +
                           (error->has("StatusCode") ? error->get("StatusCode").toString() : std::string()) +
                           " " + error->optValue<std::string>("ErrorMessage", "");
        Poco::JSON::Array::Ptr related = error->getArray("ErrorRelatedTo");
        if (related && related->size() > 0)
        {
            line += " (";
            for (std::size_t r = 0; r < related->size(); ++r)
                line += (r ? ", " : "") + related->get(r).toString();
            line += ")";
        }
        text += (text.empty() ? "" : "; ") + Poco::trim(line);
    }
    return text.empty() ? std::string("refused by Mailjet, without a reason") : text.substr(0, 900);
}

// The text of a whole-call error answer: its ErrorMessage, else the start of the body.
std::string answerText(int status, const std::string& body)
{
    std::string text;
    try
    {
        Poco::JSON::Object::Ptr object = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        text = object->optValue<std::string>("ErrorMessage", "");
        if (text.empty())
            text = object->optValue<std::string>("ErrorInfo", "");
    }
    catch (const Poco::Exception&)
    {
    }
    catch (const std::exception&)
    {
    }
    if (text.empty())
        text = body.substr(0, 200);
    return "Mailjet answered " + std::to_string(status) + (text.empty() ? "" : ": " + text);
}

bool retried(int status)
{
    return status == 429 || (status >= 500 && status <= 599);
}
} // namespace

MailjetTransport::Settings MailjetTransport::Settings::parse(const Getter& get)
{
    auto value = [&](const std::string& key)
    {
        try
        {
            return Poco::trim(get(PREFIX + key));
        }
        catch (const Poco::NotFoundException&)
        {
            return std::string();
        }
    };
    Settings settings;
    std::string url = value("url");
    if (!url.empty())
    {
        checkUrl(url);
        while (!url.empty() && url.back() == '/')
            url.pop_back();
        settings.url = url;
    }
    settings.apiKey = value("api_key");
    settings.apiSecret = value("api_secret");
    refuseControlCharacters("api_key", settings.apiKey);
    refuseControlCharacters("api_secret", settings.apiSecret);
    if (settings.apiKey.empty())
        throw Poco::InvalidArgumentException(PREFIX +
                                             "api_key is required when massmailing.transport is mailjet");
    if (settings.apiSecret.empty())
        throw Poco::InvalidArgumentException(PREFIX +
                                             "api_secret is required when massmailing.transport is mailjet");
    return settings;
}

void MailjetTransport::Settings::check(const std::string& key, const std::string& value)
{
    if (key == "url")
    {
        if (!value.empty())
            checkUrl(value);
    }
    else
        refuseControlCharacters(key, value);
}

MailjetTransport::MailjetTransport(Settings settings, Tracked tracked)
    : _settings(std::move(settings)), _tracked(std::move(tracked))
{
}

void MailjetTransport::send(const Envelope& envelope, const std::string& message)
{
    std::vector<Answer> answers = sendBatch({Parcel{0, 0, envelope, message}});
    if (!answers.front().accepted())
        answers.front().refusal->rethrow();
}

std::string MailjetTransport::requestBody(const std::vector<Parcel>& parcels, const Tracked& tracked)
{
    Poco::JSON::Array::Ptr messages = new Poco::JSON::Array;
    std::map<long, bool> trackedCampaigns;
    for (const Parcel& parcel : parcels)
    {
        auto known = trackedCampaigns.find(parcel.campaignId);
        if (known == trackedCampaigns.end())
            known = trackedCampaigns
                        .emplace(parcel.campaignId,
                                 tracked && parcel.campaignId > 0 && tracked(parcel.campaignId))
                        .first;
        messages->add(messageOf(parcel, known->second));
    }
    Poco::JSON::Object body;
    body.set("Messages", messages);
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

MailjetTransport::Reply MailjetTransport::call(const std::string& method, const std::string& pathAndQuery,
                                               const std::string& body, bool sendsMessages)
{
    SigpipeBlock block;
    const Poco::URI uri(_settings.url);
    for (int attempt = 0;; ++attempt)
    {
        ++_calls;
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Basic " + base64(_settings.apiKey + ":" + _settings.apiSecret));
        request.set("Accept", "application/json");
        if (!body.empty() || method == Poco::Net::HTTPRequest::HTTP_POST)
        {
            request.setContentType("application/json");
            request.setContentLength(std::streamsize(body.size()));
        }
        const std::string where = "Mailjet (" + uri.getHost() + ")";
        try
        {
            if (uri.getScheme() == "https")
            {
                Poco::Net::Context::Ptr context =
                    new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                           Poco::Net::Context::VERIFY_RELAXED, 9, true);
                session =
                    std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
            }
            else
                session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
            session->setTimeout(_settings.timeout);
            std::ostream& out = session->sendRequest(request);
            out.write(body.data(), std::streamsize(body.size()));
            out.flush();
            if (!out)
                throw Poco::Net::NetException("the request could not be written");
        }
        catch (const Poco::Net::SSLException& error)
        {
            throw TransportException(where + ": TLS failed: " + error.displayText(), 0, error.displayText(),
                                     Stage::Tls);
        }
        catch (const Poco::Exception& error)
        {
            // Mailjet did not get the whole request: nothing of it was sent.
            throw TransportException(where + " could not be reached: " + error.displayText(), 0,
                                     error.displayText(), Stage::Connect);
        }
        Reply reply;
        try
        {
            Poco::Net::HTTPResponse response;
            std::istream& in = session->receiveResponse(response);
            Poco::StreamCopier::copyToString(in, reply.body);
            reply.status = int(response.getStatus());
        }
        catch (const Poco::Exception& error)
        {
            // The request went: its messages may have been accepted.
            throw TransportException(where +
                                         ": the answer was lost after the call went: " + error.displayText(),
                                     0, error.displayText(), Stage::Data, sendsMessages);
        }
        if (!retried(reply.status))
            return reply;
        if (attempt >= _settings.retries)
            throw TransportException(answerText(reply.status, reply.body) + " (tried " +
                                         std::to_string(attempt + 1) + " times)",
                                     0, answerText(reply.status, reply.body), Stage::Connect);
        Poco::Thread::sleep(long(_settings.retryMillis) << std::min(attempt, 10));
    }
}

std::vector<Transport::Answer> MailjetTransport::sendBatch(const std::vector<Parcel>& parcels)
{
    if (parcels.size() > MAX_MESSAGES)
        throw Poco::InvalidArgumentException("Mailjet takes at most 50 messages a call");
    for (const Parcel& parcel : parcels)
        parcel.envelope.check();
    const Reply reply =
        call(Poco::Net::HTTPRequest::HTTP_POST, "/v3.1/send", requestBody(parcels, _tracked), true);
    if (reply.status == 401 || reply.status == 403)
        throw TransportException(answerText(reply.status, reply.body), 535,
                                 answerText(reply.status, reply.body), Stage::Authentication);
    // 200, or 400 with the per-message statuses of a partial failure.
    Poco::JSON::Array::Ptr messages;
    try
    {
        Poco::JSON::Object::Ptr answer =
            Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
        messages = answer->getArray("Messages");
    }
    catch (const Poco::Exception&)
    {
    }
    catch (const std::exception&)
    {
    }
    if (!messages || messages->size() != parcels.size())
    {
        if (reply.status == 200)
            // Mailjet took the call but its answer says nothing we can read: any may have gone.
            throw TransportException("Mailjet's answer could not be read", 0, reply.body.substr(0, 200),
                                     Stage::Data, true);
        throw TransportException(answerText(reply.status, reply.body), 550,
                                 answerText(reply.status, reply.body), Stage::Data);
    }
    std::vector<Answer> answers;
    for (std::size_t i = 0; i < parcels.size(); ++i)
    {
        Poco::JSON::Object::Ptr message = messages->getObject(i);
        const std::string status = message ? message->optValue<std::string>("Status", "") : std::string();
        if (status == "success")
            answers.push_back({});
        else
        {
            const std::string text = message ? errorsOf(message) : std::string("no answer for this message");
            answers.push_back({std::make_shared<TransportException>("Mailjet refused the message: " + text,
                                                                    550, text, Stage::Recipients)});
        }
    }
    return answers;
}

std::vector<bool> MailjetTransport::reconcile(const std::vector<long>& rows)
{
    std::vector<bool> found;
    for (long row : rows)
    {
        const Reply reply = call(Poco::Net::HTTPRequest::HTTP_GET,
                                 "/v3/REST/message?CustomID=" + std::to_string(row), "", false);
        if (reply.status != 200)
            throw TransportException(
                answerText(reply.status, reply.body), 0, answerText(reply.status, reply.body),
                reply.status == 401 || reply.status == 403 ? Stage::Authentication : Stage::Connect);
        long count = 0;
        try
        {
            Poco::JSON::Object::Ptr answer =
                Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
            count = answer->optValue<long>("Count", 0);
            Poco::JSON::Array::Ptr data = answer->getArray("Data");
            if (data)
                count = std::max<long>(count, long(data->size()));
        }
        catch (const std::exception&)
        {
            throw TransportException("Mailjet's answer about CustomID " + std::to_string(row) +
                                         " could not be read",
                                     0, reply.body.substr(0, 200), Stage::Connect);
        }
        found.push_back(count > 0);
    }
    return found;
}

SmtpTransport::CheckResult MailjetTransport::check(const Settings& settings)
{
    SmtpTransport::CheckResult result;
    const Poco::URI uri(settings.url);
    try
    {
        Poco::Net::DNS::resolve(uri.getHost());
    }
    catch (const Poco::Exception& error)
    {
        result.step = "dns";
        result.message = "cannot resolve " + uri.getHost() + ": " + error.displayText();
        return result;
    }
    try
    {
        Settings once = settings;
        once.retries = 0;
        once.timeout = Poco::Timespan(20, 0);
        MailjetTransport transport(once);
        const Reply reply =
            transport.call(Poco::Net::HTTPRequest::HTTP_GET, "/v3/REST/apikey?Limit=1", "", false);
        if (reply.status == 200)
            result.ok = true;
        else
        {
            result.step = reply.status == 401 || reply.status == 403 ? "auth" : "api";
            result.message = answerText(reply.status, reply.body);
        }
    }
    catch (const TransportException& error)
    {
        result.step = error.stage() == Stage::Tls ? "tls" : error.stage() == Stage::Connect ? "tcp" : "api";
        result.message = error.message();
    }
    catch (const Poco::Exception& error)
    {
        result.step = "tls";
        result.message = error.displayText();
    }
    return result;
}
} // namespace MassMailing
