#include "content/Personalizer.h"
#include "content/HtmlEscape.h"
#include "content/HtmlSanitizer.h"
#include "content/MustacheTags.h"
#include "content/SafeUrl.h"
#include <Poco/Ascii.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <algorithm>

namespace MassMailing
{
namespace
{
// mstch::render, with what mstch throws on a tag it cannot read (std::length_error for "{{ }}",
// "{{=}}" or "{{{}}{{ }}}", found by fuzz/template_variables) as the SyntaxException this class
// promises.
std::string renderChecked(const std::string& source, const mstch::map& context)
{
    try
    {
        return mstch::render(source, context);
    }
    catch (const std::exception& error)
    {
        throw Poco::SyntaxException("malformed mustache tag", error.what());
    }
}

// Markers that cannot occur in a prepared text: they are removed from the template and from
// every value (control characters have no place in a message), and mstch leaves them alone.
const char SLOT_BEGIN = '\x1E';
const char SLOT_END = '\x1F';
const char URL_BEGIN = '\x1C'; // followed by 'a' (a link), 'i' (an image) or 's' (a style)
const char URL_END = '\x1D';

// Control characters removed (a header also loses its line breaks and tabs, made spaces).
std::string cleaned(const std::string& value, Personalizer::Escaping escaping)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '\t' || c == '\n' || c == '\r')
            out.push_back(escaping == Personalizer::Escaping::Header ? ' ' : c);
        else if (u >= 0x20 && u != 0x7F)
            out.push_back(c);
    }
    return out;
}

mstch::map cleaned(const mstch::map& values, Personalizer::Escaping escaping)
{
    mstch::map out;
    for (const auto& [name, node] : values)
    {
        if (const auto* text = boost::get<std::string>(&node))
            out[name] = cleaned(*text, escaping);
        else
            out[name] = node;
    }
    return out;
}

// Attributes that hold a URL a reader follows or loads; the sanitiser keeps only href and src,
// the others are refused here too should a body ever hold one.
bool holdsUrl(const std::string& attribute, SafeUrl::Use& use)
{
    if (attribute == "src" || attribute == "background" || attribute == "poster")
    {
        use = SafeUrl::Use::Image;
        return true;
    }
    use = SafeUrl::Use::Link;
    return attribute == "href" || attribute == "action" || attribute == "formaction" || attribute == "cite" ||
           attribute == "longdesc" || attribute == "data" || attribute == "xlink:href";
}

// Whether an attribute value, as written in HTML, may stay: check is 'a' (a link), 'i' (an
// image) or 's' (a style). A refused URL becomes SafeUrl::HARMLESS, a refused style empty.
std::string checked(const std::string& value, char check)
{
    if (check != 's')
        return SafeUrl::isAllowedAttribute(value, check == 'i' ? SafeUrl::Use::Image : SafeUrl::Use::Link)
                   ? value
                   : std::string(SafeUrl::HARMLESS);
    std::string decoded;
    return SafeUrl::decodeAttribute(value, decoded) && HtmlSanitizer::isSafeStyle(decoded) ? value
                                                                                           : std::string();
}

// Checks each URL and style attribute of the HTML (as the sanitiser writes it): one without a
// slot is checked now; one with a recipient's slot is framed by URL_BEGIN and URL_END, to be
// checked once filled.
std::string guardUrls(const std::string& html)
{
    const std::size_t n = html.size();
    std::string out;
    out.reserve(n + 64);
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
        if (lt + 1 >= n || !Poco::Ascii::isAlpha(html[lt + 1]))
        {
            out.push_back('<');
            i = lt + 1;
            continue;
        }
        std::size_t p = lt + 1;
        while (p < n && !Poco::Ascii::isSpace(html[p]) && html[p] != '>' && html[p] != '/')
            ++p;
        out.append(html, lt, p - lt);
        while (p < n)
        {
            while (p < n && (Poco::Ascii::isSpace(html[p]) || html[p] == '/'))
                out.push_back(html[p++]);
            if (p >= n)
                break;
            if (html[p] == '>')
            {
                out.push_back(html[p++]);
                break;
            }
            const std::size_t nameBegin = p;
            while (p < n && !Poco::Ascii::isSpace(html[p]) && html[p] != '=' && html[p] != '>' &&
                   html[p] != '/')
                ++p;
            const std::string name = Poco::toLower(html.substr(nameBegin, p - nameBegin));
            out.append(html, nameBegin, p - nameBegin);
            std::size_t q = p;
            while (q < n && Poco::Ascii::isSpace(html[q]))
                ++q;
            if (q >= n || html[q] != '=')
                continue;
            out.append(html, p, q + 1 - p);
            p = q + 1;
            while (p < n && Poco::Ascii::isSpace(html[p]))
                out.push_back(html[p++]);
            char quote = 0;
            std::size_t valueBegin = p, valueEnd = p;
            if (p < n && (html[p] == '"' || html[p] == '\''))
            {
                quote = html[p];
                out.push_back(quote);
                valueBegin = p + 1;
                valueEnd = html.find(quote, valueBegin);
                if (valueEnd == std::string::npos)
                    valueEnd = n;
            }
            else
            {
                while (valueEnd < n && !Poco::Ascii::isSpace(html[valueEnd]) && html[valueEnd] != '>')
                    ++valueEnd;
            }
            const std::string value = html.substr(valueBegin, valueEnd - valueBegin);
            SafeUrl::Use use = SafeUrl::Use::Link;
            const char check = name == "style"       ? 's'
                               : holdsUrl(name, use) ? (use == SafeUrl::Use::Image ? 'i' : 'a')
                                                     : 0;
            if (check == 0)
                out += value;
            else if (value.find(SLOT_BEGIN) != std::string::npos)
            {
                out.push_back(URL_BEGIN);
                out.push_back(check);
                out += value;
                out.push_back(URL_END);
            }
            else
                out += checked(value, check);
            p = valueEnd;
            if (quote && p < n)
                out.push_back(html[p++]);
        }
        i = p;
    }
    return out;
}

