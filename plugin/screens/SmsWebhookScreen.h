#ifndef MassMailing_SmsWebhookScreen_INCLUDED
#define MassMailing_SmsWebhookScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "screens/Routes.h"
#include "tracking/SmsReports.h"

namespace MassMailing
{
/// The SMS gateway's webhooks (issue 15), public routes signed with the shared secret
/// (SmsReports::authentic): the signature of the body in the header X-Signature (or the
/// parameter signature), or the secret as the parameter token.
///
///   POST /p/massmailing/sms/reports   delivery reports (JSON object or array, or a form):
///       200 {"recorded", "pending", "unknown", "ignored"}; 503 with the same when some rows'
///       hand-over is not recorded yet (post them again); 401 unsigned; 400 malformed.
///   POST /p/massmailing/sms/inbound   a reply {"from", "to", "text"} (JSON or form):
///       200 {"stop": true|false, "groups": N}.
class SmsWebhookScreen
{
public:
    explicit SmsWebhookScreen(SmsReports& reports);

    Routes routes();

    CrmHost::Response reports(const CrmHost::Request& request);
    CrmHost::Response inbound(const CrmHost::Request& request);

private:
    bool authentic(const CrmHost::Request& request) const;

    SmsReports& _reports;
};
} // namespace MassMailing

#endif
