#ifndef MassMailing_TokenNumbers_INCLUDED
#define MassMailing_TokenNumbers_INCLUDED

#include <climits>
#include <optional>
#include <string>

namespace MassMailing
{
/// The numbers inside a signed token (a link's, a bounce address's): 7 bits a byte, the high
/// bit set on every byte but the last, so that small ids take one or two bytes.
inline void putNumber(std::string& out, long value)
{
    auto n = static_cast<unsigned long>(value);
    do
    {
        unsigned char byte = n & 0x7F;
        n >>= 7;
        out += char(n ? byte | 0x80 : byte);
    } while (n);
}

/// The number at pos, which moves past it; none when the bytes end inside it or it is out of range.
inline std::optional<long> takeNumber(const std::string& in, std::size_t& pos)
{
    unsigned long n = 0;
    for (int shift = 0; shift < 63 && pos < in.size(); shift += 7)
    {
        const auto byte = static_cast<unsigned char>(in[pos++]);
        n |= static_cast<unsigned long>(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return n > static_cast<unsigned long>(LONG_MAX) ? std::nullopt : std::optional<long>(long(n));
    }
    return std::nullopt;
}
} // namespace MassMailing

#endif
