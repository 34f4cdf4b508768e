#include "TransferEncoding.h"

namespace MassMailing
{
namespace
{
const char HEX[] = "0123456789ABCDEF";
const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 57 bytes make 76 base64 characters.
const std::size_t BASE64_LINE_BYTES = 57;
// Characters a quoted-printable line may hold before its soft break "=".
const std::size_t QP_LINE = 75;

// Bytes a quoted-printable text holds as they are: printable ASCII but "=", and blanks (but at
// the end of a line).
const unsigned char OTHER = 0, PRINTABLE = 1, BLANK = 2;
const struct Kinds
{
    unsigned char of[256] = {};
    Kinds()
    {
        for (int c = 33; c <= 126; ++c)
            of[c] = c == '=' ? OTHER : PRINTABLE;
        of[int(' ')] = of[int('\t')] = BLANK;
    }
    unsigned char operator[](unsigned char c) const { return of[c]; }
} KIND;

} // namespace

void TransferEncoding::appendQuotedPrintable(std::string& out, const std::string& text)
{
    // Written through a pointer into room made beforehand: at most 3 characters per byte,
    // plus a soft break "=\r\n" per 25 bytes at worst.
    const std::size_t start = out.size();
    out.resize(start + text.size() * 4 + 8);
    char* o = &out[start];
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char* const end = p + text.size();
    auto lineEndsAfter = [end](const unsigned char* q)
    { return q + 1 >= end || q[1] == '\r' || q[1] == '\n'; };
    std::size_t column = 0;
    for (; p < end; ++p)
    {
        // Most of a text is characters written as they are, far from the line's end: copied
        // without the checks below (the same decisions, taken once for the whole run).
        while (column < QP_LINE && p < end)
        {
            const unsigned char k = KIND[*p];
            if (!(k == PRINTABLE ? *p != '.' || column > 0
                                 : k == BLANK && p + 1 < end && p[1] != '\r' && p[1] != '\n'))
                break;
            *o++ = char(*p++);
            ++column;
        }
        if (p == end)
            break;
        const unsigned char c = *p;
        if (c == '\r' || c == '\n')
        {
            if (c == '\r' && p + 1 < end && p[1] == '\n')
                ++p;
            *o++ = '\r';
            *o++ = '\n';
            column = 0;
            continue;
        }
        bool literal = (c >= 33 && c <= 126 && c != '=' && !(c == '.' && column == 0)) ||
                       ((c == ' ' || c == '\t') && !lineEndsAfter(p));
        const std::size_t width = literal ? 1 : 3;
        // The last character of a line may use the 76th column: no soft break follows it.
        if (column + width > QP_LINE && !(column + width <= QP_LINE + 1 && lineEndsAfter(p)))
        {
            *o++ = '=';
            *o++ = '\r';
            *o++ = '\n';
            column = 0;
            if (c == '.')
                literal = false;
        }
        if (literal)
        {
            *o++ = char(c);
            ++column;
        }
        else
        {
            *o++ = '=';
            *o++ = HEX[c >> 4];
            *o++ = HEX[c & 15];
            column += 3;
        }
    }
    out.resize(std::size_t(o - out.data()));
}

std::size_t TransferEncoding::base64Size(std::size_t bytes)
{
    const std::size_t lines = (bytes + BASE64_LINE_BYTES - 1) / BASE64_LINE_BYTES;
    return (bytes + 2) / 3 * 4 + lines * 2;
}

void TransferEncoding::appendBase64(std::string& out, const std::string& bytes)
{
    const std::size_t start = out.size();
    out.resize(start + base64Size(bytes.size()));
    char* p = &out[start];
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t remaining = bytes.size();
    while (remaining > 0)
    {
        std::size_t line = remaining < BASE64_LINE_BYTES ? remaining : BASE64_LINE_BYTES;
        remaining -= line;
        for (; line >= 3; line -= 3, in += 3)
        {
            const unsigned v = unsigned(in[0]) << 16 | unsigned(in[1]) << 8 | in[2];
            *p++ = BASE64[v >> 18];
            *p++ = BASE64[(v >> 12) & 63];
            *p++ = BASE64[(v >> 6) & 63];
            *p++ = BASE64[v & 63];
        }
        if (line > 0)
        {
            const unsigned v = unsigned(in[0]) << 16 | (line > 1 ? unsigned(in[1]) << 8 : 0u);
            *p++ = BASE64[v >> 18];
            *p++ = BASE64[(v >> 12) & 63];
            *p++ = line > 1 ? BASE64[(v >> 6) & 63] : '=';
            *p++ = '=';
            in += line;
        }
        *p++ = '\r';
        *p++ = '\n';
    }
}
} // namespace MassMailing
