#include "LogText.h"

namespace CrmHost
{
std::string logText(const std::string& value)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i)
    {
        unsigned char c = static_cast<unsigned char>(value[i]);
        unsigned char next = i + 1 < value.size() ? static_cast<unsigned char>(value[i + 1]) : 0;
        // C1 controls (U+0080 to U+009F, NEL among them) and U+2028, U+2029 break lines too.
        bool c1 = c == 0xc2 && next >= 0x80 && next <= 0x9f;
        bool separator = c == 0xe2 && next == 0x80 && i + 2 < value.size() &&
                         (static_cast<unsigned char>(value[i + 2]) & 0xfe) == 0xa8;
        if (c1 || separator)
        {
            std::size_t length = c1 ? 2 : 3;
            for (std::size_t k = 0; k < length; ++k)
            {
                unsigned char byte = static_cast<unsigned char>(value[i + k]);
                out += "\\x";
                out += digits[byte >> 4];
                out += digits[byte & 15];
            }
            i += length - 1;
        }
        else if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f)
        {
            out += "\\x";
            out += digits[c >> 4];
            out += digits[c & 15];
        }
        else
            out += char(c);
    }
    return out;
}
} // namespace CrmHost
