#include "audience/EmailAddress.h"
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <cctype>

namespace MassMailing
{
const char* const EmailAddress::BLANKS = " \t\n\v\f\r";
const char* const EmailAddress::ERASED_DOMAIN = "erased.invalid";

namespace
{
std::string trimmed(const std::string& address)
{
    const auto first = address.find_first_not_of(EmailAddress::BLANKS);
    if (first == std::string::npos)
        return "";
    return address.substr(first, address.find_last_not_of(EmailAddress::BLANKS) - first + 1);
}

// A-Z to a-z, every other byte as it is (see identity()).
std::string asciiLower(std::string text)
{
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return text;
}
} // namespace

std::string EmailAddress::erasedForm(const std::string& address)
{
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(identity(address));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string EmailAddress::normalize(const std::string& address)
{
    std::string t = trimmed(address);
    auto at = t.find('@');
    if (at == std::string::npos)
        return t;
    return t.substr(0, at + 1) + asciiLower(t.substr(at + 1));
}

std::string EmailAddress::identity(const std::string& address)
{
    return asciiLower(trimmed(address));
}

std::string EmailAddress::domain(const std::string& address)
{
    std::string sent = normalize(address);
    auto at = sent.rfind('@');
    return at == std::string::npos ? sent : sent.substr(at + 1);
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
