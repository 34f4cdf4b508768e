#ifndef CrmHost_HostSettings_INCLUDED
#define CrmHost_HostSettings_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/Setting.h"
#include "Registry.h"
#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <string>

namespace CrmHost
{
/// Settings: a value saved on the settings screen (table settings) wins over the
/// configuration file, which wins over the declared default.
class HostSettings
{
public:
    HostSettings(Poco::AutoPtr<Poco::Util::AbstractConfiguration> file, Database& database,
                 const Registry<Setting>& declared);
    /// declared: the settings the modules declared, whose rules save() applies.

    std::string get(const std::string& key, const std::string& defaultValue) const;
    void save(const std::string& key, const std::string& value);
    /// Throws SettingException, and saves nothing, when the declaration of key refuses the value.

    static void check(const Setting& setting, const std::string& value);
    /// Throws SettingException naming the key, the value and what is allowed when the value is
    /// not one of setting.allowed or setting.check refuses it.
    void clear(const std::string& key);
    /// Forgets a value saved on the screen, so that the file's applies again.

private:
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _file;
    Database& _database;
    const Registry<Setting>& _declared;
};
} // namespace CrmHost

#endif
