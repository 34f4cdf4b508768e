// Fuzz target: the VERP bounce address read back (content/BounceAddress): any text as an
// address and as a text to find a token in. A token it accepts names what the signer signed:
// signing it again gives the same token, in lower case.
#include "FuzzInput.h"
#include "content/BounceAddress.h"
#include <Poco/String.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const MassMailing::BounceAddress signer(std::string(32, 'k'));
    const std::string text = MassMailingFuzz::textOf(data, size);
    MassMailing::BounceAddress::find(text);
    try
    {
        const MassMailing::BounceToken token = signer.parse(text);
        const std::string again = signer.token(token);
        if (Poco::toLower(text).find("bounce+" + again + "@") == std::string::npos)
            std::abort();
    }
    catch (const MassMailing::InvalidBounceAddressException&)
    {
    }
    return 0;
}
