#ifndef MassMailing_SettingsScreen_INCLUDED
#define MassMailing_SettingsScreen_INCLUDED

#include "GroupSettings.h"
#include "delivery/SmtpTransport.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>
#include <map>

namespace MassMailing
{
/// The settings screen (H3): a group's administrators (Rights::ADMIN) set the group's values;
/// the host's administrators, with ?scope=host, the values of every group and those of the
/// whole host (transport, SMTP, Mailjet, quota), and test the connection to the SMTP server or
/// Mailjet's API, and see the URL of Mailjet's event webhook. Each value
/// is checked by GroupSettings, which names the field it refuses; a secret is never shown
/// back (an empty field keeps it). The latest changes are listed under the form.
///
/// GET settings, POST settings (the form), POST settings/test (the connection test).
class SettingsScreen
{
public:
    using ConnectionTest = std::function<SmtpTransport::CheckResult(const std::string& sender)>;

    SettingsScreen(Wizard& wizard, const GroupSettings& settings, ConnectionTest test,
                   std::function<std::string()> webhookUrl = nullptr);
    /// test: SmtpTransport::check with the host's SMTP settings in force (MailjetTransport::check
    /// when the transport is Mailjet). webhookUrl: Mailjet's event webhook, shown to the host's
    /// administrators; none: not shown.

    Routes routes();

    CrmHost::Response show(const CrmHost::Request& request);
    CrmHost::Response save(const CrmHost::Request& request);
    CrmHost::Response test(const CrmHost::Request& request);

private:
    long scopeOf(const CrmHost::Request& request) const;
    CrmHost::Response render(const CrmHost::Request& request, long scope,
                             const std::map<std::string, std::string>& errors, mstch::map extra, int status);

    Wizard& _wizard;
    const GroupSettings& _settings;
    ConnectionTest _test;
    std::function<std::string()> _webhookUrl;
};
} // namespace MassMailing

#endif
