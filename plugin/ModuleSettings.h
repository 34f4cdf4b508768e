#ifndef MassMailing_ModuleSettings_INCLUDED
#define MassMailing_ModuleSettings_INCLUDED

#include "CrmHost/Setting.h"
#include "GroupSettings.h"
#include <vector>

namespace MassMailing
{
/// The module's settings with their defaults and the rule each value obeys, which the host
/// applies before the module reads them (at start, and whenever a value is saved).
class ModuleSettings
{
public:
    static std::vector<CrmHost::Setting> declarations(const std::string& dataDir);
    /// Every massmailing.* setting; the outbox defaults to a folder of dataDir.

    static GroupSettings::Declarations screenDeclarations(const std::string& dataDir);
    /// Those of declarations() the settings screen also sets whose rules a stage owns: the
    /// group's time zone; for the host's administrators only, the transport, SMTP and quota, with
    /// the rules between the SMTP keys.
};
} // namespace MassMailing

#endif
