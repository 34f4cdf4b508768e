// A module whose routes throw, each in its own way: the host must log each failure with its
// path, answer 500, and go on serving.
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include <Poco/Exception.h>
#include <stdexcept>

namespace
{
class FailingRoutesModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        for (auto kind : {CrmHost::ScreenKind::Public, CrmHost::ScreenKind::Json})
        {
            context.addScreen({kind, "GET", "poco", "", "", [](const CrmHost::Request&) -> CrmHost::Response {
                                   throw Poco::NotFoundException("the poco route's record");
                               }});
            context.addScreen({kind, "GET", "std", "", "", [](const CrmHost::Request&) -> CrmHost::Response {
                                   throw std::out_of_range("the std route's index");
                               }});
            context.addScreen({kind, "GET", "other", "", "",
                               [](const CrmHost::Request&) -> CrmHost::Response { throw 42; }});
        }
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(FailingRoutesModule, "failing_routes", "0.0.1")
