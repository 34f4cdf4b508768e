#include "content/Personalizer.h"
#include <Poco/Exception.h>
#include <algorithm>

namespace MassMailing
{
namespace
{
// Markers that cannot occur in a template's text: mstch leaves control characters alone.
const char SLOT_BEGIN = '\x1E';
const char SLOT_END = '\x1F';

struct Tag
{
    char kind; /// 0 for a variable, else '{', '&', '#', '^', '/', '!', '>', '='
    std::string name;
    std::size_t begin; /// The tag's place in the source, braces included.
    std::size_t end;
};

// Calls onTag for each tag of the template.
template <class F> void scanTags(const std::string& source, F onTag)
{
    std::size_t pos = 0;
    while ((pos = source.find("{{", pos)) != std::string::npos)
    {
        bool triple = source.compare(pos, 3, "{{{") == 0;
        std::size_t close = source.find(triple ? "}}}" : "}}", pos + 2);
        if (close == std::string::npos)
            throw Poco::SyntaxException("unclosed mustache tag", source.substr(pos, 40));
        std::string inner = source.substr(pos + (triple ? 3 : 2), close - pos - (triple ? 3 : 2));
        Tag tag{triple ? '{' : '\0', "", pos, close + (triple ? 3 : 2)};
        if (!triple && !inner.empty() && std::string("&#^/!>=").find(inner[0]) != std::string::npos)
        {
            tag.kind = inner[0];
            inner.erase(0, 1);
        }
        auto first = inner.find_first_not_of(" \t");
        auto last = inner.find_last_not_of(" \t");
        tag.name = first == std::string::npos ? "" : inner.substr(first, last - first + 1);
        onTag(tag);
        pos = tag.end;
    }
}

// {{x}} as {{{x}}}: outside HTML (a subject, a text body) mstch must not escape values.
std::string unescaped(const std::string& source)
{
    std::string out;
    std::size_t copied = 0;
    scanTags(source,
             [&](const Tag& tag)
             {
                 if (tag.kind != 0)
                     return;
                 out.append(source, copied, tag.begin - copied);
                 out += "{{{" + tag.name + "}}}";
                 copied = tag.end;
             });
    return out.append(source, copied, std::string::npos);
}

void appendEscaped(std::string& out, const std::string& value)
{
    for (char c : value)
    {
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
}
} // namespace

std::vector<std::string> Personalizer::variablesOf(const std::string& source)
{
    std::vector<std::string> names;
    scanTags(source,
             [&](const Tag& tag)
             {
                 bool namesValue = tag.kind == 0 || tag.kind == '{' || tag.kind == '&' || tag.kind == '#' ||
                                   tag.kind == '^';
                 if (namesValue && !tag.name.empty() &&
                     std::find(names.begin(), names.end(), tag.name) == names.end())
                     names.push_back(tag.name);
             });
    return names;
}

Personalizer::Personalizer(const std::string& source, const std::set<std::string>& recipientVariables,
                           const mstch::map& campaignValues, Escaping escaping)
    : _source(escaping == Escaping::Html ? source : unescaped(source)), _campaignValues(campaignValues)
{
    scanTags(_source,
             [&](const Tag& tag)
             {
                 if ((tag.kind == '#' || tag.kind == '^') && recipientVariables.count(tag.name))
                     _perRecipientSections = true;
             });
    if (_perRecipientSections)
        return;

    // Each recipient tag becomes a marker in the text, which mstch passes through as it is;
    // 'e' marks a value to escape, 'r' one to insert raw.
    std::string marked;
    marked.reserve(_source.size());
    std::size_t copied = 0;
    scanTags(_source,
             [&](const Tag& tag)
             {
                 bool value = tag.kind == 0 || tag.kind == '{' || tag.kind == '&';
                 if (!value || !recipientVariables.count(tag.name))
                     return;
                 marked.append(_source, copied, tag.begin - copied);
                 marked += SLOT_BEGIN;
                 marked += tag.kind == 0 ? 'e' : 'r';
                 marked += tag.name;
                 marked += SLOT_END;
                 copied = tag.end;
             });
    marked.append(_source, copied, std::string::npos);

    std::string prepared = mstch::render(marked, campaignValues);
    std::size_t pos = 0;
    while (pos < prepared.size())
    {
        std::size_t begin = prepared.find(SLOT_BEGIN, pos);
        std::size_t end = begin == std::string::npos ? begin : prepared.find(SLOT_END, begin);
        if (end == std::string::npos)
        {
            _pieces.push_back({prepared.substr(pos), false, false});
            break;
        }
        if (begin > pos)
            _pieces.push_back({prepared.substr(pos, begin - pos), false, false});
        _pieces.push_back({prepared.substr(begin + 2, end - begin - 2), true, prepared[begin + 1] == 'e'});
        pos = end + 1;
    }
}

std::string Personalizer::render(const std::map<std::string, std::string>& recipientValues) const
{
    if (_perRecipientSections)
    {
        mstch::map context = _campaignValues;
        for (const auto& [name, value] : recipientValues)
            context[name] = value;
        return mstch::render(_source, context);
    }
    std::string out;
    out.reserve(_source.size() + 256);
    for (const auto& piece : _pieces)
    {
        if (!piece.slot)
            out += piece.text;
        else
        {
            auto value = recipientValues.find(piece.text);
            if (value == recipientValues.end())
                continue;
            if (piece.escape)
                appendEscaped(out, value->second);
            else
                out += value->second;
        }
    }
    return out;
}
} // namespace MassMailing
