#include "push/PushSender.h"
#include "Base64.h"
#include "push/PushEncryption.h"
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <memory>

namespace MassMailing
{
PushSender::PushSender(const Vapid& vapid, Settings settings, std::function<Poco::Timestamp()> clock)
    : _vapid(vapid), _settings(std::move(settings)), _clock(std::move(clock))
{
    Poco::Net::Context::Params params;
    params.verificationMode =
        _settings.verifyCertificate ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = true;
    _context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    _context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
}

PushAnswer::Kind PushSender::kindOf(int status)
{
    if (status >= 200 && status < 300)
        return PushAnswer::Sent;
    if (status == 404 || status == 410)
        return PushAnswer::Gone;
    if (status == 429 || status >= 500 || status == 0)
        return PushAnswer::Retry;
    return PushAnswer::Refused;
}

int PushSender::retryAfter(const std::string& header, const Poco::Timestamp& now)
{
    if (header.empty())
        return -1;
    unsigned seconds = 0;
    if (Poco::NumberParser::tryParseUnsigned(header, seconds))
        return int(std::min(seconds, 86400u));
    // Poco's parser reads almost any text as some date: only an IMF-fixdate ("Fri, 04 Dec 2026
    // 20:01:30 GMT"), the one form RFC 9110 lets a server send, is taken.
    Poco::DateTime at;
    int zone = 0;
    if (header.size() != 29 || header.compare(25, 4, " GMT") != 0 ||
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, header, at, zone))
        return -1;
    Poco::Timespan wait = at.timestamp() - now;
    return int(std::max<Poco::Int64>(0, std::min<Poco::Int64>(wait.totalSeconds(), 86400)));
}

PushAnswer PushSender::send(const PushSubscription& subscription, const std::string& payload) const
{
    PushSubscription::checkEndpoint(subscription.endpoint, _settings.loopbackAllowed);
    const std::string body =
        PushEncryption::encrypt(payload, unbase64url(subscription.p256dh), unbase64url(subscription.auth));
    const Poco::URI uri(subscription.endpoint);
    PushAnswer answer;
    try
    {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https")
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), _context);
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session->setTimeout(Poco::Timespan(_settings.timeoutSeconds, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("TTL", std::to_string(_settings.ttlSeconds));
        request.set("Urgency", _settings.urgency);
        request.set("Content-Encoding", "aes128gcm");
        request.setContentType("application/octet-stream");
        request.set("Authorization", _vapid.authorization(subscription.endpoint, _clock()));
        request.setContentLength(std::streamsize(body.size()));
        session->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        answer.status = int(response.getStatus());
        answer.kind = kindOf(answer.status);
        answer.retryAfterSeconds = retryAfter(response.get("Retry-After", ""), _clock());
        answer.detail = std::to_string(answer.status) + " " + response.getReason();
    }
    catch (const Poco::Exception& error) // refused, timed out, TLS: the service may take it later
    {
        answer.kind = PushAnswer::Retry;
        answer.status = 0;
        answer.detail = error.displayText();
    }
    return answer;
}
} // namespace MassMailing
