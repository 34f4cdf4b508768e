#ifndef CrmHost_ModuleEntry_INCLUDED
#define CrmHost_ModuleEntry_INCLUDED

// The one exported symbol every module provides. Modelled on LLVM's PassPluginLibraryInfo:
// a plain struct, so that the host can read the API version before it touches any C++ type.

namespace CrmHost
{
class Module;

/// The host API version. A module is accepted when its major equals the host's major
/// (majors break) and its minor is not greater than the host's minor (minors add).
constexpr unsigned HOST_API_MAJOR = 1;
constexpr unsigned HOST_API_MINOR = 8; // 1.1: public screens, ModuleContext::publicUrl and resourceDir;
                                       // 1.2: Request::files (uploads of page forms);
                                       // 1.3: Setting::allowed and Setting::check, Request::moduleEnabled;
                                       // 1.4: inbound mail handlers (InboundMail.h);
                                       // 1.5: Response::stream (a body sent as it is written);
                                       // 1.6: Request::userAgent and Request::clientAddress, member
                                       //      links (MemberLink.h);
                                       // 1.7: typed host events with an id and a time (HostEvent.h)
                                       // 1.8: Request::headers, the raw body of a public POST that
                                       //      is not a form (webhooks); RecipientQuery::hasPhone; session
                                       //      links (SessionLink.h), the host's session pages; a public
                                       //      screen's JSON body in Request::body

struct ModuleInfo
{
    unsigned apiMajor;   /// HOST_API_MAJOR the module was built against.
    unsigned apiMinor;   /// HOST_API_MINOR the module was built against.
    const char* name;    /// Unique module name, also its folder in schema/ and templates/.
    const char* version; /// The module's own version, for the administrator.
    Module* (*create)(); /// Creates the module; the host owns and deletes it.
};
} // namespace CrmHost

/// Name of the entry point the host looks up in a module's shared object.
#define CRMHOST_MODULE_ENTRY_SYMBOL "crmhostModuleInfo"

extern "C" typedef const CrmHost::ModuleInfo* (*CrmHostModuleInfoFunction)();

/// Defines the entry point of a module: CRMHOST_MODULE(MassMailing::MassMailingModule, "massmailing",
/// "0.1.0")
#define CRMHOST_MODULE(ModuleClass, moduleName, moduleVersion)                                               \
    extern "C" __attribute__((visibility("default"))) const CrmHost::ModuleInfo* crmhostModuleInfo()         \
    {                                                                                                        \
        static const CrmHost::ModuleInfo info{CrmHost::HOST_API_MAJOR, CrmHost::HOST_API_MINOR, moduleName,  \
                                              moduleVersion,                                                 \
                                              []() -> CrmHost::Module* { return new ModuleClass; }};         \
        return &info;                                                                                        \
    }

#endif
