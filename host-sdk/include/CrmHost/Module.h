#ifndef CrmHost_Module_INCLUDED
#define CrmHost_Module_INCLUDED

namespace CrmHost
{
class ModuleContext;

/// A module's activator (after OSP's BundleActivator): it registers its extensions in
/// start() and may release its own resources in stop(). What it registered through the
/// context is removed by the host after stop(), even when start() threw.
class Module
{
public:
    virtual ~Module() = default;

    virtual void start(ModuleContext& context) = 0;
    /// Registers the module's screens, loaders, tasks, settings, rights and event handlers.
    /// Any exception refuses the module; the host logs it and goes on with the others.

    virtual void stop(ModuleContext& context) = 0;
    /// Called once before the module is unloaded; must not throw.
};
} // namespace CrmHost

#endif
