#include "content/TextLine.h"
#include "content/ContentException.h"

namespace MassMailing
{
namespace
{
// The length of the valid UTF-8 sequence at i, or 0.
std::size_t sequenceAt(const std::string& text, std::size_t i)
{
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80                   ? 1
                         : lead >= 0xC2 && lead < 0xE0 ? 2
                         : lead >= 0xE0 && lead < 0xF0 ? 3
                         : lead >= 0xF0 && lead < 0xF5 ? 4
                                                       : 0;
    if (length == 0 || i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k)
    {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
            return 0;
    }
    return length;
}

// The first control character of the text that is not allowed, or -1.
int forbiddenControl(const std::string& text, bool lineBreaksAllowed)
{
    for (char c : text)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u == '\t' || (lineBreaksAllowed && (u == '\r' || u == '\n')))
            continue;
        if (u < 0x20 || u == 0x7F)
            return u;
    }
    return -1;
}

std::string named(int control)
{
    static const char HEX[] = "0123456789ABCDEF";
    return std::string("U+00") + HEX[(control >> 4) & 0xF] + HEX[control & 0xF];
}
} // namespace

std::size_t TextLine::characters(const std::string& text)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count)
    {
        const std::size_t length = sequenceAt(text, i);
        i += length == 0 ? 1 : length;
    }
    return count;
}

void TextLine::check(const std::string& field, const std::string& value, std::size_t maxCharacters)
{
    if (value.find_first_of("\r\n") != std::string::npos)
        throw FieldException(field, "line_break",
                             field + " contains a line break, which a mail header cannot hold");
    const int control = forbiddenControl(value, false);
    if (control >= 0)
        throw FieldException(field, "control_character",
                             field + " contains the control character " + named(control) +
                                 ", which is not allowed");
    if (characters(value) > maxCharacters)
        throw FieldException(field, "too_long",
                             field + " is longer than " + std::to_string(maxCharacters) + " characters");
}

void TextLine::checkBody(const std::string& field, const std::string& value)
{
    const int control = forbiddenControl(value, true);
    if (control >= 0)
        throw FieldException(field, "control_character",
                             field + " contains the control character " + named(control) +
                                 ", which is not allowed");
}
} // namespace MassMailing
