#include "content/MustacheTags.h"
#include "content/ContentException.h"
#include <Poco/Ascii.h>
#include <Poco/Exception.h>
#include <algorithm>

namespace MassMailing
{
namespace
{
inline bool isSpace(char c)
{
    return c == ' '; // the only white space mstch skips inside a tag
}

// The tags of a template exactly as mstch reads them with its default delimiters
// (template_type::tokenize and token::token): the rules of what is escaped and what nests
// must be mstch's own, or a tag read otherwise would escape them. An opening "{{" without a
// closing "}}" after it is text for mstch; strict makes it a Poco::SyntaxException.
std::vector<MustacheTags::Tag> scan(const std::string& s, bool strict)
{
    std::vector<MustacheTags::Tag> tags;
    const std::size_t n = s.size();
    std::size_t cur = 0;
    while (cur < n)
    {
        const std::size_t open = s.find("{{", cur);
        if (open == std::string::npos)
            return tags;
        std::size_t close = s.find("}}", open + 1);
        if (close == std::string::npos)
        {
            if (strict)
                throw Poco::SyntaxException("unclosed mustache tag", s.substr(open, 40));
            return tags;
        }
        if (open + 2 < n && s[open + 2] == '{' && close + 2 < n && s[close + 2] == '}')
            ++close;
        MustacheTags::Tag tag{0, "", open, close + 2};
        const std::size_t left = open + 2; // first character inside
        const std::size_t right = close;   // one past the last character inside
        if (s[left] == '{' && right > left && s[right - 1] == '}' && right - 1 > left)
        {
            tag.kind = '&';
            std::size_t a = left + 1, b = right - 1;
            while (a < b && isSpace(s[a]))
                ++a;
            while (b > a && isSpace(s[b - 1]))
                --b;
            tag.name = s.substr(a, b - a);
        }
        else
        {
            std::size_t a = left, b = right;
            while (a < b && isSpace(s[a]))
                ++a;
            if (a < b && std::string(">^/&#!").find(s[a]) != std::string::npos)
            {
                tag.kind = s[a];
                ++a;
                while (a < b && isSpace(s[a]))
                    ++a;
            }
            while (b > a && isSpace(s[b - 1]))
                --b;
            tag.name = s.substr(a, b - a);
            if (s[left] == '=' && s[right - 1] == '=')
                tag.kind = '='; // a change of delimiters
        }
        cur = tag.end;
        tags.push_back(std::move(tag));
    }
    return tags;
}

// A name a value can be found by: first_name, a.b, "." (the current item).
bool isPlainName(const std::string& name)
{
    if (name.empty())
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c)
                       { return Poco::Ascii::isAlphaNumeric(c) || c == '_' || c == '-' || c == '.'; });
}

// Every variable as {{x}} (escaped) or {{{x}}} (as it is); delimiter changes, partials and
// tags without a plain name removed. The character before a tag is never '{' (mstch would
// have started the tag there), so what is written cannot join its neighbours into another tag.
std::string normalize(const std::string& source, bool escaped)
{
    std::string out;
    out.reserve(source.size());
    std::size_t copied = 0;
    for (const auto& tag : scan(source, false))
    {
        out.append(source, copied, tag.begin - copied);
        copied = tag.end;
        if (tag.kind == '!')
            out.append(source, tag.begin, tag.end - tag.begin);
        else if (!isPlainName(tag.name) || tag.kind == '>' || tag.kind == '=')
            continue;
        else if (tag.kind == 0 || tag.kind == '&')
            out += escaped ? "{{" + tag.name + "}}" : "{{{" + tag.name + "}}}";
        else
            out += std::string("{{") + tag.kind + tag.name + "}}";
    }
    return out.append(source, copied, std::string::npos);
}

} // namespace

std::vector<MustacheTags::Tag> MustacheTags::of(const std::string& source)
{
    return scan(source, true);
}

std::string MustacheTags::normalized(const std::string& source, bool escaped)
{
    return normalize(source, escaped);
}

void MustacheTags::checkNesting(const std::string& source, const std::string& field)
{
    std::vector<Tag> tags;
    for (auto& tag : scan(source, false))
    {
        if (tag.kind == '#' || tag.kind == '^' || tag.kind == '/')
            tags.push_back(std::move(tag));
    }
    // mstch's in_section: a section ends at the first close of its name where the opens and
    // closes between balance, and its content is rendered (by recursion) one level deeper.
    struct Range
    {
        std::size_t from, to, depth;
    };
    std::vector<Range> pending{{0, tags.size(), 0}};
    while (!pending.empty())
    {
        const Range range = pending.back();
        pending.pop_back();
        for (std::size_t i = range.from; i < range.to; ++i)
        {
            if (tags[i].kind == '/')
                continue;
            long skipped = 0;
            std::size_t end = range.to;
            for (std::size_t j = i + 1; j < range.to; ++j)
            {
                if (tags[j].kind != '/')
                    ++skipped;
                else if (tags[j].name == tags[i].name && skipped == 0)
                {
                    end = j;
                    break;
                }
                else
                    --skipped;
            }
            if (end == range.to)
                break; // never closed: mstch renders nothing of it
            if (range.depth + 1 > MAX_SECTION_DEPTH)
                throw FieldException(field, "too_deep",
                                     field + ": sections ({{#...}}) are nested more than " +
                                         std::to_string(MAX_SECTION_DEPTH) + " levels deep");
            pending.push_back({i + 1, end, range.depth + 1});
            i = end;
        }
    }
}

} // namespace MassMailing
