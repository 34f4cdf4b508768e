#include "HtmlSanitizer.h"
#include "HtmlDocument.h"
#include "MustacheTags.h"
#include "SafeUrl.h"
#include <Poco/String.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace MassMailing
{
namespace
{
enum class Action
{
    Keep,
    Unwrap,
    Drop
};

struct Rule
{
    Action action;
    const char* name; // the element written; null: the same name
};

const std::unordered_map<std::string, Rule>& rules()
{
    static const std::unordered_map<std::string, Rule> table = []
    {
        std::unordered_map<std::string, Rule> t;
        for (const char* keep :
             {"p",     "br", "div", "span", "a",       "b",          "strong", "i",     "em",
              "u",     "s",  "sub", "sup",  "small",   "h1",         "h2",     "h3",    "h4",
              "h5",    "h6", "ul",  "ol",   "li",      "blockquote", "table",  "thead", "tbody",
              "tfoot", "tr", "td",  "th",   "caption", "img",        "hr",     "pre",   "code"})
            t[keep] = {Action::Keep, nullptr};
        for (const char* drop :
             {"script",   "style",   "iframe",   "object", "embed",    "applet",   "input",
              "button",   "select",  "textarea", "option", "optgroup", "datalist", "xml",
              "meta",     "link",    "title",    "head",   "base",     "noscript", "template",
              "svg",      "math",    "frameset", "frame",  "noframes", "audio",    "video",
              "canvas",   "map",     "area",     "param",  "source",   "track",    "dialog",
              "basefont", "bgsound", "keygen",   "output", "progress", "meter"})
            t[drop] = {Action::Drop, nullptr};
        for (const char* block : {"section", "article", "header", "footer", "nav", "main", "aside", "figure",
                                  "figcaption", "address", "details", "summary", "dl", "dt", "dd", "hgroup"})
            t[block] = {Action::Keep, "div"};
        t["font"] = {Action::Keep, "span"};
        t["big"] = {Action::Keep, "span"};
        t["center"] = {Action::Keep, "div"};
        t["strike"] = {Action::Keep, "s"};
        t["del"] = {Action::Keep, "s"};
        t["ins"] = {Action::Keep, "u"};
        t["tt"] = {Action::Keep, "code"};
        t["kbd"] = {Action::Keep, "code"};
        t["samp"] = {Action::Keep, "code"};
        t["var"] = {Action::Keep, "i"};
        t["cite"] = {Action::Keep, "i"};
        t["dfn"] = {Action::Keep, "i"};
        return t;
    }();
    return table;
}

Rule ruleFor(const std::string& name)
{
    const auto& table = rules();
    const auto found = table.find(name);
    if (found != table.end())
        return found->second;
    // Office namespaces: VML drawings, Word and math markup have no place in an email;
    // <o:p> and smart tags (<st1:place>) wrap text that must stay.
    if (name.compare(0, 2, "v:") == 0 || name.compare(0, 2, "w:") == 0 || name.compare(0, 2, "m:") == 0)
        return {Action::Drop, nullptr};
    return {Action::Unwrap, nullptr};
}

bool isBlock(const std::string& name)
{
    static const std::unordered_set<std::string> blocks = {
        "p",          "div",   "h1",    "h2",    "h3",    "h4", "h5", "h6", "ul",      "ol",  "li",
        "blockquote", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "hr"};
    return blocks.count(name) > 0;
}

// Containers of blocks: a newline after their opening tag keeps the output readable.
bool opensWithNewline(const std::string& name)
{
    return name == "ul" || name == "ol" || name == "table" || name == "thead" || name == "tbody" ||
           name == "tfoot" || name == "tr" || name == "blockquote";
}

bool isVoid(const std::string& name)
{
    return name == "br" || name == "hr" || name == "img";
}

// Inline elements that mean nothing once empty.
bool isFormatting(const std::string& name)
{
    static const std::unordered_set<std::string> formatting = {"span", "a", "b",   "strong", "i",     "em",
                                                               "u",    "s", "sub", "sup",    "small", "code"};
    return formatting.count(name) > 0;
}

std::string compact(const char* value)
{
    std::string out;
    for (const char* p = value; *p; ++p)
    {
        if (static_cast<unsigned char>(*p) > ' ')
            out.push_back(char(Poco::Ascii::toLower(*p)));
    }
    return out;
}

// Length of the mustache tag at p ("{{&name}}", "{{> partial}}", "{{{raw}}}"), or 0. A tag is
// written as it is, so that escaping does not break "{{&name}}"; one holding '<' or '"' is
// not a tag worth that risk.
std::size_t mustacheTag(const char* p)
{
    if (p[0] != '{' || p[1] != '{')
        return 0;
    for (std::size_t i = 2; i < 200 && p[i]; ++i)
    {
        if (p[i] == '<' || p[i] == '"' || static_cast<unsigned char>(p[i]) < 0x20)
            return 0;
        if (p[i] == '}' && p[i + 1] == '}')
            return p[i + 2] == '}' ? i + 3 : i + 2;
    }
    return 0;
}

void appendEscaped(std::string& out, const char* text, bool attribute)
{
    for (const char* p = text; *p; ++p)
    {
        if (const std::size_t tag = *p == '{' ? mustacheTag(p) : 0)
        {
            out.append(p, tag);
            p += tag - 1;
            continue;
        }
        switch (*p)
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
            if (attribute)
                out += "&quot;";
            else
                out.push_back('"');
            break;
        default:
            if (static_cast<unsigned char>(p[0]) == 0xC2 && static_cast<unsigned char>(p[1]) == 0xA0)
            {
                out += "&nbsp;";
                ++p;
            }
            else
                out.push_back(*p);
        }
    }
}

bool isDigits(const char* value)
{
    if (*value == '\0')
        return false;
    for (const char* p = value; *p; ++p)
    {
        if (*p < '0' || *p > '9')
            return false;
    }
    return true;
}

bool isLength(const char* value)
{
    std::string v = Poco::trim(std::string(value));
    if (!v.empty() && v.back() == '%')
        v.pop_back();
    else if (v.size() > 2 && v.compare(v.size() - 2, 2, "px") == 0)
        v.resize(v.size() - 2);
    if (v.empty())
        return false;
    for (char c : v)
    {
        if ((c < '0' || c > '9') && c != '.')
            return false;
    }
    return true;
}

bool isOneOf(const char* value, std::initializer_list<const char*> allowed)
{
    const std::string v = Poco::toLower(Poco::trim(std::string(value)));
    for (const char* a : allowed)
    {
        if (v == a)
            return true;
    }
    return false;
}

bool isColor(const char* value)
{
    if (*value == '\0')
        return false;
    for (const char* p = value; *p; ++p)
    {
        if (!Poco::Ascii::isAlphaNumeric(*p) && *p != '#')
            return false;
    }
    return true;
}

// A URL a reader may follow or load (SafeUrl's rule). One that holds a mustache tag is only
// known once filled: the Personalizer checks it then.
bool isSafeUrl(const char* value, bool image)
{
    const std::string url(value);
    if (url.find("{{") != std::string::npos)
        return true;
    return SafeUrl::isAllowed(url, image ? SafeUrl::Use::Image : SafeUrl::Use::Link);
}

bool isZeroLength(const std::string& value)
{
    const char* p = value.c_str();
    bool any = false;
    while (*p)
    {
        while (*p == ' ')
            ++p;
        if (!*p)
            break;
        char* end = nullptr;
        const double number = std::strtod(p, &end);
        if (end == p || number > 0.01 || number < -0.01)
            return false;
        p = end;
        while (Poco::Ascii::isAlpha(*p) || *p == '%')
            ++p;
        if (*p && *p != ' ')
            return false;
        any = true;
    }
    return any;
}

// The declarations of a style attribute, split at the semicolons that are not inside
// quotes or parentheses (Word writes font:7.0pt "Times New Roman").
std::vector<std::string> declarations(const std::string& style)
{
    std::vector<std::string> out;
    std::string current;
    char quote = 0;
    int depth = 0;
    for (char c : style)
    {
        if (quote)
        {
            if (c == quote)
                quote = 0;
        }
        else if (c == '"' || c == '\'')
            quote = c;
        else if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (c == ';' && depth == 0)
        {
            out.push_back(current);
            current.clear();
            continue;
        }
        current.push_back(c);
    }
    out.push_back(current);
    return out;
}

bool isDangerousCss(const std::string& value)
{
    const std::string v = compact(value.c_str());
    for (const char* bad : {"expression", "url(", "javascript:", "vbscript:", "behavior", "binding",
                            "@import", "\\", "<", ">", "/*"})
    {
        if (v.find(bad) != std::string::npos)
            return true;
    }
    return false;
}

std::string filterStyle(const char* style, bool word)
{
    static const std::unordered_set<std::string> allowed = {
        "color",         "background-color", "background",      "font-weight",    "font-style",
        "font-size",     "font-family",      "text-decoration", "text-align",     "text-transform",
        "line-height",   "letter-spacing",   "vertical-align",  "margin",         "margin-top",
        "margin-right",  "margin-bottom",    "margin-left",     "padding",        "padding-top",
        "padding-right", "padding-bottom",   "padding-left",    "width",          "height",
        "max-width",     "min-width",        "border",          "border-top",     "border-right",
        "border-bottom", "border-left",      "border-color",    "border-style",   "border-width",
        "border-radius", "border-collapse",  "border-spacing",  "list-style-type"};
    // What a word processor says that still matters in an email: the rest (fonts, sizes in
    // points, indents, mso-*) is the word processor's page layout.
    static const std::unordered_set<std::string> fromWordProcessor = {
        "color",      "background-color", "background", "font-weight",
        "font-style", "text-decoration",  "text-align"};
    std::string out;
    for (const std::string& declaration : declarations(style))
    {
        const std::size_t colon = declaration.find(':');
        if (colon == std::string::npos)
            continue;
        const std::string property = Poco::toLower(Poco::trim(declaration.substr(0, colon)));
        std::string value = Poco::trim(declaration.substr(colon + 1));
        if (property.empty() || value.empty() || isDangerousCss(value))
            continue;
        if (word)
        {
            if (property.compare(0, 6, "margin") == 0 && property.find("-left") == std::string::npos &&
                property.find("-right") == std::string::npos && isZeroLength(value))
                value = "0";
            else if (!fromWordProcessor.count(property) ||
                     isOneOf(value.c_str(), {"windowtext", "auto", "normal"}))
                continue;
        }
        else if (!allowed.count(property))
            continue;
        if (!out.empty())
            out += ';';
        out += property;
        out += ':';
        out += value;
    }
    return out;
}

bool styleSays(const GumboNode* element, const char* declaration)
{
    const char* style = HtmlDocument::attribute(element, "style");
    return style != nullptr && compact(style).find(declaration) != std::string::npos;
}

bool isCommentStarting(const GumboNode* node, const char* prefix)
{
    if (node->type != GUMBO_NODE_COMMENT)
        return false;
    const std::string text = compact(node->v.text.text);
    return text.compare(0, std::strlen(prefix), prefix) == 0;
}

bool isBlank(const std::string& text)
{
    for (char c : text)
    {
        if (c != ' ' && c != '\n')
            return false;
    }
    return true;
}

void trimTrailingSpace(std::string& out)
{
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
}

// Word numbers list levels 1 to 9; a larger one would only nest the lists deeper.
const int MAX_LIST_LEVEL = 9;

struct ListItem
{
    int level;
    bool ordered;
    std::string html;
};

class Cleaner
{
public:
    explicit Cleaner(bool word) : _word(word) {}

    void children(const GumboNode* parent, std::string& out, bool startsLine, bool pre) const;

private:
    void node(const GumboNode* node, std::string& out, bool startsLine, bool pre) const;
    void element(const GumboNode* element, std::string& out, bool startsLine, bool pre) const;
    std::string attributes(const GumboNode* element, const std::string& name,
                           const std::string& written) const;
    bool isListParagraph(const GumboNode* node) const;
    ListItem listItem(const GumboNode* paragraph) const;
    static void writeList(const std::vector<ListItem>& items, std::string& out);

    bool _word;
};

inline bool atLineStart(const std::string& out, bool startsLine)
{
    return out.empty() ? startsLine : out.back() == '\n';
}

void text(const char* text, std::string& out, bool startsLine, bool pre)
{
    if (pre)
    {
        appendEscaped(out, text, false);
        return;
    }
    std::string collapsed;
    for (const char* p = text; *p; ++p)
    {
        const char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        {
            const bool lineStart = collapsed.empty() ? atLineStart(out, startsLine) : false;
            const bool afterSpace =
                collapsed.empty() ? (!out.empty() && out.back() == ' ') : collapsed.back() == ' ';
            if (!lineStart && !afterSpace)
                collapsed.push_back(' ');
        }
        else
            collapsed.push_back(c);
    }
    appendEscaped(out, collapsed.c_str(), false);
}

void Cleaner::children(const GumboNode* parent, std::string& out, bool startsLine, bool pre) const
{
    const GumboVector& list = parent->v.element.children;
    // Word writes list bullets for other programs between <![if !supportLists]> and
    // <![endif]>: the list becomes a real one, so the bullets go.
    bool skipping = false;
    for (unsigned i = 0; i < list.length; ++i)
    {
        const auto* child = static_cast<const GumboNode*>(list.data[i]);
        if (isCommentStarting(child, "[if!supportlists]"))
            skipping = true;
        else if (isCommentStarting(child, "[endif]"))
            skipping = false;
        if (skipping)
            continue;
        if (_word && isListParagraph(child))
        {
            std::vector<ListItem> items{listItem(child)};
            unsigned last = i;
            for (unsigned j = i + 1; j < list.length; ++j)
            {
                const auto* next = static_cast<const GumboNode*>(list.data[j]);
                if (isListParagraph(next))
                {
                    items.push_back(listItem(next));
                    last = j;
                }
                else if (!(next->type == GUMBO_NODE_WHITESPACE || next->type == GUMBO_NODE_COMMENT))
                    break;
            }
            trimTrailingSpace(out);
            if (!atLineStart(out, startsLine))
                out.push_back('\n');
            writeList(items, out);
            i = last;
            continue;
        }
        node(child, out, startsLine, pre);
    }
}

void Cleaner::node(const GumboNode* node, std::string& out, bool startsLine, bool pre) const
{
    switch (node->type)
    {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
        text(node->v.text.text, out, startsLine, pre);
        break;
    case GUMBO_NODE_ELEMENT:
        element(node, out, startsLine, pre);
        break;
    default: // comments, CDATA, templates, the document
        break;
    }
}

void Cleaner::element(const GumboNode* element, std::string& out, bool startsLine, bool pre) const
{
    const std::string name = HtmlDocument::tagName(element);
    if (element->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
        return;
    const Rule rule = ruleFor(name);
    if (rule.action == Action::Drop || styleSays(element, "mso-list:ignore"))
        return;
    if (rule.action == Action::Unwrap)
    {
        children(element, out, startsLine, pre);
        return;
    }
    const std::string written = rule.name ? rule.name : name;
    const std::string attrs = attributes(element, name, written);

    // Elements that are nothing without their attributes give way to their content.
    bool unwrap =
        (written == "span" && attrs.empty()) || (written == "a" && attrs.find(" href=") == std::string::npos);
    // Google Docs wraps a whole paste in <b style="font-weight:normal">.
    if ((written == "b" || written == "strong") &&
        (styleSays(element, "font-weight:normal") || styleSays(element, "font-weight:400")))
        unwrap = true;
    if ((written == "i" || written == "em") && styleSays(element, "font-style:normal"))
        unwrap = true;
    if (written == "div" && attrs.empty() && _word)
        unwrap = true; // WordSection1 and friends
    if (unwrap)
    {
        children(element, out, startsLine, pre);
        return;
    }
    if (written == "img" && attrs.find(" src=") == std::string::npos)
        return;

    const bool block = isBlock(written);
    if (block)
    {
        trimTrailingSpace(out);
        if (!atLineStart(out, startsLine))
            out.push_back('\n');
    }
    if (isVoid(written))
    {
        if (written == "br")
            trimTrailingSpace(out);
        out += '<' + written + attrs + '>';
        if (written != "img")
            out.push_back('\n');
        return;
    }

    std::string inner;
    const bool innerStartsLine = block || atLineStart(out, startsLine);
    children(element, inner, innerStartsLine, pre || written == "pre");
    if (block)
        trimTrailingSpace(inner);
    if (isFormatting(written) && isBlank(inner))
    {
        if (!inner.empty() && !atLineStart(out, startsLine) && out.back() != ' ')
            out.push_back(' ');
        return;
    }
    if ((written == "p" || written == "ul" || written == "ol" ||
         (written.size() == 2 && written[0] == 'h')) &&
        isBlank(inner))
        return;
    out += '<' + written + attrs + '>';
    if (opensWithNewline(written) && !inner.empty() && inner.front() != '\n')
        out.push_back('\n');
    out += inner;
    out += "</" + written + '>';
    if (block && written != "td" && written != "th")
        out.push_back('\n');
}

std::string Cleaner::attributes(const GumboNode* element, const std::string& name,
                                const std::string& written) const
{
    std::string out;
    std::string style;
    auto add = [&](const char* attribute, const char* value)
    {
        out += ' ';
        out += attribute;
        out += "=\"";
        appendEscaped(out, value, true);
        out += '"';
    };
    if (name == "center")
        style = "text-align:center";
    const bool cell = written == "td" || written == "th";
    const bool table = written == "table";
    const GumboVector& list = element->v.element.attributes;
    for (unsigned i = 0; i < list.length; ++i)
    {
        const auto* attribute = static_cast<const GumboAttribute*>(list.data[i]);
        const std::string a = attribute->name;
        const char* v = attribute->value;
        if (a == "style")
        {
            const std::string filtered = filterStyle(v, _word);
            if (!filtered.empty())
                style += (style.empty() ? "" : ";") + filtered;
        }
        else if (a == "title" || (a == "alt" && written == "img"))
            add(a.c_str(), v);
        else if (a == "href" && written == "a" && isSafeUrl(v, false))
            add("href", v);
        else if (a == "src" && written == "img" && isSafeUrl(v, true))
            add("src", v);
        else if (a == "target" && written == "a" && isOneOf(v, {"_blank", "_self", "_parent", "_top"}))
            add("target", v);
        else if (a == "align" &&
                 isOneOf(v, {"left", "right", "center", "justify", "top", "middle", "bottom"}))
            add("align", v);
        else if (a == "valign" && (cell || written == "tr") &&
                 isOneOf(v, {"top", "middle", "bottom", "baseline"}))
            add("valign", v);
        else if ((a == "width" || a == "height") && (cell || table || written == "img") && isLength(v))
            add(a.c_str(), v);
        else if ((a == "colspan" || a == "rowspan") && cell && isDigits(v))
            add(a.c_str(), v);
        else if ((a == "cellpadding" || a == "cellspacing") && table && isDigits(v))
            add(a.c_str(), v);
        else if (a == "border" && (table || written == "img") && isDigits(v))
            add("border", v);
        else if (a == "bgcolor" && (cell || table || written == "tr") && isColor(v))
            add("bgcolor", v);
        else if (a == "start" && written == "ol" && isDigits(v))
            add("start", v);
        else if (a == "type" && written == "ol" && isOneOf(v, {"1", "a", "i"}))
            add("type", v);
        else if (a == "value" && written == "li" && isDigits(v))
            add("value", v);
        else if (a == "dir" && isOneOf(v, {"ltr", "rtl", "auto"}))
            add("dir", v);
        else if (name == "font" && a == "color" && isColor(v))
            style += std::string(style.empty() ? "" : ";") + "color:" + v;
        else if (name == "font" && a == "face" && !_word && !isDangerousCss(v))
            style += std::string(style.empty() ? "" : ";") + "font-family:" + v;
    }
    if (!style.empty())
        add("style", style.c_str());
    return out;
}

bool Cleaner::isListParagraph(const GumboNode* node) const
{
    if (node->type != GUMBO_NODE_ELEMENT || node->v.element.tag != GUMBO_TAG_P)
        return false;
    const char* style = HtmlDocument::attribute(node, "style");
    if (style != nullptr)
    {
        const std::string s = compact(style);
        const std::size_t at = s.find("mso-list:");
        if (at != std::string::npos && s.compare(at, 13, "mso-list:none") != 0 &&
            s.compare(at, 15, "mso-list:ignore") != 0)
            return true;
    }
    const char* cls = HtmlDocument::attribute(node, "class");
    return cls != nullptr && compact(cls).compare(0, 16, "msolistparagraph") == 0 && style != nullptr &&
           compact(style).find("level") != std::string::npos;
}

// The marker Word wrote ("1.", "a)", "·", "o", "§"): ordered or not.
void collectMarker(const GumboNode* node, std::string& marker, bool& inside)
{
    if (node->type == GUMBO_NODE_COMMENT)
    {
        if (isCommentStarting(node, "[if!supportlists]"))
            inside = true;
        else if (isCommentStarting(node, "[endif]"))
            inside = false;
        return;
    }
    if ((node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) && inside)
        marker += node->v.text.text;
    if (node->type != GUMBO_NODE_ELEMENT)
        return;
    const bool ignore = styleSays(node, "mso-list:ignore");
    bool in = inside || ignore;
    const GumboVector& list = node->v.element.children;
    for (unsigned i = 0; i < list.length; ++i)
        collectMarker(static_cast<const GumboNode*>(list.data[i]), marker, in);
    if (!ignore)
        inside = in;
}

bool isOrderedMarker(const std::string& raw)
{
    std::string marker;
    for (std::size_t i = 0; i < raw.size(); ++i)
    {
        if (static_cast<unsigned char>(raw[i]) == 0xC2 && i + 1 < raw.size() &&
            static_cast<unsigned char>(raw[i + 1]) == 0xA0)
            ++i;
        else if (raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\r' && raw[i] != '\n')
            marker.push_back(raw[i]);
    }
    if (marker.size() < 2 || (marker.back() != '.' && marker.back() != ')'))
        return false;
    marker.pop_back();
    bool digits = true, letters = true;
    for (char c : marker)
    {
        digits = digits && Poco::Ascii::isDigit(c);
        letters = letters && Poco::Ascii::isAlpha(c);
    }
    return digits || (letters && marker.size() <= 4);
}

ListItem Cleaner::listItem(const GumboNode* paragraph) const
{
    ListItem item{1, false, std::string()};
    if (const char* style = HtmlDocument::attribute(paragraph, "style"))
    {
        const std::string s = compact(style);
        const std::size_t at = s.find("level");
        if (at != std::string::npos)
            item.level = std::clamp(std::atoi(s.c_str() + at + 5), 1, MAX_LIST_LEVEL);
    }
    std::string marker;
    bool inside = false;
    collectMarker(paragraph, marker, inside);
    item.ordered = isOrderedMarker(marker);
    children(paragraph, item.html, true, false);
    trimTrailingSpace(item.html);
    return item;
}

void Cleaner::writeList(const std::vector<ListItem>& items, std::string& out)
{
    struct Open
    {
        int level;
        bool ordered;
    };
    std::vector<Open> open;
    auto close = [&]()
    {
        out += open.back().ordered ? "</li>\n</ol>\n" : "</li>\n</ul>\n";
        open.pop_back();
    };
    for (const ListItem& item : items)
    {
        while (!open.empty() && open.back().level > item.level)
            close();
        if (!open.empty() && open.back().level == item.level && open.back().ordered != item.ordered)
            close();
        if (open.empty() || open.back().level < item.level)
        {
            if (!open.empty())
                out.push_back('\n');
            out += item.ordered ? "<ol>\n" : "<ul>\n";
            open.push_back({item.level, item.ordered});
        }
        else
            out += "</li>\n";
        out += "<li>";
        out += item.html;
    }
    while (!open.empty())
        close();
}

// The Windows clipboard's HTML format starts with a description ("Version:0.9
// StartHTML:..."), not HTML.
std::string withoutClipboardHeader(const std::string& html)
{
    if (html.compare(0, 8, "Version:") != 0)
        return html;
    const std::size_t tag = html.find('<');
    return tag == std::string::npos ? std::string() : html.substr(tag);
}
} // namespace

bool HtmlSanitizer::isSafeStyle(const std::string& css)
{
    return !isDangerousCss(css);
}

bool HtmlSanitizer::isWordProcessorHtml(const std::string& html)
{
    const std::string lower = Poco::toLower(html);
    for (const char* fingerprint :
         {"urn:schemas-microsoft-com:office", "mso-", "class=mso", "class=\"mso", "<o:p",
          "content=\"libreoffice", "content=\"openoffice", "content=\"microsoft word"})
    {
        if (lower.find(fingerprint) != std::string::npos)
            return true;
    }
    return false;
}

std::string HtmlSanitizer::sanitize(const std::string& html, const std::string& field) const
{
    const std::string source = withoutClipboardHeader(html);
    const HtmlDocument document(source, field);
    const Cleaner cleaner(isWordProcessorHtml(source));
    std::string out;
    out.reserve(source.size());
    cleaner.children(document.body(), out, true, false);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    std::size_t start = 0;
    while (start < out.size() && (out[start] == ' ' || out[start] == '\n'))
        ++start;
    out.erase(0, start);
    if (!out.empty())
        out.push_back('\n');
    out = MustacheTags::normalized(out, true);
    MustacheTags::checkNesting(out, field);
    return out;
}
} // namespace MassMailing
