#ifndef CrmHostTests_LoaderFixture_INCLUDED
#define CrmHostTests_LoaderFixture_INCLUDED

#include "Catalogue.h"
#include "Extensions.h"
#include "HostModuleContext.h"
#include "HostSettings.h"
#include "ModuleLoader.h"
#include "SqlDatabase.h"
#include "TempFolder.h"
#include <Poco/Util/MapConfiguration.h>
#include <memory>

namespace CrmHostTests
{
/// What a host lends its modules, real but small: extension points, a test database,
/// settings over an in-memory configuration, the host's catalogue and a data folder.
/// Loading modules writes nothing to the database: the fixtures of one process share it,
/// made (and migrated) once, and a test that writes there removes what it wrote.
class LoaderFixture
{
public:
    explicit LoaderFixture(const std::string& databaseName);

    CrmHost::HostServices& services() { return *_services; }
    CrmHost::Extensions& extensions() { return _extensions; }
    CrmHost::Catalogue& catalogue() { return _catalogue; }
    Poco::Util::MapConfiguration& configuration() { return *_configuration; }
    const std::string& dataDir() const { return _data.path(); }

    std::size_t registrationsOf(const std::string& module) const;
    /// Screens, loaders, tasks, settings, rights and subscriptions the module owns.

    static std::string casesDir(const std::string& name);
    /// The folder of one case of tests/modules.

private:
    TempFolder _data;
    CrmHost::Extensions _extensions;
    CrmHost::SqlDatabase& _database;
    Poco::AutoPtr<Poco::Util::MapConfiguration> _configuration;
    std::unique_ptr<CrmHost::HostSettings> _settings;
    CrmHost::Catalogue _catalogue;
    std::unique_ptr<CrmHost::HostServices> _services;
};

bool contains(const std::string& text, const std::string& part);
} // namespace CrmHostTests

#endif
