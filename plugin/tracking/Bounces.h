#ifndef MassMailing_Bounces_INCLUDED
#define MassMailing_Bounces_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/InboundMail.h"
#include "GroupSettings.h"
#include "content/BounceAddress.h"
#include "tracking/DeliveryReport.h"
#include <string>

namespace MassMailing
{
/// What comes back by mail (R3, A8): bounces to the VERP addresses and feedback-loop reports,
/// read by DeliveryReport and recorded for the recipient row their token names. A hard bounce
/// makes the row bounced (Deliveries) and suppresses the address in the group (Suppressions);
/// soft bounces suppress once the group's bounce.soft_limit of them came within
/// bounce.soft_days; a complaint suppresses at once; an auto-reply is only recorded. Every
/// event goes through Events. A test message's reports are recorded and suppress nothing. The
/// same report received twice changes nothing the second time.
class Bounces
{
public:
    static const char* const BOUNCES_HANDLER;  /// "massmailing.bounces", for "bounce+*@*".
    static const char* const FEEDBACK_HANDLER; /// "massmailing.feedback", for massmailing.feedback.address.
    static const char* const BOUNCE_PATTERN;   /// "bounce+*@*".

    Bounces(CrmHost::Database& database, const BounceAddress& signer, const GroupSettings& settings);
    /// The signer and settings must outlive this object.

    CrmHost::InboundOutcome handle(const CrmHost::InboundMessage& message) const;
    /// Reads and records one received message. Not understood (kept and listed by the host),
    /// with the reason: what DeliveryReport cannot read, a forged or unreadable token, a token
    /// whose row is gone (stale). Throws the database's exception: the host offers the message
    /// again later.

    CrmHost::InboundOutcome record(const DeliveryReport& report) const;
    /// What handle() does once the message is read.

    CrmHost::InboundOutcome recordFor(const BounceToken& token, const DeliveryReport& report) const;
    /// What record() does once the token is verified: also for a report that names its row
    /// otherwise (a sending service's event, MailjetEvents), token then made by the caller.

private:
    CrmHost::Database& _database;
    const BounceAddress& _signer;
    const GroupSettings& _settings;
};
} // namespace MassMailing

#endif
