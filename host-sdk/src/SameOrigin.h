#ifndef CrmHost_SameOrigin_INCLUDED
#define CrmHost_SameOrigin_INCLUDED

#include <Poco/Net/HTTPServerRequest.h>
#include <string>

namespace CrmHost
{
/// Whether a request comes from the host's own pages: a request that changes something
/// (any method but GET, HEAD, OPTIONS) whose Origin header (or, without one, Referer) names
/// another site is refused, whatever its cookies and tokens. A request with neither header
/// (an API client, a script, an old browser) is left to the other checks.
class SameOrigin
{
public:
    explicit SameOrigin(const std::string& publicUrl);
    /// publicUrl: how people reach the host (http.public_url); the Host header the request
    /// came with is the host's origin too.

    bool allows(const Poco::Net::HTTPServerRequest& request) const;

    static std::string originOf(const std::string& url);
    /// "scheme://host[:port]" in lower case, the scheme's default port left out; "" when the
    /// URL has no scheme or host (Origin: null).

private:
    std::string _public;
};
} // namespace CrmHost

#endif
