#include "content/SafeUrl.h"
#include <Poco/Ascii.h>
#include <Poco/UTF8Encoding.h>
#include <cstdlib>
#include <cstring>

namespace MassMailing
{
const char* const SafeUrl::HARMLESS = "#";

namespace
{
std::string compact(const std::string& value)
{
    std::string out;
    for (char c : value)
    {
        if (static_cast<unsigned char>(c) > ' ')
            out.push_back(char(Poco::Ascii::toLower(c)));
    }
    return out;
}

// Appends the UTF-8 of a code point; false for one no browser would turn into a character.
bool appendCodePoint(std::string& out, unsigned long code)
{
    if (code == 0 || code > 0x10FFFF)
        return false;
    unsigned char bytes[4];
    const int length = Poco::UTF8Encoding().convert(int(code), bytes, 4);
    if (length <= 0)
        return false;
    out.append(reinterpret_cast<const char*>(bytes), std::size_t(length));
    return true;
}

// Decodes the character references of an attribute value; false when one is not understood.
bool decode(const std::string& value, std::string& out)
{
    static const struct
    {
        const char* name;
        const char* text;
    } NAMED[] = {{"amp;", "&"},   {"lt;", "<"},   {"gt;", ">"},
                 {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", "\xC2\xA0"}};
    for (std::size_t i = 0; i < value.size(); ++i)
    {
        if (value[i] != '&')
        {
            out.push_back(value[i]);
            continue;
        }
        const std::size_t semicolon = value.find(';', i);
        if (semicolon == std::string::npos || semicolon - i > 12)
            return false;
        const std::string reference = value.substr(i + 1, semicolon - i);
        bool known = false;
        if (reference.size() > 2 && reference[0] == '#')
        {
            const bool hex = reference[1] == 'x' || reference[1] == 'X';
            const std::string digits = reference.substr(hex ? 2 : 1, reference.size() - (hex ? 3 : 2));
            char* end = nullptr;
            const unsigned long code = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
            known = !digits.empty() && end != nullptr && *end == '\0' && appendCodePoint(out, code);
        }
        else
        {
            for (const auto& named : NAMED)
            {
                if (reference == named.name)
                {
                    out += named.text;
                    known = true;
                    break;
                }
            }
        }
        if (!known)
            return false;
        i = semicolon;
    }
    return true;
}

bool startsWithRasterData(const std::string& url)
{
    for (const char* type :
         {"data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp"})
    {
        const std::size_t length = std::strlen(type);
        if (url.compare(0, length, type) == 0 &&
            (url.size() == length || url[length] == ';' || url[length] == ','))
            return true;
    }
    return false;
}
} // namespace

bool SafeUrl::isAllowed(const std::string& value, Use use)
{
    const std::string url = compact(value);
    if (url.empty() || url.find("{{") != std::string::npos)
        return false;
    const std::size_t colon = url.find(':');
    if (colon == std::string::npos)
        return true;
    const std::string scheme = url.substr(0, colon);
    for (char c : scheme)
    {
        if (!Poco::Ascii::isAlphaNumeric(c) && c != '+' && c != '-' && c != '.')
            return true; // "/path:x", "?a=b:c": a colon in a relative URL
    }
    if (scheme == "http" || scheme == "https")
        return true;
    if (use == Use::Image)
        return scheme == "cid" || startsWithRasterData(url);
    return scheme == "mailto" || scheme == "tel" || scheme == "sms";
}

bool SafeUrl::isAllowedAttribute(const std::string& value, Use use)
{
    std::string decoded;
    return decode(value, decoded) && isAllowed(decoded, use);
}

bool SafeUrl::decodeAttribute(const std::string& value, std::string& decoded)
{
    return decode(value, decoded);
}
} // namespace MassMailing
