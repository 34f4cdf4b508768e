// Fuzz target: a DNS server's answer as the sending domains' checks read it (content/DnsLookup):
// the first byte chooses the record type asked for (even: TXT, odd: MX), the rest is the answer.
// Whatever the bytes, parseAnswer returns records or throws DnsException; a TXT record it returns
// is never longer than the message, an MX host (compressed, escaped) never longer than a DNS name.
#include "content/DnsLookup.h"
#include <arpa/nameser.h>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const int type = data[0] % 2 == 0 ? ns_t_txt : ns_t_mx;
    try
    {
        for (const std::string& value : MassMailing::DnsLookup::parseAnswer(data + 1, size - 1, type))
            if (type == ns_t_txt ? value.size() > size : value.size() > NS_MAXDNAME)
                std::abort();
    }
    catch (const MassMailing::DnsException&)
    {
    }
    return 0;
}
