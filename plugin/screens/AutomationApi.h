#ifndef MassMailing_AutomationApi_INCLUDED
#define MassMailing_AutomationApi_INCLUDED

#include "CrmHost/Screen.h"
#include "automation/Automations.h"
#include "screens/Routes.h"

namespace MassMailing
{
/// The automatic messages' routes of the JSON API (M4): rules, their occurrences, pause and
/// skip. A rule's routes ask for massmailing.send in the rule's own group.
class AutomationApi
{
public:
    explicit AutomationApi(Automations& automations);

    Routes routes();

    CrmHost::Response create(const CrmHost::Request& request);        /// POST automations
    CrmHost::Response list(const CrmHost::Request& request);          /// GET automations?group=G
    CrmHost::Response get(const CrmHost::Request& request);           /// GET automations/{id}
    CrmHost::Response occurrences(const CrmHost::Request& request);   /// GET automations/{id}/occurrences
    CrmHost::Response pause(const CrmHost::Request& request);         /// POST automations/{id}/pause
    CrmHost::Response resume(const CrmHost::Request& request);        /// POST automations/{id}/resume
    CrmHost::Response skip(const CrmHost::Request& request);          /// POST automations/{id}/skip
    CrmHost::Response notifications(const CrmHost::Request& request); /// POST automations/notifications

    static std::string json(const Automation& rule);

private:
    Automation ruleOf(const CrmHost::Request& request);
    /// The rule of the {id} in the path, when the user may send in its group; else 404.

    Automations& _automations;
};
} // namespace MassMailing

#endif
