#include "HostModuleContext.h"
#include "CronExpression.h"
#include <Poco/File.h>
#include <Poco/NumberFormatter.h>

namespace CrmHost
{
namespace
{
void requireOwnPrefix(const std::string& module, const std::string& id, const std::string& what)
{
    if (id.rfind(module + ".", 0) != 0)
        throw Poco::InvalidArgumentException(what + " \"" + id + "\" of module " + module +
                                             " must start with \"" + module + ".\"");
}
} // namespace

HostModuleContext::HostModuleContext(HostServices& services, const std::string& moduleName)
    : _services(services), _name(moduleName),
      _renderer(services.resourceDir + "/templates", moduleName, services.catalogue),
      _logger(Poco::Logger::get("crmhost.module." + moduleName))
{
}

void HostModuleContext::addScreen(const Screen& screen)
{
    if (!screen.handler)
        throw Poco::InvalidArgumentException("screen \"" + screen.path + "\" of module " + _name +
                                             " has no handler");
    _services.extensions.screens.add(_name, Extensions::screenId(_name, screen), screen);
}

void HostModuleContext::addRecipientLoader(std::shared_ptr<RecipientLoader> loader)
{
    if (!loader)
        throw Poco::InvalidArgumentException("module " + _name + " registered a null recipient loader");
    _services.extensions.loaders.add(_name, loader->name(), loader);
}

void HostModuleContext::addInboundMailHandler(const InboundMailHandler& handler)
{
    requireOwnPrefix(_name, handler.name, "inbound mail handler");
    if (handler.pattern.empty() || !handler.handle)
        throw Poco::InvalidArgumentException("inbound mail handler " + handler.name +
                                             " needs an address pattern and a function");
    _services.extensions.inboundMail.add(_name, handler.name, handler);
}

void HostModuleContext::addMemberLink(const MemberLink& link)
{
    requireOwnPrefix(_name, link.name, "member link");
    // The host fills the address in and puts the link on its own page: a path under the
    // module's pages only, never another site.
    const std::string& path = link.path;
    bool relative = !path.empty() && path[0] != '/' && path.find("//") == std::string::npos &&
                    path.find("..") == std::string::npos && path.find('\\') == std::string::npos &&
                    path.find(':') == std::string::npos;
    if (link.label.empty() || !relative || path.find("{email}") == std::string::npos)
        throw Poco::InvalidArgumentException("member link " + link.name +
                                             " needs a label and a relative path holding {email}");
    _services.extensions.memberLinks.add(_name, link.name, link);
}

void HostModuleContext::addSessionLink(const SessionLink& link)
{
    requireOwnPrefix(_name, link.name, "session link");
    // As a member link: a path under the module's pages only, never another site.
    const std::string& path = link.path;
    bool relative = !path.empty() && path[0] != '/' && path.find("//") == std::string::npos &&
                    path.find("..") == std::string::npos && path.find('\\') == std::string::npos &&
                    path.find(':') == std::string::npos;
    if (link.label.empty() || !relative || path.find("{session}") == std::string::npos)
        throw Poco::InvalidArgumentException("session link " + link.name +
                                             " needs a label and a relative path holding {session}");
    _services.extensions.sessionLinks.add(_name, link.name, link);
}

void HostModuleContext::addTask(const ScheduledTask& task)
{
    requireOwnPrefix(_name, task.name, "task");
    if (!task.run)
        throw Poco::InvalidArgumentException("task " + task.name + " has nothing to run");
    if (task.schedule.cron.empty() && task.schedule.intervalSeconds <= 0)
        throw Poco::InvalidArgumentException("task " + task.name + " needs an interval or a cron expression");
    if (!task.schedule.cron.empty())
        CronExpression(task.schedule.cron); // throws on a malformed expression
    _services.extensions.tasks.add(_name, task.name, task);
}

void HostModuleContext::declareSetting(const Setting& setting)
{
    requireOwnPrefix(_name, setting.key, "setting");
    // The value in force now (screen, file or default) is checked before the module can read it.
    HostSettings::check(setting, _services.settings.get(setting.key, setting.defaultValue));
    _services.extensions.settings.add(_name, setting.key, setting);
}

std::string HostModuleContext::setting(const std::string& key) const
{
    Setting declared;
    if (!_services.extensions.settings.find(key, declared))
        throw Poco::NotFoundException("setting " + key + " is not declared by module " + _name);
    return _services.settings.get(key, declared.defaultValue);
}

void HostModuleContext::declareRight(const Right& right)
{
    requireOwnPrefix(_name, right.name, "right");
    _services.extensions.rights.add(_name, right.name, right);
}

void HostModuleContext::subscribe(const std::string& eventName, HostEventHandler handler)
{
    std::string id = _name + "#" + Poco::NumberFormatter::format(++_subscriptions);
    _services.extensions.subscriptions.add(_name, id, {eventName, std::move(handler)});
}

std::string HostModuleContext::publicUrl(const std::string& path) const
{
    return _services.publicUrl + "/p/" + _name + "/" + path;
}

std::string HostModuleContext::dataDir() const
{
    std::string dir = _services.dataDir + "/" + _name;
    Poco::File(dir).createDirectories();
    return dir;
}

void HostModuleContext::removeRegistrations()
{
    _services.extensions.removeOwnedBy(_name);
}
} // namespace CrmHost
