#include "EncodedWord.h"
#include <Poco/String.h>

namespace MassMailing
{
namespace
{
const char HEX[] = "0123456789ABCDEF";
const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const std::string Q_PREFIX = "=?utf-8?Q?";
const std::string B_PREFIX = "=?utf-8?B?";
// "=?utf-8?Q?" and "?=".
const std::size_t OVERHEAD = 12;
// A word longer than this cannot be folded onto a line of 78 characters.
const std::size_t LONGEST_PLAIN_WORD = 76;

// RFC 2047 section 5 (3): the characters a Q-encoded word may show as they are in a phrase.
inline bool qSafe(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

inline std::size_t qWidth(unsigned char c)
{
    return qSafe(c) || c == ' ' ? 1 : 3;
}

// Length of the UTF-8 sequence starting at i; 1 for a byte that starts none.
std::size_t sequenceLength(const std::string& text, std::size_t i)
{
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
    if (i + length > text.size())
        return 1;
    for (std::size_t k = 1; k < length; ++k)
    {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
            return 1;
    }
    return length;
}

void appendBase64(std::string& out, const char* data, std::size_t n)
{
    const auto* in = reinterpret_cast<const unsigned char*>(data);
    for (; n >= 3; n -= 3, in += 3)
    {
        const unsigned v = unsigned(in[0]) << 16 | unsigned(in[1]) << 8 | in[2];
        const char quad[4] = {BASE64[v >> 18], BASE64[(v >> 12) & 63], BASE64[(v >> 6) & 63], BASE64[v & 63]};
        out.append(quad, 4);
    }
    if (n > 0)
    {
        const unsigned v = unsigned(in[0]) << 16 | (n > 1 ? unsigned(in[1]) << 8 : 0u);
        const char quad[4] = {BASE64[v >> 18], BASE64[(v >> 12) & 63], n > 1 ? BASE64[(v >> 6) & 63] : '=',
                              '='};
        out.append(quad, 4);
    }
}

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// Decodes one encoded word's text; false when it is not valid.
bool decodeWord(char encoding, const std::string& text, std::string& out)
{
    if (encoding == 'Q' || encoding == 'q')
    {
        for (std::size_t i = 0; i < text.size(); ++i)
        {
            if (text[i] == '_')
                out.push_back(' ');
            else if (text[i] == '=')
            {
                if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0)
                    return false;
                out.push_back(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
                i += 2;
            }
            else
                out.push_back(text[i]);
        }
        return true;
    }
    if (encoding == 'B' || encoding == 'b')
    {
        unsigned buffer = 0;
        int bits = 0;
        for (char c : text)
        {
            if (c == '=')
                break;
            const int v = base64Value(c);
            if (v < 0)
                return false;
            buffer = (buffer << 6) | unsigned(v);
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                out.push_back(char((buffer >> bits) & 0xFF));
            }
        }
        return true;
    }
    return false;
}
} // namespace

bool EncodedWord::needed(const std::string& text)
{
    std::size_t word = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x7F || (c < 0x20 && c != '\t'))
            return true;
        if (c == '=' && i + 1 < text.size() && text[i + 1] == '?')
            return true;
        word = (c == ' ' || c == '\t') ? 0 : word + 1;
        if (word > LONGEST_PLAIN_WORD)
            return true;
    }
    return false;
}

void EncodedWord::append(std::string& out, const std::string& text, std::size_t firstLength)
{
    if (firstLength < 30 || firstLength > MAX_LENGTH)
        firstLength = MAX_LENGTH;
    std::size_t qLength = 0;
    for (char c : text)
        qLength += qWidth(static_cast<unsigned char>(c));
    const bool useQ = qLength <= (text.size() + 2) / 3 * 4;

    std::size_t room = firstLength - OVERHEAD;
    std::size_t used = 0;
    std::size_t wordStart = 0;
    bool first = true;
    auto open = [&]()
    {
        if (!first)
            out.push_back(' ');
        out += useQ ? Q_PREFIX : B_PREFIX;
        used = 0;
    };
    auto close = [&](std::size_t end)
    {
        if (!useQ)
            appendBase64(out, text.data() + wordStart, end - wordStart);
        out += "?=";
        wordStart = end;
        first = false;
        room = MAX_LENGTH - OVERHEAD;
    };

    open();
    for (std::size_t i = 0; i < text.size();)
    {
        const std::size_t length = sequenceLength(text, i);
        std::size_t width = 0;
        if (useQ)
        {
            for (std::size_t k = 0; k < length; ++k)
                width += qWidth(static_cast<unsigned char>(text[i + k]));
        }
        const std::size_t after = useQ ? used + width : (i + length - wordStart + 2) / 3 * 4;
        if (after > room && i > wordStart)
        {
            close(i);
            open();
            continue;
        }
        if (useQ)
        {
            for (std::size_t k = 0; k < length; ++k)
            {
                const unsigned char c = static_cast<unsigned char>(text[i + k]);
                if (qSafe(c))
                    out.push_back(char(c));
                else if (c == ' ')
                    out.push_back('_');
                else
                {
                    const char encoded[3] = {'=', HEX[c >> 4], HEX[c & 15]};
                    out.append(encoded, 3);
                }
            }
            used += width;
        }
        i += length;
    }
    close(text.size());
}

std::string EncodedWord::decode(const std::string& value)
{
    std::string out;
    out.reserve(value.size());
    std::string pendingSpace;
    bool afterWord = false;
    std::size_t i = 0;
    while (i < value.size())
    {
        if (value.compare(i, 2, "=?") == 0)
        {
            const std::size_t q1 = value.find('?', i + 2);
            const std::size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
            const std::size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
            if (end != std::string::npos && q2 == q1 + 2)
            {
                std::string charset = Poco::toLower(value.substr(i + 2, q1 - i - 2));
                const auto star = charset.find('*'); // RFC 2231 language suffix
                if (star != std::string::npos)
                    charset.erase(star);
                std::string decoded;
                if ((charset == "utf-8" || charset == "us-ascii") &&
                    decodeWord(value[q1 + 1], value.substr(q2 + 1, end - q2 - 1), decoded))
                {
                    if (!afterWord)
                        out += pendingSpace;
                    pendingSpace.clear();
                    out += decoded;
                    afterWord = true;
                    i = end + 2;
                    continue;
                }
            }
        }
        const char c = value[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        {
            if (c == ' ' || c == '\t')
                pendingSpace.push_back(c);
            ++i;
            continue;
        }
        out += pendingSpace;
        pendingSpace.clear();
        out.push_back(c);
        afterWord = false;
        ++i;
    }
    out += pendingSpace;
    return out;
}
} // namespace MassMailing
