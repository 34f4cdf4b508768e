#ifndef MassMailing_HtmlSanitizer_INCLUDED
#define MassMailing_HtmlSanitizer_INCLUDED

#include <string>

namespace MassMailing
{
/// Cleans the HTML of a message body: what users compose, paste (C10) or write by hand
/// (C2) becomes a fragment of elements and attributes that are safe and make sense in
/// an email.
///
/// - Kept: p, br, div, span, a, b, strong, i, em, u, s, sub, sup, small, h1-h6, ul, ol,
///   li, blockquote, table and its parts, img, hr, pre, code; font becomes a span, center
///   a centred div, strike an s; other unknown elements give way to their content.
/// - Dropped with their content: script, style, iframe, object, embed, form controls,
///   head, meta, link, title, svg, math, Word's <xml> and VML; comments.
/// - Attributes: href, src, alt, title, style (only properties that are safe and useful
///   in email), align, valign, width, height, colspan, rowspan, target and a few table
///   attributes; never an on* handler. URLs follow SafeUrl (http(s), mailto, tel, relative;
///   for images also cid: and data:image/png, jpeg, gif, webp); one holding a mustache tag
///   is checked by the Personalizer once filled.
/// - Word and LibreOffice markup (detected by their fingerprints): mso-* styles, Mso
///   classes, <o:p>, conditional comments and spans left with nothing to say are removed;
///   Word's list paragraphs become real <ul>/<ol> lists (nested by level); bold, italic,
///   colours, alignment and line breaks are kept.
///
/// Mustache tags ({{first_name}}, {{#section}}) in text and attribute values come through;
/// unescaped forms ({{{x}}}, {{&x}}) become {{x}}, and delimiter changes and partials are
/// removed (MustacheTags::normalized), so that no stored body inserts a value unescaped.
/// Thread-safe: it holds no state.
class HtmlSanitizer
{
public:
    HtmlSanitizer() = default;

    std::string sanitize(const std::string& html, const std::string& field = "html") const;
    /// Returns the cleaned fragment (UTF-8, attribute values quoted and escaped, a newline
    /// after each block). HTML5 parsing repairs bad HTML; throws FieldException (field,
    /// "too_deep") for elements nested deeper than HtmlDocument::MAX_DEPTH, or sections
    /// deeper than MustacheTags::MAX_SECTION_DEPTH.

    static bool isSafeStyle(const std::string& css);
    /// False when a style attribute's (decoded) value could load or run something:
    /// expression(), url(), javascript:, behavior, @import, escapes, comments. The
    /// Personalizer asks it of a style filled by a variable.

    static bool isWordProcessorHtml(const std::string& html);
    /// True when the HTML carries the fingerprints of Microsoft Word or LibreOffice.
};
} // namespace MassMailing

#endif
