#include "SameOrigin.h"
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace CrmHost
{
SameOrigin::SameOrigin(const std::string& publicUrl) : _public(originOf(publicUrl)) {}

std::string SameOrigin::originOf(const std::string& url)
{
    try
    {
        Poco::URI uri(url);
        if (uri.getScheme().empty() || uri.getHost().empty())
            return "";
        Poco::URI bare(uri.getScheme(), uri.getHost(), "");
        std::string origin = Poco::toLower(uri.getScheme()) + "://" + Poco::toLower(uri.getHost());
        if (uri.getPort() != bare.getPort())
            origin += ":" + std::to_string(uri.getPort());
        return origin;
    }
    catch (const Poco::SyntaxException&)
    {
        return "";
    }
}

bool SameOrigin::allows(const Poco::Net::HTTPServerRequest& request) const
{
    const std::string& method = request.getMethod();
    if (method == "GET" || method == "HEAD" || method == "OPTIONS")
        return true;
    std::string claimed;
    if (request.has("Origin"))
        claimed = originOf(request.get("Origin"));
    else if (request.has("Referer"))
        claimed = originOf(request.get("Referer"));
    else
        return true;
    if (claimed.empty())
        return false;
    const std::string host = request.getHost();
    return claimed == _public || (!host.empty() && (claimed == originOf("http://" + host) ||
                                                    claimed == originOf("https://" + host)));
}
} // namespace CrmHost
