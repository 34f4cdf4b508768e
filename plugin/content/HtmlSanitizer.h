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
///   attributes; never an on* handler. URLs must be http(s), mailto, tel, cid, relative or
///   a mustache tag; data: only for images (data:image/png, jpeg, gif, webp).
/// - Word and LibreOffice markup (detected by their fingerprints): mso-* styles, Mso
///   classes, <o:p>, conditional comments and spans left with nothing to say are removed;
///   Word's list paragraphs become real <ul>/<ol> lists (nested by level); bold, italic,
///   colours, alignment and line breaks are kept.
///
/// Mustache tags ({{first_name}}, {{{raw}}}, {{#section}}) in text and attribute values
/// come through untouched. Thread-safe: it holds no state.
class HtmlSanitizer
{
public:
    HtmlSanitizer() = default;

    std::string sanitize(const std::string& html) const;
    /// Returns the cleaned fragment (UTF-8, attribute values quoted and escaped, a newline
    /// after each block). Never throws for bad HTML: HTML5 parsing repairs everything;
    /// Poco::OutOfMemoryException only if the parser cannot allocate.

    static bool isWordProcessorHtml(const std::string& html);
    /// True when the HTML carries the fingerprints of Microsoft Word or LibreOffice.
};
} // namespace MassMailing

#endif
