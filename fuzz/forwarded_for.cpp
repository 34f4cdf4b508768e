// Fuzz target: X-Forwarded-For as the host reads it behind a trusted proxy (ClientAddress).
// The first byte chooses whether the peer is trusted. The answer is always the peer or an
// address read from the header, never more than MAX_HOPS entries from its right.
#include "ClientAddress.h"
#include "FuzzInput.h"
#include <Poco/Net/IPAddress.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const CrmHost::ClientAddress addresses("127.0.0.1, ::1, 10.0.0.1");
    const std::string peer = data[0] % 2 ? "127.0.0.1" : "192.0.2.1";
    const std::string header = MassMailingFuzz::textOf(data + 1, size - 1);
    const std::string client = addresses.of(peer, header);
    Poco::Net::IPAddress ip;
    if (client != peer && !Poco::Net::IPAddress::tryParse(client, ip))
        std::abort(); // something that is not an address taken for the client
    if (peer == "192.0.2.1" && client != peer)
        std::abort(); // an untrusted peer's header believed
    return 0;
}
