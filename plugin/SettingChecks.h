#ifndef MassMailing_SettingChecks_INCLUDED
#define MassMailing_SettingChecks_INCLUDED

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <cctype>
#include <functional>
#include <string>

namespace MassMailing
{
/// Checks of a setting's value (CrmHost::Setting::check), for the module's settings and a
/// group's own values alike: each throws Poco::InvalidArgumentException saying what it must be.
inline std::function<void(const std::string&)> wholeNumber(Poco::Int64 min, Poco::Int64 max)
{
    return [min, max](const std::string& value)
    {
        Poco::Int64 number = 0;
        if (!Poco::NumberParser::tryParse64(value, number) || number < min || number > max)
            throw Poco::InvalidArgumentException("it must be a whole number from " + std::to_string(min) +
                                                 " to " + std::to_string(max));
    };
}

/// Empty, or a domain name: labels of letters, digits and hyphens, 253 characters at most.
inline void domainNameOrEmpty(const std::string& value)
{
    if (value.empty())
        return;
    bool good = value.size() <= 253 && value.front() != '.' && value.back() != '.';
    std::size_t label = 0;
    for (char c : value)
    {
        if (c == '.')
        {
            good = good && label > 0;
            label = 0;
        }
        else
        {
            good = good && (std::isalnum(static_cast<unsigned char>(c)) || c == '-') && ++label <= 63;
        }
    }
    if (!good)
        throw Poco::InvalidArgumentException("it must be a domain name, or empty for the sender's domain");
}
} // namespace MassMailing

#endif
