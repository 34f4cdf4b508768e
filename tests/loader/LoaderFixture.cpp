#include "LoaderFixture.h"
#include "TestDatabase.h"
#include <map>

namespace CrmHostTests
{
namespace
{
CrmHost::SqlDatabase& sharedDatabase(const std::string& name)
{
    static std::map<std::string, std::unique_ptr<CrmHost::SqlDatabase>> databases;
    auto& database = databases[name];
    if (!database)
        database = makeTestDatabase(name);
    return *database;
}

template <class Entry>
std::size_t ownedBy(const CrmHost::Registry<Entry>& registry, const std::string& module)
{
    std::size_t count = 0;
    for (const auto& [id, owned] : registry.all())
        count += owned.owner == module;
    return count;
}
} // namespace

LoaderFixture::LoaderFixture(const std::string& databaseName)
    : _data("loader"), _database(sharedDatabase(databaseName)),
      _configuration(new Poco::Util::MapConfiguration),
      _settings(std::make_unique<CrmHost::HostSettings>(
          Poco::AutoPtr<Poco::Util::AbstractConfiguration>(_configuration, true), _database,
          _extensions.settings))
{
    std::string resources = CRMHOST_RESOURCE_DIR;
    _catalogue.load(resources + "/templates", "host");
    // The strings by name, so that a field added to HostServices cannot take another's value.
    _services.reset(new CrmHost::HostServices{_extensions, _database, *_settings, _catalogue, {}, {}, {}});
    _services->resourceDir = resources;
    _services->publicUrl = "http://127.0.0.1:8080";
    _services->dataDir = _data.path();
}

std::size_t LoaderFixture::registrationsOf(const std::string& module) const
{
    return ownedBy(_extensions.screens, module) + ownedBy(_extensions.loaders, module) +
           ownedBy(_extensions.tasks, module) + ownedBy(_extensions.settings, module) +
           ownedBy(_extensions.rights, module) + ownedBy(_extensions.subscriptions, module);
}

std::string LoaderFixture::casesDir(const std::string& name)
{
    return std::string(CRMHOST_TEST_MODULES_DIR) + "/" + name;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace CrmHostTests
