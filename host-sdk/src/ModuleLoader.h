#ifndef CrmHost_ModuleLoader_INCLUDED
#define CrmHost_ModuleLoader_INCLUDED

#include "CrmHost/Module.h"
#include "CrmHost/ModuleEntry.h"
#include "HostModuleContext.h"
#include <Poco/SharedLibrary.h>
#include <memory>
#include <string>
#include <vector>

namespace CrmHost
{
/// A module found in the modules folder: loaded and started, or refused with the reason.
struct LoadedModule
{
    std::string path;
    std::string name; /// Empty when the entry point could not be read.
    std::string version;
    unsigned apiMajor = 0;
    unsigned apiMinor = 0;
    bool started = false;
    std::string error;          /// Why the module was refused; empty when it runs.
    bool misconfigured = false; /// Refused because the value of one of its settings is (SettingException).

    // Destroyed in reverse order: the module and its context before the code they live in.
    std::unique_ptr<Poco::SharedLibrary> library;
    std::unique_ptr<HostModuleContext> context;
    std::unique_ptr<Module> module;
};

/// Loads the modules of a folder (lib*.so), checks their entry point and API version, and
/// starts them, each isolated from the others (after LLVM's and OSP's loaders).
class ModuleLoader
{
public:
    explicit ModuleLoader(HostServices& services);
    ~ModuleLoader();
    /// Stops the modules still running.

    void load(const std::string& modulesDir);
    /// Loads every lib*.so of the folder, in name order, and reads its entry point. A module
    /// that cannot be loaded is kept in modules() with its error; never throws for one module.
    /// Throws Poco::FileNotFoundException when the folder does not exist.

    void startAll();
    /// Starts every loaded, not refused module. A module whose start() throws (or registers a
    /// duplicate) is logged, its registrations removed, and refused; the others go on. A module
    /// refused for a setting's value is marked misconfigured.

    void stopAll();
    /// Stops the started modules in reverse order and removes their registrations.

    const std::vector<std::unique_ptr<LoadedModule>>& modules() const { return _modules; }
    const LoadedModule* find(const std::string& name) const;
    /// A started module by name, or nullptr.

    static const ModuleInfo& readEntryPoint(Poco::SharedLibrary& library, const std::string& path);
    /// The module's entry point, checked against the host API version.
    /// Throws ModuleLoadException naming the file and the reason.

private:
    void refuse(LoadedModule& module, const std::string& reason);

    HostServices& _services;
    std::vector<std::unique_ptr<LoadedModule>> _modules;
};
} // namespace CrmHost

#endif
