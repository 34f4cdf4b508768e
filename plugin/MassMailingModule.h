#ifndef MassMailing_MassMailingModule_INCLUDED
#define MassMailing_MassMailingModule_INCLUDED

#include "CrmHost/Module.h"
#include "screens/HomeScreen.h"
#include <memory>

namespace MassMailing
{
/// The module's activator: wiring only. It registers the rights, settings, screens and the
/// scheduled-send task; the stages (audience, content, delivery, tracking) do the work.
class MassMailingModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override;
    void stop(CrmHost::ModuleContext& context) override;

private:
    std::unique_ptr<HomeScreen> _home;
};
} // namespace MassMailing

#endif
