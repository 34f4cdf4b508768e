#include "content/SmsText.h"
#include <vector>

namespace MassMailing
{
namespace
{
// The GSM 03.38 default alphabet, in the order of its table (0x00 to 0x7F), ESC (0x1B) left out.
const char32_t BASIC[] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù',  U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π',  U'Ψ', U'Σ', U'Θ', U'Ξ',  U'Æ', U'æ', U'ß',  U'É', U' ',
    U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*', U'+',  U',', U'-', U'.',  U'/', U'0',
    U'1', U'2', U'3', U'4', U'5', U'6', U'7',  U'8', U'9', U':', U';',  U'<', U'=', U'>',  U'?', U'¡',
    U'A', U'B', U'C', U'D', U'E', U'F', U'G',  U'H', U'I', U'J', U'K',  U'L', U'M', U'N',  U'O', U'P',
    U'Q', U'R', U'S', U'T', U'U', U'V', U'W',  U'X', U'Y', U'Z', U'Ä',  U'Ö', U'Ñ', U'Ü',  U'§', U'¿',
    U'a', U'b', U'c', U'd', U'e', U'f', U'g',  U'h', U'i', U'j', U'k',  U'l', U'm', U'n',  U'o', U'p',
    U'q', U'r', U's', U't', U'u', U'v', U'w',  U'x', U'y', U'z', U'ä',  U'ö', U'ñ', U'ü',  U'à'};
// Its extension table: each sent as ESC and a second septet.
const char32_t EXTENSION[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

// The code points of a UTF-8 text; a byte that starts no valid sequence is U+FFFD.
std::vector<char32_t> codePoints(const std::string& text)
{
    std::vector<char32_t> points;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end)
    {
        unsigned char c = *p;
        int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        char32_t point = length == 1 ? c : length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
        bool valid = length > 0 && end - p >= length;
        for (int i = 1; valid && i < length; ++i)
        {
            valid = (p[i] & 0xC0) == 0x80;
            point = (point << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, surrogates and points past U+10FFFF are not characters.
        if (valid &&
            ((length == 2 && point < 0x80) || (length == 3 && point < 0x800) ||
             (length == 4 && (point < 0x10000 || point > 0x10FFFF)) || (point >= 0xD800 && point <= 0xDFFF)))
            valid = false;
        points.push_back(valid ? point : U'\uFFFD');
        p += valid ? length : 1;
    }
    return points;
}

// Units of each character laid into segments of perSegment units, no character split.
std::size_t segmentsOf(const std::vector<int>& units, std::size_t perSegment, std::size_t& lastFill)
{
    std::size_t segments = units.empty() ? 0 : 1;
    lastFill = 0;
    for (int size : units)
    {
        if (lastFill + std::size_t(size) > perSegment)
        {
            ++segments;
            lastFill = 0;
        }
        lastFill += std::size_t(size);
    }
    return segments;
}
} // namespace

int SmsText::gsmUnits(char32_t character)
{
    for (char32_t basic : BASIC)
        if (basic == character)
            return 1;
    for (char32_t extended : EXTENSION)
        if (extended == character)
            return 2;
    return 0;
}

SmsCount SmsText::count(const std::string& utf8)
{
    const std::vector<char32_t> points = codePoints(utf8);
    SmsCount count;
    count.characters = points.size();
    std::vector<int> gsm, ucs2;
    bool allGsm = true;
    for (char32_t point : points)
    {
        int units = gsmUnits(point);
        allGsm = allGsm && units > 0;
        gsm.push_back(units);
        ucs2.push_back(point > 0xFFFF ? 2 : 1);
    }
    const std::vector<int>& units = allGsm ? gsm : ucs2;
    const std::size_t single = allGsm ? 160 : 70, part = allGsm ? 153 : 67;
    count.encoding = allGsm ? "gsm7" : "ucs2";
    for (int size : units)
        count.units += std::size_t(size);
    count.perSegment = count.units <= single ? single : part;
    std::size_t lastFill = 0;
    count.segments = segmentsOf(units, count.perSegment, lastFill);
    count.left = count.perSegment - lastFill;
    return count;
}
} // namespace MassMailing
