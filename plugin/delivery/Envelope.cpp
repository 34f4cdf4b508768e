#include "Envelope.h"
#include <Poco/Exception.h>

namespace MassMailing
{
namespace
{
void checkAddress(const std::string& address, const char* field)
{
    for (const char c : address)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= ' ' || byte == 0x7f || c == '<' || c == '>')
            throw Poco::InvalidArgumentException(std::string(field) + " \"" + address +
                                                 "\" holds a space, a control character or an angle bracket");
    }
}
} // namespace

void Envelope::check() const
{
    checkAddress(from, "envelope sender");
    if (recipients.empty())
        throw Poco::InvalidArgumentException("envelope recipient: there is none");
    for (const std::string& recipient : recipients)
    {
        if (recipient.empty())
            throw Poco::InvalidArgumentException("envelope recipient is empty");
        checkAddress(recipient, "envelope recipient");
    }
}
} // namespace MassMailing
