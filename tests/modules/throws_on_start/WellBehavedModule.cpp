// A module that starts normally, beside one that throws in start().
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"

namespace
{
class WellBehavedModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        context.addScreen({CrmHost::ScreenKind::Page, "GET", "", "well_behaved.menu", "",
                           [](const CrmHost::Request&)
                           {
                               CrmHost::Response response;
                               response.body = "well behaved";
                               return response;
                           }});
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(WellBehavedModule, "well_behaved", "0.0.1")
