#ifndef MassMailing_SafeUrl_INCLUDED
#define MassMailing_SafeUrl_INCLUDED

#include <string>

namespace MassMailing
{
/// Which URLs a message may hold in a link or an image: the one rule, used by HtmlSanitizer
/// when a body is saved and by Personalizer once variables have filled a URL.
class SafeUrl
{
public:
    enum class Use
    {
        Link, /// <a href>: http(s), mailto, tel, sms, or a relative URL.
        Image /// <img src>: http(s), cid: (inline images), raster data: URLs, or a relative URL.
    };

    static const char* const HARMLESS;
    /// What a refused URL is replaced by when it is filled in ("#": goes nowhere).

    static bool isAllowed(const std::string& url, Use use);
    /// True when the (decoded) URL may be followed or loaded by a reader. Browsers ignore
    /// white space and control characters inside a scheme ("java\tscript:"), so they are
    /// removed before looking. A mustache tag ({{x}}) is not a URL: it is refused here and
    /// checked once filled.

    static bool isAllowedAttribute(const std::string& value, Use use);
    /// The same for an attribute value as written in HTML (character references not yet
    /// decoded: "&amp;", "&#106;"); a reference it cannot decode makes it refused.

    static bool decodeAttribute(const std::string& value, std::string& decoded);
    /// Appends the attribute value with its character references decoded (those HTML writers
    /// use: &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones); false for any other.
};
} // namespace MassMailing

#endif
