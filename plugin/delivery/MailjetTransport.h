#ifndef MassMailing_MailjetTransport_INCLUDED
#define MassMailing_MailjetTransport_INCLUDED

#include "delivery/SmtpTransport.h"
#include "delivery/Transport.h"
#include "delivery/TransportException.h"
#include <Poco/Timespan.h>
#include <functional>
#include <string>
#include <vector>

namespace MassMailing
{
/// Sends through Mailjet's Send API v3.1 (D5): POST {url}/v3.1/send with Basic authentication
/// (the API key and its secret), up to 50 messages a call, each with CustomID = our recipient
/// row. The written message (MimeWriter's bytes) is read back into Mailjet's fields: From, To
/// (the envelope's recipient), ReplyTo, Subject, TextPart, HTMLPart, Attachments, inline images,
/// and the headers Mailjet lets a sender set (List-Unsubscribe and its one-click Post,
/// Feedback-ID, X-MM-Recipient, ...); our DKIM signature is left out, as Mailjet writes the
/// message again and signs it itself. TrackOpens and TrackClicks follow the campaign's tracking:
/// with this transport Mailjet tracks, not us (MessageTracking puts no pixel and no link of ours).
///
/// A call's answer gives each message's Status ("success" or "error" with its Errors): a partial
/// success accepts some rows and refuses the others with Mailjet's error. 429 and 5xx are tried
/// again after a growing wait (Settings::retries times), then the call fails for now. A call
/// whose answer is lost (time-out, connection reset after the request went) throws inDoubt():
/// reconcile() then asks GET {url}/v3/REST/message?CustomID=ROW for each row.
///
/// Not thread-safe: one per delivery worker.
class MailjetTransport : public Transport
{
public:
    static const std::size_t MAX_MESSAGES = 50; /// Mailjet's limit per call.

    struct Settings
    {
        std::string url = "https://api.mailjet.com"; /// No trailing slash; http:// only for tests.
        std::string apiKey;
        std::string apiSecret;
        Poco::Timespan timeout = Poco::Timespan(60, 0); /// Connect, and wait for each answer.
        int retries = 3;                                /// More tries after a 429 or a 5xx.
        int retryMillis = 1000;                         /// The first wait; doubles each time.

        using Getter = std::function<std::string(const std::string& key)>;

        static Settings parse(const Getter& get);
        /// Reads massmailing.mailjet.url (empty: Mailjet's own), .api_key and .api_secret through
        /// get. Throws Poco::InvalidArgumentException naming the key: an URL that is not
        /// http(s)://host[:port] (no path, query nor user), a missing key or secret, one
        /// holding a control character or a space.

        static void check(const std::string& key, const std::string& value);
        /// The rules parse() applies to one key of massmailing.mailjet. ("url", "api_key",
        /// "api_secret"), alone (the rule that both are needed is parse()'s).
    };

    using Tracked = std::function<bool(long campaignId)>;

    explicit MailjetTransport(Settings settings, Tracked tracked = nullptr);
    /// tracked says whether Mailjet tracks the opens and clicks of a campaign's messages; none:
    /// never. Connects nothing yet.

    void send(const Envelope& envelope, const std::string& message) override;
    /// One message (a test send): sendBatch() of one, without CustomID, or throws its refusal.

    std::size_t batchSize() const override { return MAX_MESSAGES; }

    std::vector<Answer> sendBatch(const std::vector<Parcel>& parcels) override;
    /// One call for up to MAX_MESSAGES parcels. A message Mailjet refused: its Errors as a
    /// permanent refusal (reply code 550, serverText "ErrorCode StatusCode ErrorMessage
    /// (ErrorRelatedTo)"). The whole call: TransportException at stage Connect (no connection,
    /// or 429/5xx after the retries: temporary), Authentication (401, 403: permanent), Data
    /// (another answer: permanent; a lost answer: inDoubt()). Throws
    /// Poco::InvalidArgumentException for more than MAX_MESSAGES or an envelope Envelope::check()
    /// refuses.

    bool reconciles() const override { return true; }

    std::vector<bool> reconcile(const std::vector<long>& rows) override;
    /// Whether Mailjet has a message of each row's CustomID (GET /v3/REST/message?CustomID=).
    /// Throws TransportException when it cannot be asked (any answer but 200, 429/5xx after the
    /// retries, no connection).

    static std::string requestBody(const std::vector<Parcel>& parcels, const Tracked& tracked);
    /// The JSON of the call {"Messages": [...]}, for the tests and the fuzz target.

    static SmtpTransport::CheckResult check(const Settings& settings);
    /// The settings screen's "test the connection": GET {url}/v3/REST/apikey with the
    /// credentials. Steps: "dns", "tcp", "tls", "auth" (401, 403), "api" (another answer).
    /// Never throws; the secret is never in the message.

    std::size_t calls() const { return _calls; }
    /// HTTP requests made so far (sends and reconciliations, retries included).

private:
    struct Reply
    {
        int status = 0;
        std::string body;
    };
    Reply call(const std::string& method, const std::string& pathAndQuery, const std::string& body,
               bool sendsMessages);

    Settings _settings;
    Tracked _tracked;
    std::size_t _calls = 0;
};
} // namespace MassMailing

#endif
