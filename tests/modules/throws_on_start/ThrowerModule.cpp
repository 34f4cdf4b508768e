// A module whose start() registers a screen, a task and a setting, and then throws: the host
// must refuse it, remove what it registered, and go on with the other modules.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include <stdexcept>

namespace
{
class ThrowerModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        context.addScreen({CrmHost::ScreenKind::Page, "GET", "", "thrower.menu", "",
                           [](const CrmHost::Request&) { return CrmHost::Response(); }});
        context.addTask({"thrower.tick", "never runs", CrmHost::Schedule::every(60), []() { return false; }});
        context.declareSetting({"thrower.colour", "red", "thrower.colour.label"});
        throw std::runtime_error("the thrower cannot reach its mail server");
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(ThrowerModule, "thrower", "0.0.1")
