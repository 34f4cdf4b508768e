#ifndef MassMailing_MustacheTags_INCLUDED
#define MassMailing_MustacheTags_INCLUDED

#include <cstddef>
#include <string>
#include <vector>

namespace MassMailing
{
/// The tags of a mustache template exactly as mstch reads them (its template_type::tokenize
/// and token::token, default delimiters): what is escaped and what nests is decided by
/// mstch's reading, so every rule about tags is written against this one. Used by the
/// Personalizer and by HtmlSanitizer; it needs no mstch.
class MustacheTags
{
public:
    struct Tag
    {
        char kind; /// 0 for a variable, else '&' (unescaped: {{&x}}, {{{x}}}), '#', '^', '/', '!', '>', '='
        std::string name;  /// Without the braces, the kind and the spaces around.
        std::size_t begin; /// The tag's place in the source, braces included.
        std::size_t end;
    };

    static const std::size_t MAX_SECTION_DEPTH = 20;
    /// Sections ({{#x}}, {{^x}}) nested deeper are refused: mstch renders them by recursion.

    static std::vector<Tag> of(const std::string& source);
    /// The tags in order. Throws Poco::SyntaxException for an opening "{{" without a closing
    /// "}}" after it.

    static std::string normalized(const std::string& source, bool escaped);
    /// The template with every variable as {{x}} (escaped) or {{{x}}} (not escaped), and
    /// without delimiter changes ({{=<% %>=}}), partials ({{>x}}) or tags whose name is not a
    /// plain name (letters, digits, _ - .). Throws nothing: an unclosed tag stays text.

    static void checkNesting(const std::string& source, const std::string& field);
    /// Throws FieldException (field, "too_deep") when sections nest deeper than
    /// MAX_SECTION_DEPTH, as mstch would nest them.
};
} // namespace MassMailing

#endif
