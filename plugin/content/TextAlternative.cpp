#include "TextAlternative.h"
#include "HtmlDocument.h"
#include <Poco/String.h>
#include <algorithm>
#include <vector>

namespace MassMailing
{
namespace
{
// Stands for a no-break space until lines are written.
const char NO_BREAK = '\x01';
const char BLANK[] = " \n\x01";

std::size_t widthOf(const std::string& text)
{
    std::size_t width = 0;
    for (char c : text)
    {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++width;
    }
    return width;
}

// Words separated by spaces; a mustache tag is one word even with spaces inside.
std::vector<std::string> words(const std::string& segment)
{
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < segment.size(); ++i)
    {
        if (segment.compare(i, 2, "{{") == 0)
        {
            const std::size_t end = segment.find("}}", i + 2);
            if (end != std::string::npos)
            {
                std::size_t stop = end + 2;
                if (stop < segment.size() && segment[stop] == '}')
                    ++stop;
                word.append(segment, i, stop - i);
                i = stop - 1;
                continue;
            }
        }
        if (segment[i] == ' ')
        {
            if (!word.empty())
                out.push_back(word);
            word.clear();
        }
        else
            word.push_back(segment[i]);
    }
    if (!word.empty())
        out.push_back(word);
    return out;
}

std::string rightTrimmed(std::string text)
{
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

bool hasBlockInside(const GumboNode* node)
{
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i)
    {
        const auto* child = static_cast<const GumboNode*>(children.data[i]);
        if (child->type != GUMBO_NODE_ELEMENT)
            continue;
        switch (child->v.element.tag)
        {
        case GUMBO_TAG_P:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_HR:
            return true;
        default:
            if (hasBlockInside(child))
                return true;
        }
    }
    return false;
}

class TextWriter
{
public:
    explicit TextWriter(std::size_t width) : _width(width) {}

    void node(const GumboNode* node);
    std::string result();

private:
    void children(const GumboNode* node);
    void element(const GumboNode* element);
    void text(const char* text);
    void lineBreak();
    void block(int separation);
    void flush();
    void writeLine(const std::string& prefix, const std::string& line);
    void row(const GumboNode* row);
    std::string indent(bool first) const;

    struct List
    {
        bool ordered;
        int next;
    };

