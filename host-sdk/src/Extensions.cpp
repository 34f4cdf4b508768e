#include "Extensions.h"
#include <Poco/Logger.h>

namespace CrmHost
{
std::string Extensions::screenId(const std::string& module, const Screen& screen)
{
    const char* kind = screen.kind == ScreenKind::Page   ? "page "
                       : screen.kind == ScreenKind::Json ? "json "
                                                         : "public ";
    return kind + screen.method + " /" + module + "/" + screen.path;
}

void Extensions::removeOwnedBy(const std::string& module)
{
    screens.removeOwnedBy(module);
    loaders.removeOwnedBy(module);
    tasks.removeOwnedBy(module);
    inboundMail.removeOwnedBy(module);
    memberLinks.removeOwnedBy(module);
    sessionLinks.removeOwnedBy(module);
    settings.removeOwnedBy(module);
    rights.removeOwnedBy(module);
    subscriptions.removeOwnedBy(module);
}

void Extensions::publish(const HostEvent& event) const
{
    for (const auto& [id, subscription] : subscriptions.all())
    {
        if (subscription.entry.first != event.name)
            continue;
        try
        {
            subscription.entry.second(event);
        }
        catch (const std::exception& error)
        {
            Poco::Logger::get("crmhost").error("Module %s failed on event %s: %s", subscription.owner,
                                               event.name, std::string(error.what()));
        }
    }
}
} // namespace CrmHost
