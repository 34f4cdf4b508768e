#ifndef MassMailing_Personalizer_INCLUDED
#define MassMailing_Personalizer_INCLUDED

#include <cstddef>
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
///
/// Every value is written for its context, whatever the tag's form: in HTML each value is
/// escaped ({{{x}}} and {{&x}} are read as {{x}}), a link or image URL (href, src) is
/// checked by SafeUrl once filled, a refused one becoming SafeUrl::HARMLESS, and a style
/// attribute filled with something HtmlSanitizer::isSafeStyle refuses becomes empty. Delimiter
/// changes ({{=<% %>=}}) and partials ({{>x}}) are removed. Control characters other than
/// tab and line breaks are removed from values; in a header a value is one line.
class Personalizer
{
public:
    enum class Escaping
    {
        Html,  /// An HTML body: values HTML-escaped, URLs checked after filling.
        Text,  /// The text body: values as they are.
        Header /// A header (the subject): values as they are, line breaks and tabs become spaces.
    };

    Personalizer(const std::string& source, const std::set<std::string>& recipientVariables,
                 const mstch::map& campaignValues, Escaping escaping, const std::string& field = "template");
    /// Throws Poco::SyntaxException for a malformed template, naming the tag, and
    /// FieldException (field, "too_deep") for sections nested deeper than
    /// MustacheTags::MAX_SECTION_DEPTH.

    std::string render(const std::map<std::string, std::string>& recipientValues) const;
    /// The text for one recipient; a variable without a value renders empty (the
    /// Variables catalogue supplies fallbacks before this is called).

    static std::vector<std::string> variablesOf(const std::string& source);
    /// Names used by the template's tags ({{x}}, {{{x}}}, {{&x}}, {{#x}}, {{^x}}), in
    /// order of first use. Throws Poco::SyntaxException for an unclosed tag.

    static std::string asHeader(const std::string& value);
    /// The value as a header holds it: control characters removed, line breaks and tabs made
    /// spaces (what Escaping::Header does to each value).

private:
    // The prepared text alternates literal chunks, variable slots and the bounds of the
    // attribute values (URLs, styles) that hold slots.
    struct Piece
    {
        enum Kind
        {
            Literal,
            Slot,
            UrlBegin,
            UrlEnd
        };
        std::string text; /// Literal text, or the variable's name.
        Kind kind = Literal;
        char check = 'a'; /// UrlBegin: 'a' a link, 'i' an image, 's' a style.
    };
    void fill(std::string& out, const std::string& value) const;

    std::vector<Piece> _pieces;
    bool _perRecipientSections = false; /// {{#x}} over a recipient's value: mstch per recipient.
    Escaping _escaping;
    std::string _source;
    mstch::map _campaignValues;
};
} // namespace MassMailing

#endif
