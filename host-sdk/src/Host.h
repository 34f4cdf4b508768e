#ifndef CrmHost_Host_INCLUDED
#define CrmHost_Host_INCLUDED

#include "Accounts.h"
#include "Catalogue.h"
#include "ClientAddress.h"
#include "Extensions.h"
#include "Groups.h"
#include "HostEvents.h"
#include "HostModuleContext.h"
#include "HostSettings.h"
#include "LoginThrottle.h"
#include "Mailbox.h"
#include "ModuleLoader.h"
#include "Scheduler.h"
#include "SqlDatabase.h"
#include <Poco/AutoPtr.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <memory>

namespace CrmHost
{
/// The reference host assembled from its configuration: database, accounts, groups, the
/// extension points and the modules plugged into them, and the scheduler. The command
/// line and the web server are two faces of it.
class Host
{
public:
    explicit Host(Poco::AutoPtr<Poco::Util::AbstractConfiguration> config);
    /// Opens the database. Throws Poco::InvalidArgumentException for a bad db.connector.
    ~Host();

    void loadModules();
    /// Loads the modules of modules.dir (without starting them).
    void migrate();
    /// Applies the host's migrations, then those of every loaded module.
    void startModules();
    /// Starts the loaded modules. Throws SettingException, naming the module, the key and the
    /// allowed values, when a module cannot start with the value of one of its settings: the
    /// host must not run with a module it was configured for and cannot use.
    void stopModules();

    Poco::Util::AbstractConfiguration& config() { return *_config; }
    const std::string& resourceDir() const { return _resourceDir; }
    const std::string& publicUrl() const { return _services.publicUrl; }
    /// How people reach the host (http.public_url), without a trailing slash.
    SqlDatabase& database() { return *_database; }
    Accounts& accounts() { return _accounts; }
    Groups& groups() { return _groups; }
    HostSettings& settings() { return _settings; }
    const Catalogue& catalogue() const { return _catalogue; }
    Extensions& extensions() { return _extensions; }
    ModuleLoader& modules() { return _loader; }
    Scheduler& scheduler() { return _scheduler; }
    LoginThrottle& loginThrottle() { return _loginThrottle; }
    const ClientAddress& clientAddress() const { return _clientAddress; }
    /// Who sent a request: the peer, or the client a trusted proxy forwards for (http.trusted_proxies).
    Mailbox& mailbox() { return _mailbox; }
    HostEvents& events() { return _events; }
    /// The typed events of the host's data (H2); the host's task host.events emits them.
    /// The received mail; the host's task host.inbound hands it to the inbound mail handlers.

private:
    bool processInbound();

    Poco::AutoPtr<Poco::Util::AbstractConfiguration> _config;
    std::string _resourceDir;
    std::string _dataDir;
    std::unique_ptr<SqlDatabase> _database;
    Accounts _accounts;
    Groups _groups;
    Extensions _extensions; // before _settings, which applies the declarations it holds
    HostSettings _settings;
    Catalogue _catalogue;
    HostServices _services;
    ModuleLoader _loader;
    Scheduler _scheduler;
    LoginThrottle _loginThrottle;
    ClientAddress _clientAddress;
    Mailbox _mailbox;
    HostEvents _events;
    Poco::Timestamp _rawDroppedAt = 0;
};
} // namespace CrmHost

#endif
