#ifndef MassMailing_AutomationsScreen_INCLUDED
#define MassMailing_AutomationsScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "automation/Automations.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// "Automatic messages" (M4): the group's rules, each with its next five occurrences (their
/// local time and planned audience size) and what became of the past ones, pause, resume and
/// skip the next; and the weekly reminder set up on one form: a day and time in the group's
/// zone, a target, the message. Seeing and changing need massmailing.send.
class AutomationsScreen
{
public:
    AutomationsScreen(Wizard& wizard, Automations& automations, Audience& audience);

    Routes routes();

    CrmHost::Response show(const CrmHost::Request& request); /// GET automations[?done=...]
    CrmHost::Response
    submit(const CrmHost::Request& request); /// POST automations: create, pause, resume, skip

private:
    CrmHost::Response render(const CrmHost::Request& request, int status, const std::string& error,
                             const std::string& errorField);

    Wizard& _wizard;
    Automations& _automations;
    Audience& _audience;
};
} // namespace MassMailing

#endif
