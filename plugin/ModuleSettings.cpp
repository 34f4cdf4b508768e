#include "ModuleSettings.h"
#include "GroupSettings.h"
#include "SettingChecks.h"
#include "content/DkimSigner.h"
#include "content/DnsLookup.h"
#include "delivery/MailjetTransport.h"
#include "delivery/SmsSettings.h"
#include "delivery/SmtpSettings.h"
#include "delivery/TimeZones.h"
#include "tracking/SigningKey.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>

namespace MassMailing
{
namespace
{
std::function<void(const std::string&)> smtp(const std::string& key)
{
    return [key](const std::string& value) { SmtpSettings::check(key, value); };
}

std::function<void(const std::string&)> mailjet(const std::string& key)
{
    return [key](const std::string& value) { MailjetTransport::Settings::check(key, value); };
}

// Empty (no DKIM), or a file holding a private key the signer can sign with.
void dkimKey(const std::string& path)
{
    if (path.empty())
        return;
    Poco::File file(path);
    if (!file.exists() || !file.isFile() || !file.canRead())
        throw Poco::FileNotFoundException("there is no readable file " + path);
    Poco::FileInputStream in(path);
    std::string pem;
    Poco::StreamCopier::copyToString(in, pem);
    DkimSigner("example.org", "check", pem); // the domain and selector are checked at start with the key
}

// Empty for a random key, else what SigningKey takes.
void secret(const std::string& value)
{
    if (!value.empty())
        SigningKey("", value);
}

// Empty, or an address (a pattern with "*" is allowed: the inbound handler's).
void feedbackAddress(const std::string& value)
{
    if (!value.empty() &&
        (value.find('@') == std::string::npos || value.find_first_of(" <>\r\n\t") != std::string::npos))
        throw Poco::InvalidArgumentException("it must be an address (local@domain), not \"" + value + "\"");
}

void timeZone(const std::string& value)
{
    if (!TimeZones::known(value))
        throw Poco::InvalidArgumentException(
            "it must be a time zone of the TZ database (Europe/Paris), not \"" + value + "\"");
}

void notEmpty(const std::string& value)
{
    if (value.empty())
        throw Poco::InvalidArgumentException("it must not be empty");
}
} // namespace

std::vector<CrmHost::Setting> ModuleSettings::declarations(const std::string& dataDir)
{
    auto setting = [](const std::string& key, const std::string& defaultValue,
                      std::vector<std::string> allowed = {},
                      std::function<void(const std::string&)> check = nullptr) {
        return CrmHost::Setting{key, defaultValue, key + ".label", std::move(allowed), std::move(check)};
    };
    std::vector<CrmHost::Setting> all = {
        setting("massmailing.transport", "outbox", {"outbox", "smtp", "mailjet"}),
        // Mailjet's Send API (D5): its URL (tests: a stand-in), the API key and its secret
        // (README, "Mailjet").
        setting("massmailing.mailjet.url", "https://api.mailjet.com", {}, mailjet("url")),
        setting("massmailing.mailjet.api_key", "", {}, mailjet("api_key")),
        setting("massmailing.mailjet.api_secret", "", {}, mailjet("api_secret")),
        setting("massmailing.smtp.host", "127.0.0.1", {}, smtp("host")),
        setting("massmailing.smtp.port", "25", {}, smtp("port")),
        setting("massmailing.smtp.tls", "none", {}, smtp("tls")),
        setting("massmailing.smtp.user", "", {}, smtp("user")),
        setting("massmailing.smtp.password", "", {}, smtp("password")),
        setting("massmailing.smtp.verify", "true", {}, smtp("verify")),
        setting("massmailing.smtp.connections", "4", {}, wholeNumber(1, 1000)),
        setting("massmailing.outbox.dir", dataDir + "/outbox", {}, notEmpty),
        setting("massmailing.dkim.domain", ""), setting("massmailing.dkim.selector", ""),
        setting("massmailing.dkim.key", "", {}, dkimKey),
        setting("massmailing.quota.monthly", "0", {}, wholeNumber(0, 1000000000)),
        setting("massmailing.secret", "", {}, secret),
        setting("massmailing.retry.seconds", "60", {}, wholeNumber(1, 86400)),
        setting("massmailing.lease.seconds", "300", {}, wholeNumber(1, 86400)),
        // This node's name (lease owners, its journal's folder); empty: the host's name and data folder.
        setting("massmailing.node", ""),
        // The rows a sending connection claims at once: what a node that never comes back may
        // leave in doubt, per connection (README, "Delivery").
        setting("massmailing.batch", "300", {}, wholeNumber(1, 100000)),
        // "off": no journal, each message marked in flight in the database (README, "Delivery").
        setting("massmailing.journal", "on", {"on", "off"}),
        // Where the feedback loops (Yahoo, AOL, ...) send their reports; empty: none.
        setting("massmailing.feedback.address", "", {}, feedbackAddress),
        // Opens and clicks this soon after a row was sent are a machine's (MachineSignals).
        setting("massmailing.tracking.machine_seconds", "10", {}, wholeNumber(0, 86400)),
        // The group's time zone (a send's default zone) and the DNS checks of sending domains.
        setting("massmailing.time_zone", "Europe/Paris", {}, timeZone),
        setting("massmailing.dns.resolver", "", {}, DnsLookup::checkResolver),
        setting("massmailing.dns.spf_include", "", {}, domainNameOrEmpty),
        setting("massmailing.dns.bounce_mx", "", {}, domainNameOrEmpty),
        // Web Push (plugin/push): the contact push services see in each VAPID token ("mailto:..."
        // or https; empty: the host's public URL), how long a service keeps a message for an
        // offline browser, and its urgency (RFC 8030 section 5.3).
        setting("massmailing.push.subject", ""),
        setting("massmailing.push.ttl", "2419200", {}, wholeNumber(0, 2419200)),
        setting("massmailing.push.urgency", "normal", {"very-low", "low", "normal", "high"}),
        // "true" lets subscriptions name http://127.0.0.1 (a test's push service stand-in): off in
        // production, where it would let a member make the host post to its own local services.
        setting("massmailing.push.allow_loopback", "false", {"false", "true"}),
        // SMS (issue 15): the outbox folder of the embedded default, or an HTTP gateway
        // (SmsSettings::parse checks them together); the webhooks' shared secret.
        setting("massmailing.sms.transport", "outbox", {"outbox", "http"}),
        setting("massmailing.sms.outbox.dir", dataDir + "/sms-outbox", {}, notEmpty),
        setting("massmailing.sms.from", ""), setting("massmailing.sms.http.url", ""),
        setting("massmailing.sms.http.auth", "none", {"none", "basic", "bearer", "header"}),
        setting("massmailing.sms.http.user", ""), setting("massmailing.sms.http.password", ""),
        setting("massmailing.sms.http.content_type", "application/json"),
        setting("massmailing.sms.http.body", SmsSettings::DEFAULT_BODY),
        setting("massmailing.sms.http.message_id", "/id"),
        setting("massmailing.sms.http.timeout", "10", {}, wholeNumber(1, 300)),
        setting("massmailing.sms.report.password", "")};
    // What a group may also set for itself; here, the value for every group.
    for (CrmHost::Setting& setting : GroupSettings::declarations())
        all.push_back(std::move(setting));
    return all;
}
GroupSettings::Declarations ModuleSettings::screenDeclarations(const std::string& dataDir)
{
    GroupSettings::Declarations screen;
    for (CrmHost::Setting& setting : declarations(dataDir))
    {
        const std::string& key = setting.key;
        if (key == "massmailing.time_zone")
            screen.group.push_back(std::move(setting));
        else if (key == "massmailing.transport" || key == "massmailing.quota.monthly" ||
                 (key.compare(0, 17, "massmailing.smtp.") == 0 && key != "massmailing.smtp.connections") ||
                 (key.compare(0, 16, "massmailing.sms.") == 0 && key != "massmailing.sms.outbox.dir") ||
                 key.compare(0, 20, "massmailing.mailjet.") == 0)
            screen.host.push_back(std::move(setting));
    }
    // The rules between the SMTP keys are SmtpSettings::parse's, as at start.
    screen.between = [](const std::function<std::string(const std::string&)>& value)
    {
        if (value("massmailing.transport") == "smtp")
            SmtpSettings::parse(value);
        SmsSettings::parse(value);
        if (value("massmailing.transport") == "mailjet")
            MailjetTransport::Settings::parse(value);
    };
    return screen;
}
} // namespace MassMailing
