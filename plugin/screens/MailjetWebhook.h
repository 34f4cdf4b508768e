#ifndef MassMailing_MailjetWebhook_INCLUDED
#define MassMailing_MailjetWebhook_INCLUDED

#include "screens/Routes.h"
#include "tracking/MailjetEvents.h"

namespace MassMailing
{
/// Mailjet's event webhook (D5, R3): POST /p/massmailing/mailjet/events/{token}, the URL to
/// enter in Mailjet's account (its "Event tracking", every event kind, grouped or not). The
/// token authenticates the call (MailjetEvents::webhookToken; the settings screen shows the
/// URL); a wrong one answers 404, a body that is not Mailjet's events 400, a database failure
/// 500 (Mailjet posts again later), else 200 {"recorded", "ignored"}.
class MailjetWebhook
{
public:
    MailjetWebhook(const MailjetEvents& events, std::string key);
    /// key: the module's signing key.

    Routes routes();

    CrmHost::Response post(const CrmHost::Request& request);

    static const char* const PATH; /// "mailjet/events/"

private:
    const MailjetEvents& _events;
    std::string _key;
};
} // namespace MassMailing

#endif
