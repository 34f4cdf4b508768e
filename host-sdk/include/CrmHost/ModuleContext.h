#ifndef CrmHost_ModuleContext_INCLUDED
#define CrmHost_ModuleContext_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/HostEvent.h"
#include "CrmHost/InboundMail.h"
#include "CrmHost/MemberLink.h"
#include "CrmHost/RecipientLoader.h"
#include "CrmHost/ScheduledTask.h"
#include "CrmHost/Screen.h"
#include "CrmHost/SessionLink.h"
#include "CrmHost/Setting.h"
#include "CrmHost/TemplateRenderer.h"
#include <Poco/Logger.h>
#include <memory>
#include <string>

namespace CrmHost
{
/// A module's only door to the host (after OSP's BundleContext). Everything registered
/// through it belongs to the module and is removed when the module stops. Every add...
/// and declare... throws DuplicateRegistrationException when the id is taken, and
/// Poco::InvalidArgumentException when the registration is malformed.
class ModuleContext
{
public:
    virtual ~ModuleContext() = default;

    virtual const std::string& moduleName() const = 0;

    virtual void addScreen(const Screen& screen) = 0;
    /// Identified by kind, method and path.

    virtual void addRecipientLoader(std::shared_ptr<RecipientLoader> loader) = 0;
    /// Identified by loader->name().

    virtual void addTask(const ScheduledTask& task) = 0;
    /// Identified by task.name; an invalid cron expression is refused.

    virtual void addInboundMailHandler(const InboundMailHandler& handler) = 0;
    /// Identified by handler.name; a handler without a pattern or a function is refused. Since API 1.4.

    virtual void declareSetting(const Setting& setting) = 0;
    /// Throws SettingException when the value in force does not pass setting.allowed or
    /// setting.check: the module cannot start with it.
    virtual std::string setting(const std::string& key) const = 0;
    /// The value of a declared setting. Throws Poco::NotFoundException for an undeclared key.

    virtual void declareRight(const Right& right) = 0;

    virtual void subscribe(const std::string& eventName, HostEventHandler handler) = 0;

    virtual Database& database() = 0;
    virtual const TemplateRenderer& templates() const = 0;
    virtual Poco::Logger& logger() const = 0;

    virtual std::string publicUrl(const std::string& path) const = 0;
    /// The absolute URL of one of the module's public screens, as people reach it from a
    /// message: http.public_url + "/p/" + module + "/" + path. Since API 1.1.

    virtual std::string resourceDir() const = 0;
    /// The read-only folder that holds schema/, templates/ and the modules' web assets
    /// (the host's resources.dir). Since API 1.1.

    virtual std::string dataDir() const = 0;
    /// A folder of the module's own under the host's data folder, created on first use.

    virtual void addMemberLink(const MemberLink& link) = 0;
    /// Identified by link.name; a link without a label, or whose path is not a relative path
    /// holding "{email}", is refused. Shown only in the groups where the module is enabled. Last
    /// in the class, so that modules built for an earlier minor keep their calls. Since API 1.6.

    virtual void addSessionLink(const SessionLink& link) = 0;
    /// Identified by link.name; a link without a label, or whose path is not a relative path
    /// holding "{session}", is refused. Shown on the host's page of each studio session, only in
    /// the groups where the module is enabled. Last in the class. Since API 1.8.
};
} // namespace CrmHost

#endif
