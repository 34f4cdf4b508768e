#ifndef CrmHost_Setting_INCLUDED
#define CrmHost_Setting_INCLUDED

#include <functional>
#include <string>
#include <vector>

namespace CrmHost
{
/// A module setting. Its value comes from the settings screen if set there, else from the
/// host's configuration file, else from the default declared here. The host checks the value
/// against allowed and check when the module declares the setting (at its start: a bad value
/// refuses to start the host) and whenever the value is saved, so that the module never reads
/// a value it cannot use (after Envoy: configuration is validated before the extension sees it).
struct Setting
{
    std::string key; /// Full key, starting with the module's name: "massmailing.transport".
    std::string defaultValue;
    std::string label; /// Catalogue key of the label on the settings screen.
    // Initialised here, so that a declaration of the three strings alone still compiles cleanly.
    std::vector<std::string> allowed = {};
    /// When not empty, the only values accepted ("outbox", "smtp"). Since API 1.3.
    std::function<void(const std::string& value)> check = nullptr;
    /// When set, refuses a value by throwing a Poco::Exception whose message says why
    /// ("must be a whole number from 1 to 1000"). Since API 1.3.
};

/// A right a module checks, held by users per group.
struct Right
{
    std::string name;  /// "massmailing.compose"
    std::string label; /// Catalogue key.
};
} // namespace CrmHost

#endif
