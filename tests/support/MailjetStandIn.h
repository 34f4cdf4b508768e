#ifndef CrmHostTests_MailjetStandIn_INCLUDED
#define CrmHostTests_MailjetStandIn_INCLUDED

#include <Poco/JSON/Object.h>
#include <Poco/Process.h>
#include <memory>
#include <string>

namespace CrmHostTests
{
/// tests/mailjet/mailjet_standin.py as a child process on 127.0.0.1: Mailjet's Send API v3.1,
/// its message and apikey endpoints, with the credentials KEY and SECRET; the test tells it to
/// fail calls or lose answers, reads what it accepted, and has it post events to a webhook.
class MailjetStandIn
{
public:
    static const char* const KEY;
    static const char* const SECRET;

    explicit MailjetStandIn(const std::string& folder);
    /// Starts it with its log and port in folder. Throws Poco::RuntimeException, with its log,
    /// when it does not listen within 20 seconds.

    ~MailjetStandIn();
    /// Kills it.

    MailjetStandIn(const MailjetStandIn&) = delete;
    MailjetStandIn& operator=(const MailjetStandIn&) = delete;

    std::string url() const;
    /// "http://127.0.0.1:PORT": massmailing.mailjet.url.

    void control(const std::string& json);
    /// POST /_control: {"fail": [429, 500]}, {"drop": "after"} (the next call's messages
    /// accepted, its answer lost), {"drop": "before"}, {"delay": seconds}.

    Poco::JSON::Object::Ptr state() const;
    /// GET /_state: "calls" (messages per call), "accepted" ({CustomID: times}), "messages", "lost".

    Poco::JSON::Object::Ptr postEvents(const std::string& json);
    /// POST /_events: {"url", "user", "password", "grouped", "events": [{"event", "CustomID", ...}]};
    /// the answer {"statuses": [...]}.

    std::string log() const;

private:
    std::string request(const std::string& method, const std::string& path, const std::string& body) const;

    std::string _folder;
    std::unique_ptr<Poco::ProcessHandle> _process;
    unsigned _port = 0;
};
} // namespace CrmHostTests

#endif
