#ifndef MassMailing_PhoneNumber_INCLUDED
#define MassMailing_PhoneNumber_INCLUDED

#include <string>

namespace MassMailing
{
/// The phone number rules of the audience stage (issue 15, A6): what an SMS row's address is.
/// A number is sent to, deduplicated and suppressed in its E.164 form ("+33612345678"), which
/// libphonenumber makes from what the person typed, the group's country applying to a number
/// written without its international prefix.
class PhoneNumber
{
public:
    static std::string toE164(const std::string& written, const std::string& country);
    /// The number in E.164, or "" when it is not a valid mobile number (too short, an unknown
    /// prefix, a national number without a country, a landline: an SMS does not reach it; a
    /// number of a plan that does not tell mobiles apart, as the US's, is taken). country: ISO 3166 alpha-2
    /// ("FR"), or "" for none. A number of digits only that starts with a country code and no trunk 0
    /// ("33612345678", as gateways send senders) is read as international when the country does not make it
    /// valid.

    static bool isE164(const std::string& number);
    /// "+" and 8 to 15 digits, the first not 0: the form toE164() gives.
};
} // namespace MassMailing

#endif
