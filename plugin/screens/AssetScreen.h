#ifndef MassMailing_AssetScreen_INCLUDED
#define MassMailing_AssetScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "screens/Routes.h"
#include <string>

namespace MassMailing
{
/// The few static files the composition screen loads, served at /p/massmailing/assets/NAME:
/// the Quill editor as the build installed it (plugin/web/node_modules/quill/dist/, npm ci)
/// and the module's own script and stylesheet (plugin/web/). Only these names exist: a path
/// is never built from the request, so there is nothing to traverse.
class AssetScreen
{
public:
    explicit AssetScreen(const std::string& resourceDir);
    /// resourceDir: ModuleContext::resourceDir(), the folder that holds plugin/web/.

    Routes routes();
    /// Its public routes: no login, the signed token or the file name is all (see Routes.h).

    CrmHost::Response asset(const CrmHost::Request& request) const;
    /// GET assets/{file}: the file with its content type, or 404 (text) for any other name
    /// or when the build did not install it.

private:
    std::string _resourceDir;
};
} // namespace MassMailing

#endif
