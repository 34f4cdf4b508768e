#ifndef CrmHost_HostSettings_INCLUDED
#define CrmHost_HostSettings_INCLUDED

#include "CrmHost/Database.h"
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
    HostSettings(Poco::AutoPtr<Poco::Util::AbstractConfiguration> file, Database& database);

    std::string get(const std::string& key, const std::string& defaultValue) const;
    void save(const std::string& key, const std::string& value);
    void clear(const std::string& key);
    /// Forgets a value saved on the screen, so that the file's applies again.

private:
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _file;
    Database& _database;
};
} // namespace CrmHost

#endif
