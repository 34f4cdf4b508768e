#include "screens/AssetScreen.h"
#include "Rights.h"
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

namespace MassMailing
{
namespace
{
struct Asset
{
    const char* name;
    const char* path; /// Under the resource folder.
    const char* contentType;
};

const Asset ASSETS[] = {
    {"quill.js", "plugin/web/node_modules/quill/dist/quill.js", "text/javascript; charset=utf-8"},
    {"quill.snow.css", "plugin/web/node_modules/quill/dist/quill.snow.css", "text/css; charset=utf-8"},
    {"composition.js", "plugin/web/composition.js", "text/javascript; charset=utf-8"},
    {"sms.js", "plugin/web/sms.js", "text/javascript; charset=utf-8"}, // the SMS counter (issue 15)
    {"screens.css", "plugin/web/screens.css", "text/css; charset=utf-8"},
    {"screens.js", "plugin/web/screens.js", "text/javascript; charset=utf-8"},
    // Web Push: the subscribe page's script and the service worker (its scope is this folder).
    {"push.js", "plugin/web/push.js", "text/javascript; charset=utf-8"},
    {"push-sw.js", "plugin/web/push-sw.js", "text/javascript; charset=utf-8"},
};

CrmHost::Response notFound(const std::string& text)
{
    CrmHost::Response response;
    response.status = 404;
    response.standalone = true;
    response.contentType = "text/plain; charset=utf-8";
    response.body = text;
    return response;
}
} // namespace

AssetScreen::AssetScreen(const std::string& resourceDir) : _resourceDir(resourceDir) {}

CrmHost::Response AssetScreen::asset(const CrmHost::Request& request) const
{
    const std::string name = request.param("file");
    for (const auto& asset : ASSETS)
    {
        if (name != asset.name)
            continue;
        std::string path = _resourceDir + "/" + asset.path;
        if (!Poco::File(path).exists())
            return notFound(std::string(asset.path) +
                            " is missing: build the module (npm ci in plugin/web)\n");
        Poco::FileInputStream in(path);
        CrmHost::Response response;
        response.standalone = true;
        response.contentType = asset.contentType;
        Poco::StreamCopier::copyToString(in, response.body);
        return response;
    }
    return notFound("no such asset\n");
}

Routes AssetScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Public, "GET", "assets/{file}", "", Rights::ANY, on(this, &AssetScreen::asset)},
    };
}
} // namespace MassMailing
