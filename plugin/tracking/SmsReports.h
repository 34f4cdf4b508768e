#ifndef MassMailing_SmsReports_INCLUDED
#define MassMailing_SmsReports_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Suppressions.h"
#include "delivery/Deliveries.h"
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// What an SMS gateway posts back (issue 15, M2, A8): delivery reports, each setting its row's
/// final status (delivered, or failed with the reason), and the recipients' replies: STOP
/// (ARRET, STOPALL, UNSUBSCRIBE, ...) suppresses the number in every group that sent it an SMS,
/// the others are for the inbox. Both webhooks are signed: the HMAC-SHA256 of the body under
/// the shared secret (massmailing.sms.report.password) in hex, or the secret itself as a token
/// in the URL.
class SmsReports
{
public:
    /// One delivery report: the row's reference (SmsChannel::reference, the {{id}} the gateway
    /// was given) or the gateway's own message id, its status as the gateway words it, and why.
    struct Report
    {
        std::string reference;
        std::string messageId;
        std::string status;
        std::string reason;
    };

    /// What a batch of reports did.
    struct Outcome
    {
        std::size_t recorded = 0;
        std::size_t pending = 0; /// rows whose hand-over is not recorded yet: to post again
        std::size_t unknown = 0;
        std::size_t ignored = 0; /// intermediate statuses (accepted, buffered...)
    };

    /// One reply of a recipient.
    struct Reply
    {
        std::string from; /// the number as the gateway gives it
        std::string to;
        std::string text;
        std::string id; /// the gateway's id of the reply, when it gives one ("": none)
    };

    /// Where a reply that is no STOP goes (the inbox): the group that sent the number an SMS,
    /// the number in E.164, the text, and the gateway's id.
    using ReplyHandler = std::function<void(long groupId, const std::string& number, const std::string& text,
                                            const std::string& id)>;

    SmsReports(CrmHost::Database& database, const Suppressions& suppressions, Clock clock,
               std::function<std::string()> secret, ReplyHandler replies = {});

    bool authentic(const std::string& body, const std::string& signature, const std::string& token) const;
    /// True when signature is the hex HMAC-SHA256 of body under the secret (an optional
    /// "sha256=" in front), or token is the secret; false when no secret is set.

    static std::vector<Report> parse(const std::string& body, const std::map<std::string, std::string>& form);
    /// The reports of a JSON body (one object or an array of them, fields "reference" or "id",
    /// "message_id", "status", "reason"), else of form fields of those names. Throws
    /// Poco::SyntaxException for a body that is neither.

    static std::string outcomeOf(const std::string& status);
    /// "delivered" (delivered, DELIVRD, success...), "failed" (failed, undelivered, UNDELIV,
    /// rejected, expired...), or "" for a status that is not final.

    Outcome record(const std::vector<Report>& reports);
    /// Applies the reports (Deliveries::reported), in one transaction.

    static bool isStop(const std::string& text);
    /// A reply that asks to receive no more SMS: its first word, in capitals without accents,
    /// is STOP, ARRET, STOPALL, UNSUBSCRIBE, END, QUIT, CANCEL, DESABONNER or DESINSCRIRE.

    std::size_t receive(const Reply& reply);
    /// A STOP suppresses the number (its E.164 form) in each group that sent it an SMS, as the
    /// person's own unsubscription ("sms-stop"); another reply goes to the reply handler once for
    /// each of those groups. Returns in how many groups. Throws Poco::InvalidArgumentException
    /// for a sender that is no phone number.

private:
    CrmHost::Database& _database;
    const Suppressions& _suppressions;
    Clock _clock;
    std::function<std::string()> _secret;
    ReplyHandler _replies;
};
} // namespace MassMailing

#endif
