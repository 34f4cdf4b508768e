#include "delivery/SmsSettings.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>

namespace MassMailing
{
const char* const SmsSettings::DEFAULT_BODY =
    "{\"to\": \"{{to}}\", \"from\": \"{{from}}\", \"text\": \"{{text}}\", \"reference\": \"{{id}}\"}";

SmsSettings SmsSettings::parse(const Getter& get)
{
    auto value = [&](const std::string& key)
    {
        try
        {
            return Poco::trim(get("massmailing.sms." + key));
        }
        catch (const Poco::NotFoundException&)
        {
            return std::string();
        }
    };
    auto refuse = [](const std::string& key, const std::string& why)
    { throw Poco::InvalidArgumentException("massmailing.sms." + key + " " + why); };
    SmsSettings s;
    s.transport = value("transport").empty() ? "outbox" : value("transport");
    if (s.transport != "outbox" && s.transport != "http")
        refuse("transport", "must be outbox or http, not \"" + s.transport.substr(0, 40) + "\"");
    s.outboxDir = value("outbox.dir");
    if (s.transport == "outbox" && s.outboxDir.empty())
        refuse("outbox.dir", "must name a folder");
    s.from = value("from");
    s.url = value("http.url");
    s.auth = value("http.auth").empty() ? "none" : value("http.auth");
    if (s.auth != "none" && s.auth != "basic" && s.auth != "bearer" && s.auth != "header")
        refuse("http.auth", "must be none, basic, bearer or header, not \"" + s.auth.substr(0, 40) + "\"");
    s.user = value("http.user");
    s.password = get("massmailing.sms.http.password");
    if (!value("http.content_type").empty())
        s.contentType = value("http.content_type");
    s.body = get("massmailing.sms.http.body");
    if (Poco::trim(s.body).empty())
        s.body = DEFAULT_BODY;
    s.messageId = value("http.message_id").empty() ? "/id" : value("http.message_id");
    if (s.messageId == "none")
        s.messageId.clear();
    std::string timeout = value("http.timeout");
    int seconds = 10;
    if (!timeout.empty() && (!Poco::NumberParser::tryParse(timeout, seconds) || seconds < 1 || seconds > 300))
        refuse("http.timeout", "must be a number of seconds from 1 to 300");
    s.timeout = Poco::Timespan(seconds, 0);
    for (const std::string* text : {&s.from, &s.url, &s.user, &s.password, &s.contentType})
        for (char c : *text)
            if (static_cast<unsigned char>(c) < 0x20)
                refuse("http", "values must not hold control characters");
    if (s.transport != "http")
        return s;
    if (s.url.compare(0, 7, "http://") != 0 && s.url.compare(0, 8, "https://") != 0)
        refuse("http.url", "must be an http:// or https:// URL");
    if (s.body.find("{{to}}") == std::string::npos || s.body.find("{{text}}") == std::string::npos)
        refuse("http.body", "must hold {{to}} and {{text}}");
    if ((s.auth == "basic" || s.auth == "header") && s.user.empty())
        refuse("http.user", "is needed by " + s.auth + " authentication");
    if (s.auth != "none" && s.password.empty())
        refuse("http.password", "is needed by " + s.auth + " authentication");
    if (s.messageId.compare(0, 6, "regex:") == 0)
    {
        try
        {
            Poco::RegularExpression check(s.messageId.substr(6));
        }
        catch (const Poco::RegularExpressionException& error)
        {
            refuse("http.message_id", "is not a regular expression: " + error.message());
        }
    }
    else if (!s.messageId.empty() && s.messageId[0] != '/')
        refuse("http.message_id", "must be a JSON pointer (\"/id\") or \"regex:\" and an expression");
    return s;
}
} // namespace MassMailing
