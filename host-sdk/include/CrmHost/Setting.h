#ifndef CrmHost_Setting_INCLUDED
#define CrmHost_Setting_INCLUDED

#include <string>

namespace CrmHost
{
/// A module setting. Its value comes from the settings screen if set there, else from the
/// host's configuration file, else from the default declared here.
struct Setting
{
    std::string key; /// Full key, starting with the module's name: "massmailing.transport".
    std::string defaultValue;
    std::string label; /// Catalogue key of the label on the settings screen.
};

/// A right a module checks, held by users per group.
struct Right
{
    std::string name;  /// "massmailing.compose"
    std::string label; /// Catalogue key.
};
} // namespace CrmHost

#endif
