#include "ModuleLoader.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <algorithm>

namespace CrmHost
{
namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.modules");
}

std::string version(unsigned major, unsigned minor)
{
    return std::to_string(major) + "." + std::to_string(minor);
}
} // namespace

ModuleLoader::ModuleLoader(HostServices& services) : _services(services) {}

ModuleLoader::~ModuleLoader()
{
    stopAll();
}

const ModuleInfo& ModuleLoader::readEntryPoint(Poco::SharedLibrary& library, const std::string& path)
{
    if (!library.hasSymbol(CRMHOST_MODULE_ENTRY_SYMBOL))
        throw ModuleLoadException(
            path + " is not a crmhost module: it has no entry point " CRMHOST_MODULE_ENTRY_SYMBOL);
    auto entry = reinterpret_cast<CrmHostModuleInfoFunction>(library.getSymbol(CRMHOST_MODULE_ENTRY_SYMBOL));
    const ModuleInfo* info = entry();
    if (!info || !info->name || !*info->name || !info->create)
        throw ModuleLoadException(path + ": its entry point returned no name or no create function");
    std::string module = std::string("module ") + info->name + " (" + path + ")";
    if (info->apiMajor != HOST_API_MAJOR)
        throw ModuleLoadException(module + " was built for host API " +
                                  version(info->apiMajor, info->apiMinor) + " but this host provides API " +
                                  version(HOST_API_MAJOR, HOST_API_MINOR) +
                                  ": the major versions must be equal");
    if (info->apiMinor > HOST_API_MINOR)
        throw ModuleLoadException(module + " needs host API " + version(info->apiMajor, info->apiMinor) +
                                  " but this host provides only API " +
                                  version(HOST_API_MAJOR, HOST_API_MINOR));
    return *info;
}

void ModuleLoader::load(const std::string& modulesDir)
{
    Poco::File dir(modulesDir);
    if (!dir.exists() || !dir.isDirectory())
        throw Poco::FileNotFoundException("modules folder " + modulesDir);
    std::vector<std::string> paths;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        std::string file = it.name();
        if (file.rfind("lib", 0) == 0 && Poco::Path(file).getExtension() == "so")
            paths.push_back(Poco::Path(modulesDir, file).toString());
    }
    std::sort(paths.begin(), paths.end());

    for (const auto& path : paths)
    {
        auto loaded = std::make_unique<LoadedModule>();
        loaded->path = path;
        try
        {
            loaded->library = std::make_unique<Poco::SharedLibrary>(path);
            const ModuleInfo& info = readEntryPoint(*loaded->library, path);
            loaded->name = info.name;
            loaded->version = info.version ? info.version : "";
            loaded->apiMajor = info.apiMajor;
            loaded->apiMinor = info.apiMinor;
            if (std::any_of(_modules.begin(), _modules.end(),
                            [&](const auto& m) { return m->name == loaded->name && m->error.empty(); }))
                throw ModuleLoadException("module " + loaded->name + " (" + path + ") is already loaded");
            logger().information("Loaded module %s %s from %s", loaded->name, loaded->version, path);
        }
        catch (const Poco::LibraryLoadException& error)
        {
            refuse(*loaded, "cannot load " + path + ": " + error.message());
        }
        catch (const Poco::Exception& error)
        {
            refuse(*loaded, error.message());
        }
        _modules.push_back(std::move(loaded));
    }
}

void ModuleLoader::startAll()
{
    for (auto& loaded : _modules)
    {
        if (!loaded->error.empty() || loaded->started)
            continue;
        loaded->context = std::make_unique<HostModuleContext>(_services, loaded->name);
        try
        {
            const ModuleInfo& info = readEntryPoint(*loaded->library, loaded->path);
            loaded->module.reset(info.create());
            loaded->module->start(*loaded->context);
            loaded->started = true;
            logger().information("Started module %s %s", loaded->name, loaded->version);
        }
        catch (const SettingException& error)
        {
            refuse(*loaded, "module " + loaded->name + " cannot start: " + error.message());
            loaded->misconfigured = true;
        }
        catch (const Poco::Exception& error)
        {
            refuse(*loaded, "module " + loaded->name + " failed to start: " + error.displayText());
        }
        catch (const std::exception& error)
        {
            refuse(*loaded, "module " + loaded->name + " failed to start: " + error.what());
        }
        catch (...)
        {
            refuse(*loaded, "module " + loaded->name + " failed to start: unknown exception");
        }
    }
}

void ModuleLoader::stopAll()
{
    for (auto it = _modules.rbegin(); it != _modules.rend(); ++it)
    {
        LoadedModule& loaded = **it;
        if (!loaded.started)
            continue;
        try
        {
            loaded.module->stop(*loaded.context);
        }
        catch (...)
        {
            logger().error("Module %s threw while stopping", loaded.name);
        }
        loaded.context->removeRegistrations();
        loaded.started = false;
        logger().information("Stopped module %s", loaded.name);
    }
}

const LoadedModule* ModuleLoader::find(const std::string& name) const
{
    for (const auto& loaded : _modules)
        if (loaded->started && loaded->name == name)
            return loaded.get();
    return nullptr;
}

void ModuleLoader::refuse(LoadedModule& module, const std::string& reason)
{
    module.error = reason;
    module.started = false;
    if (module.context)
        module.context->removeRegistrations();
    module.module.reset();
    logger().error("Refused module: %s", reason);
}
} // namespace CrmHost
