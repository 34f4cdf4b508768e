#ifndef CrmHost_ClientAddress_INCLUDED
#define CrmHost_ClientAddress_INCLUDED

#include <Poco/Net/IPAddress.h>
#include <string>
#include <vector>

namespace CrmHost
{
/// Who is on the other end of a request: the peer's address, or, when the peer is one of the
/// reverse proxies named in http.trusted_proxies, the client that proxy says it forwards for.
/// Behind a proxy every request comes from the proxy's address, so the login throttle would
/// count every user as one and the tracking would record the proxy; X-Forwarded-For is
/// believed only from a trusted proxy, since anyone else can write it.
class ClientAddress
{
public:
    static constexpr std::size_t MAX_HOPS = 16; /// Entries of X-Forwarded-For looked at, from the right.

    explicit ClientAddress(const std::string& trustedProxies = "");
    /// trustedProxies: IP addresses separated by commas or spaces. Throws
    /// Poco::InvalidArgumentException naming the entry that is not an address.

    std::string of(const std::string& peer, const std::string& forwardedFor) const;
    /// The client's address: walking X-Forwarded-For from the right (each proxy appends the
    /// address it received from), the first entry that is not a trusted proxy. The peer
    /// itself when it is not trusted, when the header is missing, or when an entry is not an
    /// address (a forged or broken header is not followed past what can be checked).

private:
    bool trusted(const std::string& address) const;

    std::vector<Poco::Net::IPAddress> _proxies;
};
} // namespace CrmHost

#endif
