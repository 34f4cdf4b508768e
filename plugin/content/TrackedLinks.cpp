#include "content/TrackedLinks.h"
#include "content/HtmlEscape.h"
#include "content/SafeUrl.h"
#include <Poco/Ascii.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstring>

namespace MassMailing
{
namespace
{
bool startsWithNoCase(const std::string& text, std::size_t at, const char* prefix)
{
    for (std::size_t i = 0; prefix[i]; ++i)
        if (at + i >= text.size() || Poco::Ascii::toLower(text[at + i]) != prefix[i])
            return false;
    return true;
}

// The last place of lowerNeedle (which begins with '<') in text, compared without case, without
// a lower-case copy of the whole message.
std::size_t findNoCase(const std::string& text, const char* lowerNeedle)
{
    const std::size_t length = std::strlen(lowerNeedle);
    if (length == 0 || text.size() < length)
        return std::string::npos;
    for (std::size_t at = text.size() - length + 1; at-- > 0;)
    {
        if (text[at] == '<' && startsWithNoCase(text, at, lowerNeedle))
            return at;
    }
    return std::string::npos;
}

// Whether text[begin, end) is word, compared without case (word in lower case).
bool isNoCase(const std::string& text, std::size_t begin, std::size_t end, const char* word)
{
    return end - begin == std::strlen(word) && startsWithNoCase(text, begin, word);
}
} // namespace

bool TrackedLinks::isTracked(const std::string& url, const std::vector<std::string>& untracked)
{
    if (url.size() > MAX_URL_SIZE ||
        !(startsWithNoCase(url, 0, "http://") || startsWithNoCase(url, 0, "https://")))
        return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
            return false;
    return std::find(untracked.begin(), untracked.end(), url) == untracked.end();
}

std::string TrackedLinks::html(const std::string& html, const TrackingLinks& links,
                               const std::vector<std::string>& untracked)
{
    if (!links.on())
        return html;
    const std::size_t n = html.size();
    std::string out;
    out.reserve(n + 1024);
    std::size_t i = 0;
    while (i < n)
    {
        const std::size_t lt = html.find('<', i);
        if (lt == std::string::npos)
        {
            out.append(html, i, std::string::npos);
            break;
        }
        out.append(html, i, lt - i);
        if (html.compare(lt, 4, "<!--") == 0)
        {
            const std::size_t end = html.find("-->", lt + 4);
            const std::size_t stop = end == std::string::npos ? n : end + 3;
            out.append(html, lt, stop - lt);
            i = stop;
            continue;
        }
        std::size_t p = lt + 1;
        while (p < n && Poco::Ascii::isAlphaNumeric(html[p]))
            ++p;
        const bool linkTag = isNoCase(html, lt + 1, p, "a") || isNoCase(html, lt + 1, p, "area");
        out.append(html, lt, p - lt);
        if (p == lt + 1)
        {
            i = p;
            continue;
        }
        // The tag's attributes, up to its '>' (quoted values may hold one).
        while (p < n && html[p] != '>')
        {
            if (Poco::Ascii::isSpace(html[p]) || html[p] == '/')
            {
                out.push_back(html[p++]);
                continue;
            }
            const std::size_t nameBegin = p;
            while (p < n && !Poco::Ascii::isSpace(html[p]) && html[p] != '=' && html[p] != '>' &&
                   html[p] != '/')
                ++p;
            const bool href = isNoCase(html, nameBegin, p, "href");
            std::size_t q = p;
            while (q < n && Poco::Ascii::isSpace(html[q]))
                ++q;
            if (q >= n || html[q] != '=')
            {
                out.append(html, nameBegin, p - nameBegin);
                continue;
            }
            ++q;
            while (q < n && Poco::Ascii::isSpace(html[q]))
                ++q;
            std::size_t valueBegin = q, valueEnd = q, after = q;
            char quote = 0;
            if (q < n && (html[q] == '"' || html[q] == '\''))
            {
                quote = html[q];
                valueBegin = q + 1;
                valueEnd = html.find(quote, valueBegin);
                if (valueEnd == std::string::npos)
                    valueEnd = n;
                after = std::min(n, valueEnd + 1);
            }
            else
            {
                while (valueEnd < n && !Poco::Ascii::isSpace(html[valueEnd]) && html[valueEnd] != '>')
                    ++valueEnd;
                after = valueEnd;
            }
            std::string decoded;
            if (href && linkTag &&
                SafeUrl::decodeAttribute(html.substr(valueBegin, valueEnd - valueBegin), decoded) &&
                isTracked(Poco::trim(decoded), untracked))
                out += "href=\"" + htmlEscaped(links.click(Poco::trim(decoded))) + "\"";
            else
                out.append(html, nameBegin, after - nameBegin);
            p = after;
        }
        if (p < n)
            out.push_back(html[p++]);
        i = p;
    }

    // The trap: an empty, hidden link that no person sees or reaches with the keyboard; the
    // image: opens.
    std::string extra;
    if (!links.trap.empty())
        extra +=
            "<a href=\"" + htmlEscaped(links.trap) +
            "\" style=\"display:none;font-size:0;line-height:0\" aria-hidden=\"true\" tabindex=\"-1\"></a>";
    if (!links.open.empty())
        extra +=
            "<img src=\"" + htmlEscaped(links.open) +
            "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">";
    const std::size_t body = findNoCase(out, "</body");
    if (body == std::string::npos)
        out += extra;
    else
        out.insert(body, extra);
    return out;
}

std::string TrackedLinks::text(const std::string& text, const TrackingLinks& links,
                               const std::vector<std::string>& untracked)
{
    if (!links.on())
        return text;
    const std::size_t n = text.size();
    std::string out;
    out.reserve(n + 512);
    std::size_t i = 0;
    while (i < n)
    {
        // Up to the next 'h' at once: a link begins there or nowhere.
        std::size_t h = i;
        while (h < n && text[h] != 'h' && text[h] != 'H')
            ++h;
        out.append(text, i, h - i);
        i = h;
        if (i == n)
            break;
        const bool boundary = i == 0 || !Poco::Ascii::isAlphaNumeric(text[i - 1]);
        if (!boundary || !(startsWithNoCase(text, i, "http://") || startsWithNoCase(text, i, "https://")))
        {
            out.push_back(text[i++]);
            continue;
        }
        std::size_t end = i;
        while (end<n&& static_cast<unsigned char>(text[end])> 0x20 && text[end] != 0x7F && text[end] != '<' &&
               text[end] != '>' && text[end] != '"')
            ++end;
        // A sentence's last mark is not the link's; a closing bracket only when it opened none.
        while (end > i)
        {
            const char last = text[end - 1];
            if (std::string(".,;:!?'").find(last) != std::string::npos)
                --end;
            else if ((last == ')' || last == ']') &&
                     text.substr(i, end - i).find(last == ')' ? '(' : '[') == std::string::npos)
                --end;
            else
                break;
        }
        const std::string url = text.substr(i, end - i);
        out += isTracked(url, untracked) ? links.click(url) : url;
        i = end == i ? i + 1 : end;
    }
    return out;
}
} // namespace MassMailing
