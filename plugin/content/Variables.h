#ifndef MassMailing_Variables_INCLUDED
#define MassMailing_Variables_INCLUDED

#include "audience/Recipient.h"
#include <map>
#include <set>
#include <string>
#include <vector>

namespace MassMailing
{
/// A personalisation variable ({{first_name}}) as offered by the variable picker.
struct Variable
{
    std::string name;
    std::string label;        /// Catalogue key.
    bool perRecipient = true; /// False for the campaign's own values (group name, ...).
    std::string field;        /// The recipient field that fills it, if any (for counting gaps).
};

/// What a campaign's texts ask for that its audience cannot give.
struct VariableProblem
{
    std::string variable;
    std::string reason; /// "unknown" or "unavailable" (exists, not for this recipient type)
    long affected = 0;  /// Recipients who would get an empty value.
};

/// The catalogue of variables per recipient type and kind of group (C4), and the values
/// of one recipient.
class Variables
{
public:
    static std::vector<Variable> available(const std::string& recipientType, const std::string& groupKind);

    static std::vector<VariableProblem> check(const std::vector<std::string>& used,
                                              const std::string& recipientType, const std::string& groupKind,
                                              long audienceSize);
    /// The variables used that are unknown or not available for this audience, each with the
    /// number of recipients it affects (all of them: none could be filled).

    static std::set<std::string> recipientNames();
    /// Names filled per recipient: the Personalizer leaves them for the last step.

    static std::map<std::string, std::string> valuesOf(const Recipient& recipient);
    /// The per-recipient values (without the links, which the tracking stage signs).
};
} // namespace MassMailing

#endif
