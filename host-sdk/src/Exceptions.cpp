#include "CrmHost/Exceptions.h"
#include <typeinfo>

namespace CrmHost
{
// The contract only declares these (Exceptions.h); the host defines them once, and exports
// them with the rest of the executable so that a module can throw and catch them too.
POCO_IMPLEMENT_EXCEPTION(DuplicateRegistrationException, Poco::ExistsException, "Duplicate registration")
POCO_IMPLEMENT_EXCEPTION(ModuleLoadException, Poco::RuntimeException, "Cannot load module")
POCO_IMPLEMENT_EXCEPTION(SettingException, Poco::InvalidArgumentException, "Invalid setting")
} // namespace CrmHost
