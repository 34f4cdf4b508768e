// A module built for the next, incompatible major version of the host API.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"

namespace
{
class WrongMajorModule : public CrmHost::Module
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
    static const CrmHost::ModuleInfo info{CrmHost::HOST_API_MAJOR + 1, CrmHost::HOST_API_MINOR, "wrong_major",
                                          "1.0.0", []() -> CrmHost::Module* { return new WrongMajorModule; }};
    return &info;
}
