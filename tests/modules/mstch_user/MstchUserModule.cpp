// A module that calls mstch::render itself, not through the host's TemplateRenderer. It links
// no mstch (Debian's libmstch.a cannot go into a shared object): loading it works only
// because the host executable exports mstch.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include <mstch/mstch.hpp>

namespace
{
class MstchUserModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        std::string rendered =
            mstch::render("Hello, {{who}}! {{#items}}[{{.}}]{{/items}}",
                          mstch::map{{"who", std::string("host")},
                                     {"items", mstch::array{std::string("a"), std::string("b")}}});
        context.addScreen({CrmHost::ScreenKind::Page, "GET", "", "", "",
                           [rendered](const CrmHost::Request&)
                           {
                               CrmHost::Response response;
                               response.body = rendered;
                               return response;
                           }});
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(MstchUserModule, "mstch_user", "0.0.1")
