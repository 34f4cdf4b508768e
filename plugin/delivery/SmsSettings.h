#ifndef MassMailing_SmsSettings_INCLUDED
#define MassMailing_SmsSettings_INCLUDED

#include <Poco/Timespan.h>
#include <functional>
#include <string>

namespace MassMailing
{
/// How SMS go out (issue 15): to the SMS outbox folder (the embedded default), or to a
/// generic HTTP gateway, enough to drive common providers' HTTP APIs.
struct SmsSettings
{
    std::string transport = "outbox"; /// "outbox" or "http"
    std::string outboxDir;            /// massmailing.sms.outbox.dir
    std::string from;                 /// The sender name or number the gateway shows ({{from}})
    std::string url;                  /// The gateway's http:// or https:// URL
    std::string auth = "none";        /// "none", "basic" (user, password), "bearer" (password), "header"
                                      /// (user is the header's name, password its value)
    std::string user;
    std::string password;
    std::string contentType = "application/json";
    std::string body; /// The request's body: {{to}} {{text}} {{from}} {{id}}, each escaped for contentType
    std::string messageId = "/id";
    /// Where the answer gives the message's id: a JSON pointer ("/messages/0/id"), or
    /// "regex:" and a regular expression whose first group is the id; "none" (empty here): none.
    Poco::Timespan timeout = Poco::Timespan(10, 0);

    using Getter = std::function<std::string(const std::string& key)>;

    static SmsSettings parse(const Getter& get);
    /// Reads massmailing.sms.transport, .outbox.dir, .from, .http.url, .http.auth, .http.user,
    /// .http.password, .http.content_type, .http.body, .http.message_id and .http.timeout.
    /// Throws Poco::InvalidArgumentException naming the key: an unknown transport or auth, an
    /// http transport without an http(s) URL, a body without {{to}} or {{text}}, a message id
    /// that is neither a JSON pointer nor a regular expression that compiles, a timeout that
    /// is not 1 to 300 seconds, a user or password that basic or header authentication needs.

    static const char* const DEFAULT_BODY;
    /// {"to": "{{to}}", "from": "{{from}}", "text": "{{text}}", "reference": "{{id}}"}
};
} // namespace MassMailing

#endif
