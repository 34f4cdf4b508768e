#ifndef MassMailing_HtmlEscape_INCLUDED
#define MassMailing_HtmlEscape_INCLUDED

#include <string>

namespace MassMailing
{
/// Text made safe inside HTML, in an element or a quoted attribute alike: & < > " ' escaped.
inline void appendHtmlEscaped(std::string& out, const std::string& text)
{
    for (char c : text)
        switch (c)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
}

inline std::string htmlEscaped(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    appendHtmlEscaped(out, text);
    return out;
}
} // namespace MassMailing

#endif
