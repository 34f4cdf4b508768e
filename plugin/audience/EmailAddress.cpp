#include "audience/EmailAddress.h"
#include <Poco/String.h>
#include <cctype>

namespace MassMailing
{
std::string EmailAddress::normalize(const std::string& address)
{
    std::string trimmed = Poco::trim(address);
    auto at = trimmed.rfind('@');
    if (at == std::string::npos)
        return trimmed;
    return trimmed.substr(0, at + 1) + Poco::toLower(trimmed.substr(at + 1));
}

bool EmailAddress::isValid(const std::string& address)
{
    auto at = address.rfind('@');
    if (at == std::string::npos || at == 0 || at > 64 || address.size() > 254)
        return false;
    const std::string local = address.substr(0, at), domain = address.substr(at + 1);

    static const std::string atext = "!#$%&'*+-/=?^_`{|}~";
    char previous = '.';
    for (char c : local)
    {
        bool ok = std::isalnum(static_cast<unsigned char>(c)) || atext.find(c) != std::string::npos ||
                  (c == '.' && previous != '.');
        if (!ok)
            return false;
        previous = c;
    }
    if (previous == '.')
        return false;

    if (domain.empty() || domain.size() > 255)
        return false;
    std::size_t labels = 0, start = 0;
    while (start <= domain.size())
    {
        std::size_t dot = domain.find('.', start);
        std::string label = domain.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return false;
        ++labels;
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return labels >= 2;
}
} // namespace MassMailing
