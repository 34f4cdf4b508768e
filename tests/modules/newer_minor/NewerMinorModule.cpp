// A module that needs a host API minor version this host does not provide yet.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"

namespace
{
class NewerMinorModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        // Never reached: the loader refuses the module before creating it.
        context.addScreen({CrmHost::ScreenKind::Page, "GET", "", "", "",
                           [](const CrmHost::Request&) { return CrmHost::Response(); }});
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

extern "C" __attribute__((visibility("default"))) const CrmHost::ModuleInfo* crmhostModuleInfo()
{
    static const CrmHost::ModuleInfo info{CrmHost::HOST_API_MAJOR, CrmHost::HOST_API_MINOR + 1, "newer_minor",
                                          "1.0.0", []() -> CrmHost::Module* { return new NewerMinorModule; }};
    return &info;
}
