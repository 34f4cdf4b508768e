#ifndef MassMailing_MassMailingModule_INCLUDED
#define MassMailing_MassMailingModule_INCLUDED

#include "CrmHost/Module.h"
#include <memory>

namespace MassMailing
{
/// The module's activator: wiring only. It builds the stages over the host's database,
/// and registers the rights, settings, screens and the scheduled-send task.
class MassMailingModule : public CrmHost::Module
{
public:
    MassMailingModule();
    ~MassMailingModule() override;

    void start(CrmHost::ModuleContext& context) override;
    void stop(CrmHost::ModuleContext& context) override;

private:
    struct Parts;
    std::unique_ptr<Parts> _parts;
};
} // namespace MassMailing

#endif
