// A module that registers the same route twice: the second registration must refuse the module.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"

namespace
{
class DuplicateRouteModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        CrmHost::Screen campaigns{
            CrmHost::ScreenKind::Json, "GET", "campaigns/{id}", "", "", [](const CrmHost::Request&) {
                return CrmHost::Response::json("{}");
            }};
        context.addScreen(campaigns);
        context.addScreen(campaigns);
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(DuplicateRouteModule, "duplicate_route", "0.0.1")