    std::size_t _width;
    std::string _out;
    std::string _inline;
    int _pendingBreak = 0;
    bool _pre = false;
    std::vector<std::string> _indents;
    std::vector<List> _lists;
    std::string _marker;
    std::size_t _markerLevel = 0;
    std::string _breakPrefix;
};

void TextWriter::text(const char* text)
{
    for (const char* p = text; *p; ++p)
    {
        char c = *p;
        // A no-break space stays one while lines are wrapped ("18&nbsp;h"), and is written
        // as a space.
        if (static_cast<unsigned char>(c) == 0xC2 && static_cast<unsigned char>(p[1]) == 0xA0)
        {
            c = NO_BREAK;
            ++p;
        }
        if (_pre)
        {
            _inline.push_back(c == '\r' ? '\n' : c);
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        {
            if (!_inline.empty() && _inline.back() != ' ' && _inline.back() != '\n')
                _inline.push_back(' ');
        }
        else
            _inline.push_back(c);
    }
}

void TextWriter::lineBreak()
{
    _inline = rightTrimmed(_inline);
    _inline.push_back('\n');
}

void TextWriter::block(int separation)
{
    flush();
    if (separation > _pendingBreak)
    {
        _pendingBreak = separation;
        // The blank line belongs to the enclosing block: no "> " before a blockquote.
        _breakPrefix = indent(false);
    }
}

std::string TextWriter::indent(bool first) const
{
    std::string prefix;
    for (std::size_t i = 0; i < _indents.size(); ++i)
        prefix += (first && !_marker.empty() && i + 1 == _markerLevel) ? _marker : _indents[i];
    return prefix;
}

void TextWriter::writeLine(const std::string& prefix, const std::string& line)
{
    std::string text = prefix + line;
    std::replace(text.begin(), text.end(), NO_BREAK, ' ');
    _out += rightTrimmed(text);
    _out.push_back('\n');
}

void TextWriter::flush()
{
    std::string content;
    content.swap(_inline);
    const std::size_t last = content.find_last_not_of(BLANK);
    if (last == std::string::npos)
        return;
    // Preformatted text keeps the indentation of its first line.
    const std::size_t first = _pre ? content.find_first_not_of('\n') : content.find_first_not_of(BLANK);
    content = content.substr(first, last + 1 - first);

    if (!_out.empty() && _pendingBreak == 2)
        writeLine(_breakPrefix, "");
    _pendingBreak = 0;

    bool firstLine = true;
    std::size_t start = 0;
    while (start <= content.size())
    {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos)
            end = content.size();
        const std::string segment = content.substr(start, end - start);
        start = end + 1;
        const std::string prefixFirst = indent(firstLine);
        const std::string prefixRest = indent(false);
        if (_pre)
        {
            writeLine(firstLine ? prefixFirst : prefixRest, segment);
            firstLine = false;
            continue;
        }
        std::string line;
        std::size_t lineWidth = 0;
        for (const std::string& word : words(segment))
        {
            const std::size_t wordWidth = widthOf(word);
            const std::size_t prefixWidth = widthOf(firstLine ? prefixFirst : prefixRest);
            if (line.empty())
            {
                line = word;
                lineWidth = wordWidth;
            }
            else if (prefixWidth + lineWidth + 1 + wordWidth <= _width)
            {
                line += ' ';
                line += word;
                lineWidth += 1 + wordWidth;
            }
            else
            {
                writeLine(firstLine ? prefixFirst : prefixRest, line);
                firstLine = false;
                line = word;
                lineWidth = wordWidth;
            }
        }
        writeLine(firstLine ? prefixFirst : prefixRest, line);
        firstLine = false;
    }
    _marker.clear();
}

void TextWriter::children(const GumboNode* node)
{
    const GumboVector& list = node->v.element.children;
    for (unsigned i = 0; i < list.length; ++i)
        this->node(static_cast<const GumboNode*>(list.data[i]));
}

void TextWriter::node(const GumboNode* node)
{
    switch (node->type)
    {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
        text(node->v.text.text);
        break;
    case GUMBO_NODE_ELEMENT:
        element(node);
        break;
    default:
        break;
    }
}

void TextWriter::row(const GumboNode* row)
{
    block(1);
    bool rowHasText = false;
    const GumboVector& cells = row->v.element.children;
    for (unsigned i = 0; i < cells.length; ++i)
    {
        const auto* cell = static_cast<const GumboNode*>(cells.data[i]);
        if (cell->type != GUMBO_NODE_ELEMENT)
            continue;
        if (hasBlockInside(cell))
        {
            block(1);
            children(cell);
            block(1);
            rowHasText = false;
            continue;
        }
        _inline = rightTrimmed(_inline);
        const std::size_t start = _inline.size();
        children(cell);
        if (_inline.size() > start && _inline[start] == ' ')
            _inline.erase(start, 1);
        if (_inline.find_first_not_of(BLANK, start) == std::string::npos)
        {
            _inline.resize(start);
            continue;
        }
        if (rowHasText)
            _inline.insert(start, " | ");
        rowHasText = true;
    }
    block(1);
}

void TextWriter::element(const GumboNode* element)
{
    const GumboTag tag = element->v.element.tag;
    switch (tag)
    {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
        return;
    case GUMBO_TAG_BR:
        lineBreak();
        return;
    case GUMBO_TAG_IMG:
        if (const char* alt = HtmlDocument::attribute(element, "alt"))
            text(alt);
        return;
    case GUMBO_TAG_HR:
        block(2);
        _inline = "--------------------";
        block(2);
        return;
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
        block(2);
        children(element);
        block(2);
        return;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        block(1);
        children(element);
        block(1);
        return;
    case GUMBO_TAG_TR:
        row(element);
        return;
    case GUMBO_TAG_PRE:
        block(2);
        _pre = true;
        children(element);
        flush();
        _pre = false;
        block(2);
        return;
    case GUMBO_TAG_BLOCKQUOTE:
        block(2);
        _indents.push_back("> ");
        children(element);
        flush();
        _indents.pop_back();
        block(2);
        return;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    {
        block(_lists.empty() ? 2 : 1);
        int start = 1;
        if (const char* value = HtmlDocument::attribute(element, "start"))
            start = std::atoi(value);
        _lists.push_back({tag == GUMBO_TAG_OL, start});
        children(element);
        flush();
        _lists.pop_back();
        block(_lists.empty() ? 2 : 1);
        return;
    }
    case GUMBO_TAG_LI:
    {
        block(1);
        std::string marker = "- ";
        if (!_lists.empty() && _lists.back().ordered)
            marker = std::to_string(_lists.back().next++) + ". ";
        _indents.push_back(std::string(marker.size(), ' '));
        _marker = marker;
        _markerLevel = _indents.size();
        children(element);
        flush();
        _indents.pop_back();
        _marker.clear();
        block(1);
        return;
    }
    case GUMBO_TAG_A:
    {
        const std::size_t start = _inline.size();
        children(element);
        const char* href = HtmlDocument::attribute(element, "href");
        if (href == nullptr || *href == '\0' || *href == '#')
            return;
        std::string url = Poco::trim(std::string(href));
        if (Poco::icompare(url.substr(0, 7), "mailto:") == 0)
            url.erase(0, 7);
        const std::string label = Poco::trim(_inline.substr(std::min(start, _inline.size())));
        if (label == url || label == href)
            return;
        if (label.empty())
            text(url.c_str());
        else
        {
            _inline = rightTrimmed(_inline);
            _inline += " (" + url + ")";
        }
        return;
    }
    default:
        children(element);
    }
}

std::string TextWriter::result()
{
    flush();
    return _out;
}
} // namespace

TextAlternative::TextAlternative(std::size_t width) : _width(width) {}

std::string TextAlternative::fromHtml(const std::string& html) const
{
    const HtmlDocument document(html);
    TextWriter writer(_width);
    writer.node(document.body());
    return writer.result();
}
} // namespace MassMailing
