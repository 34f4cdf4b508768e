#include "HtmlDocument.h"
#include "ContentException.h"
#include <Poco/Ascii.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstdlib>
#include <unordered_set>
#include <utility>
#include <vector>

namespace MassMailing
{
// gumbo frees its tree by recursion (gumbo_destroy_output), which a deep tree overflows: the
// document allocates gumbo's memory itself, in blocks chained together, and frees the chain.
struct alignas(std::max_align_t) HtmlDocument::Block
{
    Block* previous;
    Block* next;
};

namespace
{
void* allocate(void* userdata, std::size_t size)
{
    auto** head = static_cast<HtmlDocument::Block**>(userdata);
    auto* block = static_cast<HtmlDocument::Block*>(std::malloc(sizeof(HtmlDocument::Block) + size));
    if (block == nullptr) // gumbo checks no allocation, and no exception may cross its C code
        std::abort();
    block->previous = nullptr;
    block->next = *head;
    if (*head != nullptr)
        (*head)->previous = block;
    *head = block;
    return block + 1;
}

void deallocate(void* userdata, void* pointer)
{
    if (pointer == nullptr)
        return;
    auto** head = static_cast<HtmlDocument::Block**>(userdata);
    auto* block = static_cast<HtmlDocument::Block*>(pointer) - 1;
    if (block->previous != nullptr)
        block->previous->next = block->next;
    else
        *head = block->next;
    if (block->next != nullptr)
        block->next->previous = block->previous;
    std::free(block);
}

bool hasChildren(const GumboNode* node)
{
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE ||
           node->type == GUMBO_NODE_DOCUMENT;
}

const GumboVector& childrenOf(const GumboNode* node)
{
    return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

FieldException tooDeep(const std::string& field)
{
    return FieldException(field, "too_deep",
                          field + ": elements are nested more than " +
                              std::to_string(HtmlDocument::MAX_DEPTH) + " levels deep; simplify the layout");
}

// The deepest nesting of elements under root, counted without recursion; stops once past limit.
std::size_t depthOf(const GumboNode* root, std::size_t limit)
{
    std::vector<std::pair<const GumboNode*, std::size_t>> pending{{root, 0}};
    std::size_t deepest = 0;
    while (!pending.empty())
    {
        const auto [node, depth] = pending.back();
        pending.pop_back();
        deepest = std::max(deepest, depth);
        if (deepest > limit)
            break;
        if (!hasChildren(node))
            continue;
        const GumboVector& children = childrenOf(node);
        for (unsigned i = 0; i < children.length; ++i)
            pending.emplace_back(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }
    return deepest;
}

// gumbo's tree building walks the stack of open elements for each tag, so a body of a
// million nested elements costs hours before its depth could be checked. This estimate of the
// nesting, made from the tags alone, errs low: an end tag closes the nearest element of its
// name, the tags that close others implicitly (p, li, td, ...) close the nearest ones, and what
// gumbo might not nest is not counted. It stops once past limit.
std::size_t nestingEstimate(const std::string& html, std::size_t limit)
{
    static const std::unordered_set<std::string> VOIDS = {
        "area",  "base",     "basefont", "bgsound", "br",     "col",     "embed",
        "frame", "hr",       "image",    "img",     "input",  "isindex", "keygen",
        "link",  "menuitem", "meta",     "param",   "source", "track",   "wbr"};
    static const std::unordered_set<std::string> RAW = {
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"};
    static const std::unordered_set<std::string> CLOSES_P = {
        "address", "article", "aside",    "blockquote", "center", "details", "dialog",  "dir",
        "div",     "dl",      "fieldset", "figcaption", "figure", "footer",  "header",  "hgroup",
        "main",    "menu",    "nav",      "ol",         "p",      "section", "summary", "ul",
        "h1",      "h2",      "h3",       "h4",         "h5",     "h6",      "pre",     "listing",
        "form",    "table",   "li",       "dd",         "dt",     "hr",      "xmp",     "plaintext"};
    // A start tag that closes the nearest open element of these names, looking no further
    // than the container that holds them (a cell does not close the cell of an outer table).
    struct Closes
    {
        const char* opener;
        std::unordered_set<std::string> names;
        std::unordered_set<std::string> stops;
    };
    static const std::unordered_set<std::string> SCOPE = {"applet",  "caption", "table",    "td",    "th",
                                                          "marquee", "object",  "template", "button"};
    static const std::unordered_set<std::string> HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"};
    static const std::unordered_set<std::string> SECTIONS = {"tbody", "thead", "tfoot"};
    static const std::unordered_set<std::string> CELLS = {"td", "th"};
    static const std::unordered_set<std::string> RUBY = {"rb", "rt", "rtc", "rp"};
    static const std::vector<Closes> CLOSES_SIBLINGS = {
        {"li", {"li"}, {"ul", "ol", "table"}},
        {"dd", {"dd", "dt"}, {"dl", "table"}},
        {"dt", {"dd", "dt"}, {"dl", "table"}},
        {"td", CELLS, {"tr", "table"}},
        {"th", CELLS, {"tr", "table"}},
        {"tr", {"tr"}, SECTIONS},
        {"tbody", SECTIONS, {"table"}},
        {"thead", SECTIONS, {"table"}},
        {"tfoot", SECTIONS, {"table"}},
        {"caption", {"caption", "colgroup"}, {"table"}},
        {"colgroup", {"caption", "colgroup"}, {"table"}},
        {"option", {"option"}, {"select", "optgroup"}},
        {"optgroup", {"option", "optgroup"}, {"select"}},
        {"a", {"a"}, SCOPE},
        {"nobr", {"nobr"}, SCOPE},
        {"button", {"button"}, {"table", "td", "th", "caption", "template"}},
        {"select", {"select"}, {}},
        {"input", {"select"}, {}},
        {"keygen", {"select"}, {}},
        {"textarea", {"select"}, {}},
        {"rb", RUBY, {"ruby"}},
        {"rt", RUBY, {"ruby", "rtc"}},
        {"rtc", RUBY, {"ruby"}},
        {"rp", RUBY, {"ruby", "rtc"}}};
    std::vector<std::string> open;
    std::size_t deepest = 0;
    static const std::unordered_set<std::string> NO_STOP;
    auto closeNearest =
        [&](const std::unordered_set<std::string>& names, const std::unordered_set<std::string>& stops)
    {
        for (std::size_t i = open.size(); i > 0; --i)
        {
            if (names.count(open[i - 1]))
            {
                open.resize(i - 1);
                return;
            }
            if (stops.count(open[i - 1]))
                return;
        }
    };
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
    const std::size_t n = html.size();
    std::size_t i = 0;
    while ((i = html.find('<', i)) != std::string::npos && deepest <= limit)
    {
        if (html.compare(i, 4, "<!--") == 0)
        {
            const std::size_t end = html.find("-->", i + 2);
            if (end == std::string::npos)
                break;
            i = end + 3;
            continue;
        }
        const bool closing = i + 1 < n && html[i + 1] == '/';
        std::size_t p = i + (closing ? 2 : 1);
        if (p >= n || !Poco::Ascii::isAlpha(html[p]))
        {
            if (p < n && (html[p] == '!' || html[p] == '?' || closing))
            {
                const std::size_t end = html.find('>', p);
                if (end == std::string::npos)
                    break;
                i = end + 1;
            }
            else
                ++i;
            continue;
        }
        const std::size_t nameBegin = p;
        while (p < n && !isSpace(html[p]) && html[p] != '/' && html[p] != '>')
            ++p;
        const std::string name = Poco::toLower(html.substr(nameBegin, p - nameBegin));
        bool selfClosing = false;
        while (p < n && html[p] != '>')
        {
            if (isSpace(html[p]))
                ++p;
            else if (html[p] == '/')
            {
                selfClosing = p + 1 < n && html[p + 1] == '>';
                ++p;
            }
            else
            {
                selfClosing = false;
                while (p < n && !isSpace(html[p]) && html[p] != '/' && html[p] != '>' && html[p] != '=')
                    ++p;
                while (p < n && isSpace(html[p]))
                    ++p;
                if (p < n && html[p] == '=')
                {
                    ++p;
                    while (p < n && isSpace(html[p]))
                        ++p;
                    if (p < n && (html[p] == '"' || html[p] == '\''))
                    {
                        const std::size_t end = html.find(html[p], p + 1);
                        p = end == std::string::npos ? n : end + 1;
                    }
                    else
                    {
                        while (p < n && !isSpace(html[p]) && html[p] != '>')
                            ++p;
                    }
                }
            }
        }
        i = p + 1;
        if (closing)
        {
            closeNearest({name}, NO_STOP);
            continue;
        }
        if (name == "html" || name == "head" || name == "body")
            continue;
        if (name == "frameset" || name == "plaintext")
            break; // what follows is not nested in the body
        if (CLOSES_P.count(name))
            closeNearest({"p"}, SCOPE);
        if (HEADINGS.count(name) && !open.empty() && HEADINGS.count(open.back()))
            open.pop_back();
        for (const auto& closes : CLOSES_SIBLINGS)
        {
            if (name == closes.opener)
                closeNearest(closes.names, closes.stops);
        }
        const bool inSelect = std::find(open.begin(), open.end(), "select") != open.end();
        if (VOIDS.count(name) || selfClosing || (inSelect && name != "option" && name != "optgroup"))
            continue;
        open.push_back(name);
        deepest = std::max(deepest, open.size());
        if (RAW.count(name))
        {
            // Its content is text up to its end tag.
            std::size_t end = i;
            while ((end = html.find("</", end)) != std::string::npos &&
                   Poco::icompare(html.substr(end + 2, name.size()), name) != 0)
                end += 2;
            if (end == std::string::npos)
                break;
            i = end;
        }
    }
    return deepest;
}
} // namespace

HtmlDocument::HtmlDocument(const std::string& html, const std::string& field) : _html(html)
{
    if (nestingEstimate(_html, 2 * MAX_DEPTH) > 2 * MAX_DEPTH)
        throw tooDeep(field);
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = allocate;
    options.deallocator = deallocate;
    options.userdata = &_blocks;
    _output = gumbo_parse_with_options(&options, _html.data(), _html.size());
    if (_output == nullptr)
    {
        release();
        throw Poco::OutOfMemoryException("HTML parser");
    }
    const GumboNode* root = _output->root;
    if (depthOf(_output->document, MAX_DEPTH) > MAX_DEPTH)
    {
        release();
        throw tooDeep(field);
    }
    for (unsigned i = 0; root != nullptr && i < root->v.element.children.length; ++i)
    {
        const auto* child = static_cast<const GumboNode*>(root->v.element.children.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY)
            _body = child;
    }
    if (_body == nullptr)
        _body = root;
}

HtmlDocument::~HtmlDocument()
{
    release();
}

void HtmlDocument::release()
{
    while (_blocks != nullptr)
    {
        Block* next = _blocks->next;
        std::free(_blocks);
        _blocks = next;
    }
    _output = nullptr;
}

std::string HtmlDocument::tagName(const GumboNode* element)
{
    const GumboTag tag = element->v.element.tag;
    if (tag != GUMBO_TAG_UNKNOWN)
        return gumbo_normalized_tagname(tag);
    GumboStringPiece original = element->v.element.original_tag;
    gumbo_tag_from_original_text(&original);
    if (original.data == nullptr)
        return std::string();
    return Poco::toLower(std::string(original.data, original.length));
}

const char* HtmlDocument::attribute(const GumboNode* element, const char* name)
{
    const GumboAttribute* found = gumbo_get_attribute(&element->v.element.attributes, name);
    return found == nullptr ? nullptr : found->value;
}
} // namespace MassMailing
