#include "MailAddress.h"
#include <Poco/String.h>
#include <utility>

namespace MassMailing
{
MailAddress::MailAddress(std::string address) : address(std::move(address)) {}

MailAddress::MailAddress(std::string name, std::string address)
    : name(std::move(name)), address(std::move(address))
{
}

std::string MailAddress::domain() const
{
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string() : Poco::toLower(address.substr(at + 1));
}
} // namespace MassMailing
