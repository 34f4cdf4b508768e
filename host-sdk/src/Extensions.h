#ifndef CrmHost_Extensions_INCLUDED
#define CrmHost_Extensions_INCLUDED

#include "CrmHost/HostEvent.h"
#include "CrmHost/InboundMail.h"
#include "CrmHost/MemberLink.h"
#include "CrmHost/RecipientLoader.h"
#include "CrmHost/ScheduledTask.h"
#include "CrmHost/Screen.h"
#include "CrmHost/SessionLink.h"
#include "CrmHost/Setting.h"
#include "Registry.h"
#include <memory>

namespace CrmHost
{
/// Every extension point of the host, with what the modules registered in them.
struct Extensions
{
    Registry<Screen> screens{"screen"};
    Registry<std::shared_ptr<RecipientLoader>> loaders{"recipient loader"};
    Registry<ScheduledTask> tasks{"task"};
    Registry<InboundMailHandler> inboundMail{"inbound mail handler"};
    Registry<MemberLink> memberLinks{"member link"};
    Registry<SessionLink> sessionLinks{"session link"};
    Registry<Setting> settings{"setting"};
    Registry<Right> rights{"right"};
    Registry<std::pair<std::string, HostEventHandler>> subscriptions{"event subscription"};

    static std::string screenId(const std::string& module, const Screen& screen);
    /// "page GET /massmailing/campaigns/{id}": the key under which a screen is unique.

    void removeOwnedBy(const std::string& module);
    void publish(const HostEvent& event) const;
    /// Calls every subscriber of event.name; a subscriber that throws is logged and skipped.
};
} // namespace CrmHost

#endif
