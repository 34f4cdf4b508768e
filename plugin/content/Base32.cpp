#include "content/Base32.h"
#include <Poco/String.h>
#include <cstdint>

namespace MassMailing
{
namespace Base32
{
namespace
{
const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz234567";

int quintet(char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}
} // namespace

std::string encode(const std::string& bytes)
{
    std::string text;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : bytes)
    {
        buffer = (buffer << 8) | std::uint8_t(c);
        bits += 8;
        while (bits >= 5)
        {
            bits -= 5;
            text += ALPHABET[(buffer >> bits) & 31];
        }
    }
    if (bits > 0)
        text += ALPHABET[(buffer << (5 - bits)) & 31];
    return text;
}

bool decode(const std::string& text, std::string& bytes)
{
    bytes.clear();
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text)
    {
        const int value = quintet(c);
        if (value < 0)
            return false;
        buffer = (buffer << 5) | std::uint32_t(value);
        bits += 5;
        if (bits >= 8)
        {
            bits -= 8;
            bytes += char((buffer >> bits) & 0xFF);
        }
    }
    return encode(bytes) == Poco::toLower(text);
}

bool isDigit(char c)
{
    return quintet(c) >= 0;
}
} // namespace Base32
} // namespace MassMailing
