#include "audience/PhoneNumber.h"
#include <algorithm>
#include <cctype>
#include <phonenumbers/phonenumberutil.h>

namespace MassMailing
{
namespace
{
bool digitsOnly(const std::string& text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string parsed(const std::string& text, const std::string& country)
{
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber number;
    if (util.Parse(text, country.empty() ? "ZZ" : country, &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !util.IsValidNumber(number))
        return {};
    // An SMS reaches a mobile; where the plan does not tell (the US), the number may be one.
    const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
    if (type != PhoneNumberUtil::MOBILE && type != PhoneNumberUtil::FIXED_LINE_OR_MOBILE)
        return {};
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return e164;
}
} // namespace

std::string PhoneNumber::toE164(const std::string& written, const std::string& country)
{
    if (written.size() > 64)
        return {};
    std::string e164 = parsed(written, country);
    if (e164.empty() && digitsOnly(written) && written[0] != '0' && written.size() >= 8)
        e164 = parsed("+" + written, "");
    return isE164(e164) ? e164 : std::string();
}

bool PhoneNumber::isE164(const std::string& number)
{
    return number.size() >= 9 && number.size() <= 16 && number[0] == '+' && number[1] != '0' &&
           digitsOnly(number.substr(1));
}
} // namespace MassMailing