std::string withoutMarkers(const std::string& source)
{
    std::string out = source;
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](char c)
                             { return c == SLOT_BEGIN || c == SLOT_END || c == URL_BEGIN || c == URL_END; }),
              out.end());
    return out;
}
} // namespace

std::vector<std::string> Personalizer::variablesOf(const std::string& source)
{
    std::vector<std::string> names;
    for (const auto& tag : MustacheTags::of(source))
    {
        bool namesValue = tag.kind == 0 || tag.kind == '&' || tag.kind == '#' || tag.kind == '^';
        if (namesValue && !tag.name.empty() && std::find(names.begin(), names.end(), tag.name) == names.end())
            names.push_back(tag.name);
    }
    return names;
}

std::string Personalizer::asHeader(const std::string& value)
{
    return cleaned(value, Escaping::Header);
}

Personalizer::Personalizer(const std::string& source, const std::set<std::string>& recipientVariables,
                           const mstch::map& campaignValues, Escaping escaping, const std::string& field)
    : _escaping(escaping),
      _source(MustacheTags::normalized(withoutMarkers(source), escaping == Escaping::Html)),
      _campaignValues(cleaned(campaignValues, escaping))
{
    MustacheTags::checkNesting(_source, field);
    const std::vector<MustacheTags::Tag> tags = MustacheTags::of(_source);
    for (const auto& tag : tags)
    {
        if ((tag.kind == '#' || tag.kind == '^') && recipientVariables.count(tag.name))
            _perRecipientSections = true;
    }
    if (_perRecipientSections)
    {
        renderChecked(_source, _campaignValues); // refused now, not for each recipient
        return;
    }

    // Each recipient tag becomes a marker in the text, which mstch passes through as it is.
    std::string marked;
    marked.reserve(_source.size());
    std::size_t copied = 0;
    for (const auto& tag : tags)
    {
        bool value = tag.kind == 0 || tag.kind == '&';
        if (!value || !recipientVariables.count(tag.name))
            continue;
        marked.append(_source, copied, tag.begin - copied);
        marked += SLOT_BEGIN;
        marked += tag.name;
        marked += SLOT_END;
        copied = tag.end;
    }
    marked.append(_source, copied, std::string::npos);

    std::string prepared = renderChecked(marked, _campaignValues);
    if (escaping == Escaping::Html)
        prepared = guardUrls(prepared);
    std::size_t literal = 0;
    for (std::size_t pos = 0; pos < prepared.size(); ++pos)
    {
        const char c = prepared[pos];
        if (c != SLOT_BEGIN && c != URL_BEGIN && c != URL_END)
            continue;
        if (pos > literal)
            _pieces.push_back({prepared.substr(literal, pos - literal), Piece::Literal, 'a'});
        if (c == SLOT_BEGIN)
        {
            std::size_t end = prepared.find(SLOT_END, pos);
            if (end == std::string::npos)
                end = prepared.size();
            _pieces.push_back({prepared.substr(pos + 1, end - pos - 1), Piece::Slot, 'a'});
            pos = end;
        }
        else if (c == URL_BEGIN)
        {
            _pieces.push_back({"", Piece::UrlBegin, pos + 1 < prepared.size() ? prepared[pos + 1] : 'a'});
            ++pos;
        }
        else
            _pieces.push_back({"", Piece::UrlEnd, 'a'});
        literal = pos + 1;
    }
    if (literal < prepared.size())
        _pieces.push_back({prepared.substr(literal), Piece::Literal, 'a'});
}

void Personalizer::fill(std::string& out, const std::string& value) const
{
    // Appended where it goes; a value without a control character (nearly all) is not copied.
    const bool clean = std::none_of(value.begin(), value.end(),
                                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
    const std::string copy = clean ? std::string() : cleaned(value, _escaping);
    const std::string& text = clean ? value : copy;
    if (_escaping == Escaping::Html)
        appendHtmlEscaped(out, text);
    else
        out += text;
}

std::string Personalizer::render(const std::map<std::string, std::string>& recipientValues) const
{
    if (_perRecipientSections)
    {
        mstch::map context = _campaignValues;
        for (const auto& [name, value] : recipientValues)
            context[name] = cleaned(value, _escaping); // the tags are escaped: mstch escapes in HTML
        std::string out = renderChecked(_source, context);
        return _escaping == Escaping::Html ? guardUrls(out) : out;
    }
    std::string out;
    out.reserve(_source.size() + 256);
    std::string url;
    bool inUrl = false;
    char check = 'a';
    for (const auto& piece : _pieces)
    {
        std::string& target = inUrl ? url : out;
        switch (piece.kind)
        {
        case Piece::Literal:
            target += piece.text;
            break;
        case Piece::Slot:
        {
            auto value = recipientValues.find(piece.text);
            if (value != recipientValues.end())
                fill(target, value->second);
            break;
        }
        case Piece::UrlBegin:
            inUrl = true;
            check = piece.check;
            url.clear();
            break;
        case Piece::UrlEnd:
            out += checked(url, check);
            inUrl = false;
            break;
        }
    }
    return out;
}
} // namespace MassMailing
