#include "Host.h"
#include "Migrator.h"
#include <Poco/File.h>
#include <Poco/Path.h>

#ifndef CRMHOST_RESOURCE_DIR
#define CRMHOST_RESOURCE_DIR "."
#endif

namespace CrmHost
{
namespace
{
std::unique_ptr<SqlDatabase> openDatabase(Poco::Util::AbstractConfiguration& config,
                                          const std::string& dataDir)
{
    std::string connector = config.getString("db.connector", "SQLite");
    std::string defaultFile = dataDir + "/crmhost.db";
    std::string connect = config.getString(
        "db.connect", SqlDatabase::dialectOf(connector) == Dialect::SQLite ? defaultFile : "");
    if (connect.empty())
        throw Poco::InvalidArgumentException("db.connect", "the MySQL connection string is not configured");
    return std::make_unique<SqlDatabase>(connector, connect, config.getInt("db.sessions", 32));
}

// http.public_url, or the address the server listens on.
std::string publicUrlOf(Poco::Util::AbstractConfiguration& config)
{
    std::string url =
        config.getString("http.public_url", "http://" + config.getString("http.address", "127.0.0.1") + ":" +
                                                config.getString("http.port", "8080"));
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

std::string makeDir(const std::string& path)
{
    std::string absolute = Poco::Path(path).absolute().toString();
    Poco::File(absolute).createDirectories();
    return absolute;
}
} // namespace

Host::Host(Poco::AutoPtr<Poco::Util::AbstractConfiguration> config)
    : _config(config), _resourceDir(config->getString("resources.dir", CRMHOST_RESOURCE_DIR)),
      _dataDir(makeDir(config->getString("data.dir", "var/data"))),
      _database(openDatabase(*config, _dataDir)), _accounts(*_database), _groups(*_database),
      _settings(config, *_database, _extensions.settings), _services{_extensions,  *_database,
                                                                     _settings,    _catalogue,
                                                                     _resourceDir, publicUrlOf(*config),
                                                                     _dataDir},
      _loader(_services), _scheduler(_extensions),
      _clientAddress(config->getString("http.trusted_proxies", "")),
      _mailbox(*_database, _extensions.inboundMail, MailboxPolicy::from(*config)),
      _events(
          *_database, [this](const HostEvent& event) { _extensions.publish(event); },
          [] { return Poco::DateTime(); },
          {config->getInt("events.upcoming_hours", 48), config->getInt("events.lookback_hours", 168)})
{
    _catalogue.load(_resourceDir + "/templates", "host");
    // The host's own task: every few seconds, and at once when the listener stored a message.
    _extensions.tasks.add("host", "host.inbound",
                          {"host.inbound", "offers the received mail to the inbound mail handlers",
                           Schedule::every(5), [this] { return processInbound(); }});
    // The typed events of the host's data (H2), offered to the modules that subscribed.
    _extensions.tasks.add("host", "host.events",
                          {"host.events",
                           "offers the due host events (orders opened, upcoming ...) to the modules",
                           Schedule::every(60),
                           [this]
                           {
                               _events.emit();
                               return false;
                           }});
}

bool Host::processInbound()
{
    Mailbox::Round round = _mailbox.process(50);
    if (_rawDroppedAt.isElapsed(3600 * Poco::Timestamp::resolution()))
    {
        _mailbox.dropExpiredRaw();
        _rawDroppedAt.update();
    }
    return round.more;
}

Host::~Host()
{
    _scheduler.stop();
    _loader.stopAll();
}

void Host::loadModules()
{
    _loader.load(_config->getString("modules.dir", "build/modules"));
    for (const auto& module : _loader.modules())
        if (module->error.empty() &&
            Poco::File(_resourceDir + "/templates/" + module->name + "/i18n").exists())
            _catalogue.load(_resourceDir + "/templates", module->name);
}

void Host::migrate()
{
    Migrator migrator(*_database, _resourceDir + "/schema");
    migrator.migrate("host");
    for (const auto& module : _loader.modules())
        if (module->error.empty())
            migrator.migrate(module->name);
}

void Host::startModules()
{
    _loader.startAll();
    for (const auto& module : _loader.modules())
        if (module->misconfigured)
            throw SettingException(module->error);
}

void Host::stopModules()
{
    _loader.stopAll();
}
} // namespace CrmHost
