#ifndef MassMailing_TextAlternative_INCLUDED
#define MassMailing_TextAlternative_INCLUDED

#include <string>

namespace MassMailing
{
/// The plain-text alternative of an HTML body (C6), for the text/plain part and for
/// readers that show no HTML:
/// paragraphs and headings separated by blank lines, <br> as line breaks, list items as
/// "- item" or "1. item" (nested lists indented), links as "text (url)" (the url alone
/// when it is the text), images by their alt text, table rows one per line with cells
/// separated by " | ", blockquotes prefixed "> ", entities decoded, white space collapsed,
/// lines wrapped without breaking words. Mustache tags ({{first_name}}, {{ x }}) are
/// kept whole, so the text can be rendered per recipient like the HTML.
class TextAlternative
{
public:
    explicit TextAlternative(std::size_t width = 76);
    /// width: the longest line, in characters, where words allow it.

    std::string fromHtml(const std::string& html) const;
    /// The text, lines ended by "\n", ending with one "\n" (empty for an empty body).
    /// HTML5 parsing repairs bad HTML; throws FieldException ("html", "too_deep") for
    /// elements nested deeper than HtmlDocument::MAX_DEPTH.

private:
    std::size_t _width;
};
} // namespace MassMailing

#endif
