#include "ClientAddress.h"
#include <Poco/Exception.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>

namespace CrmHost
{
ClientAddress::ClientAddress(const std::string& trustedProxies)
{
    Poco::StringTokenizer entries(trustedProxies, ", ",
                                  Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    for (const std::string& entry : entries)
    {
        Poco::Net::IPAddress address;
        if (!Poco::Net::IPAddress::tryParse(entry, address))
            throw Poco::InvalidArgumentException("http.trusted_proxies",
                                                 "\"" + entry + "\" is not an IP address");
        _proxies.push_back(address);
    }
}

bool ClientAddress::trusted(const std::string& address) const
{
    Poco::Net::IPAddress ip;
    return Poco::Net::IPAddress::tryParse(address, ip) &&
           std::find(_proxies.begin(), _proxies.end(), ip) != _proxies.end();
}

std::string ClientAddress::of(const std::string& peer, const std::string& forwardedFor) const
{
    std::string client = peer;
    std::size_t end = forwardedFor.size();
    for (std::size_t hops = 0; trusted(client) && end > 0 && hops < MAX_HOPS; ++hops)
    {
        std::size_t comma = forwardedFor.rfind(',', end - 1);
        std::size_t begin = comma == std::string::npos ? 0 : comma + 1;
        std::string entry = forwardedFor.substr(begin, end - begin);
        entry.erase(0, entry.find_first_not_of(" \t"));
        entry.erase(entry.find_last_not_of(" \t") + 1);
        Poco::Net::IPAddress ip;
        if (!Poco::Net::IPAddress::tryParse(entry, ip))
            break;
        client = entry; // as written: Poco writes some IPv6 forms (::2 as ::0.0.0.2) it cannot read back
        end = comma == std::string::npos ? 0 : comma;
    }
    return client;
}
} // namespace CrmHost
