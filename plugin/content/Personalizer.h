#ifndef MassMailing_Personalizer_INCLUDED
#define MassMailing_Personalizer_INCLUDED

#include <map>
#include <mstch/mstch.hpp>
#include <set>
#include <string>
#include <vector>

namespace MassMailing
{
/// A mustache template (subject, HTML or text body) prepared once per campaign: mstch
/// renders everything that does not depend on the recipient (the campaign's values) once;
/// what is left are the recipient's variables, filled per recipient by concatenation.
/// mstch re-parses a template on every render, too slow for a million recipients.
class Personalizer
{
public:
    enum class Escaping
    {
        Html, /// {{var}} is HTML-escaped, {{{var}}} is not (an HTML body).
        None  /// Values go in as they are (subject, text body).
    };

    Personalizer(const std::string& source, const std::set<std::string>& recipientVariables,
                 const mstch::map& campaignValues, Escaping escaping);
    /// Throws Poco::SyntaxException for a malformed template, naming the tag.

    std::string render(const std::map<std::string, std::string>& recipientValues) const;
    /// The text for one recipient; a variable without a value renders empty (the
    /// Variables catalogue supplies fallbacks before this is called).

    static std::vector<std::string> variablesOf(const std::string& source);
    /// Names used by the template's tags ({{x}}, {{{x}}}, {{&x}}, {{#x}}, {{^x}}), in
    /// order of first use. Throws Poco::SyntaxException for an unclosed tag.

private:
    // The prepared text alternates literal chunks and variable slots.
    struct Piece
    {
        std::string text; /// Literal text, or the variable's name.
        bool slot = false;
        bool escape = false;
    };
    std::vector<Piece> _pieces;
    bool _perRecipientSections = false; /// {{#x}} over a recipient's value: mstch per recipient.
    std::string _source;
    mstch::map _campaignValues;
};
} // namespace MassMailing

#endif
