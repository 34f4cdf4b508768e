#ifndef CrmHost_HostModuleContext_INCLUDED
#define CrmHost_HostModuleContext_INCLUDED

#include "CrmHost/ModuleContext.h"
#include "Extensions.h"
#include "HostSettings.h"
#include "MustacheRenderer.h"

namespace CrmHost
{
/// What the host lends to every module: one per host process.
struct HostServices
{
    Extensions& extensions;
    Database& database;
    HostSettings& settings;
    const Catalogue& catalogue;
    std::string resourceDir; /// Holds schema/ and templates/.
    std::string publicUrl;   /// How people reach the host, without a trailing slash.
    std::string dataDir;
};

/// The ModuleContext the host gives one module: every registration is recorded under the
/// module's name, so that removeRegistrations() undoes all of them.
class HostModuleContext : public ModuleContext
{
public:
    HostModuleContext(HostServices& services, const std::string& moduleName);

    const std::string& moduleName() const override { return _name; }
    void addScreen(const Screen& screen) override;
    void addRecipientLoader(std::shared_ptr<RecipientLoader> loader) override;
    void addTask(const ScheduledTask& task) override;
    void addInboundMailHandler(const InboundMailHandler& handler) override;
    void addMemberLink(const MemberLink& link) override;
    void addSessionLink(const SessionLink& link) override;
    void declareSetting(const Setting& setting) override;
    std::string setting(const std::string& key) const override;
    void declareRight(const Right& right) override;
    void subscribe(const std::string& eventName, HostEventHandler handler) override;
    Database& database() override { return _services.database; }
    const TemplateRenderer& templates() const override { return _renderer; }
    Poco::Logger& logger() const override { return _logger; }
    std::string publicUrl(const std::string& path) const override;
    std::string resourceDir() const override { return _services.resourceDir; }
    std::string dataDir() const override;

    void removeRegistrations();

private:
    HostServices& _services;
    std::string _name;
    MustacheRenderer _renderer;
    Poco::Logger& _logger;
    int _subscriptions = 0;
};
} // namespace CrmHost

#endif
