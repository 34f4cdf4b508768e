#include "content/TransferEncoding.h"
#include <cppunit/extensions/HelperMacros.h>
#include <string>
#include <vector>

using MassMailing::TransferEncoding;

namespace
{
std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size())
    {
        std::size_t end = text.find("\r\n", start);
        if (end == std::string::npos)
            end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

int hex(char c)
{
    return c <= '9' ? c - '0' : c - 'A' + 10;
}

std::string decodeQuotedPrintable(const std::string& encoded)
{
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i)
    {
        if (encoded[i] == '=' && encoded.compare(i + 1, 2, "\r\n") == 0)
            i += 2;
        else if (encoded[i] == '=')
        {
            out.push_back(char(hex(encoded[i + 1]) * 16 + hex(encoded[i + 2])));
            i += 2;
        }
        else if (encoded.compare(i, 2, "\r\n") == 0)
        {
            out.push_back('\n');
            ++i;
        }
        else
            out.push_back(encoded[i]);
    }
    return out;
}
// The rules of appendQuotedPrintable one character at a time, as it was written before its runs
// of plain characters were copied at once: the two must write the same bytes.
std::string quotedPrintableByCharacter(const std::string& text)
{
    const char* digits = "0123456789ABCDEF";
    std::string out;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char* const end = p + text.size();
    auto lineEndsAfter = [end](const unsigned char* q)
    { return q + 1 >= end || q[1] == '\r' || q[1] == '\n'; };
    std::size_t column = 0;
    for (; p < end; ++p)
    {
        const unsigned char c = *p;
        if (c == '\r' || c == '\n')
        {
            if (c == '\r' && p + 1 < end && p[1] == '\n')
                ++p;
            out += "\r\n";
            column = 0;
            continue;
        }
        bool literal = (c >= 33 && c <= 126 && c != '=' && !(c == '.' && column == 0)) ||
                       ((c == ' ' || c == '\t') && !lineEndsAfter(p));
        const std::size_t width = literal ? 1 : 3;
        if (column + width > 75 && !(column + width <= 76 && lineEndsAfter(p)))
        {
            out += "=\r\n";
            column = 0;
            if (c == '.')
                literal = false;
        }
        if (literal)
        {
            out.push_back(char(c));
            ++column;
        }
        else
        {
            out += '=';
            out += digits[c >> 4];
            out += digits[c & 15];
            column += 3;
        }
    }
    return out;
}
} // namespace

class TransferEncodingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TransferEncodingTest);
    CPPUNIT_TEST(testQuotedPrintableLinesAreAtMost76Characters);
    CPPUNIT_TEST(testQuotedPrintableDecodesToTheOriginalText);
    CPPUNIT_TEST(testTrailingSpaceAndLeadingDotAreEncoded);
    CPPUNIT_TEST(testBase64LinesAre76CharactersAndDecode);
    CPPUNIT_TEST(testQuotedPrintableIsTheSameAsCharacterByCharacter);
    CPPUNIT_TEST_SUITE_END();

public:
    void testQuotedPrintableIsTheSameAsCharacterByCharacter()
    {
        // Texts made of what changes the encoding: blanks before line ends, dots opening lines,
        // "=", control and non-ASCII bytes, lines just under, at and over the limit.
        const std::vector<std::string> parts{"a",
                                             "word ",
                                             " ",
                                             "\t",
                                             ".",
                                             "=",
                                             "\r\n",
                                             "\n",
                                             "\r",
                                             "\xC3\xA9",
                                             "\x01",
                                             "~",
                                             std::string(73, 'x'),
                                             std::string(74, 'y'),
                                             std::string(75, 'z'),
                                             std::string(80, '-')};
        unsigned seed = 14;
        for (int round = 0; round < 3000; ++round)
        {
            std::string text;
            const int count = 1 + round % 40;
            for (int i = 0; i < count; ++i)
            {
                seed = seed * 1103515245u + 12345u;
                text += parts[(seed >> 16) % parts.size()];
            }
            std::string encoded = "prefix";
            TransferEncoding::appendQuotedPrintable(encoded, text);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, "prefix" + quotedPrintableByCharacter(text), encoded);
        }
    }

    void testQuotedPrintableLinesAreAtMost76Characters()
    {
        std::string text;
        for (int i = 0; i < 40; ++i)
            text += "Récolte de l'été : paniers à retirer = légumes, œufs et fromages ";
        text += "\n" + std::string(300, 'x') + "\n" + std::string(200, '\xE9') + "\nend";
        std::string encoded;
        TransferEncoding::appendQuotedPrintable(encoded, text);
        for (const std::string& line : lines(encoded))
            CPPUNIT_ASSERT_MESSAGE(line, line.size() <= 76);
        CPPUNIT_ASSERT(encoded.find('\n') != std::string::npos);
        for (std::size_t i = 0; i < encoded.size(); ++i)
        {
            if (encoded[i] == '\n')
                CPPUNIT_ASSERT(i > 0 && encoded[i - 1] == '\r');
        }
    }

    void testQuotedPrintableDecodesToTheOriginalText()
    {
        const std::string text =
            "Bonjour {{first_name}},\n\nLes paniers = 12 € ; à bientôt !\n" + std::string(150, '=') + "\nfin";
        std::string encoded;
        TransferEncoding::appendQuotedPrintable(encoded, text);
        CPPUNIT_ASSERT_EQUAL(text, decodeQuotedPrintable(encoded));
    }

    void testTrailingSpaceAndLeadingDotAreEncoded()
    {
        std::string encoded;
        TransferEncoding::appendQuotedPrintable(encoded, "end of line \n.\nlast\t");
        CPPUNIT_ASSERT_EQUAL(std::string("end of line=20\r\n=2E\r\nlast=09"), encoded);
    }

    void testBase64LinesAre76CharactersAndDecode()
    {
        std::string bytes;
        for (int i = 0; i < 1000; ++i)
            bytes.push_back(char(i % 256));
        std::string encoded;
        TransferEncoding::appendBase64(encoded, bytes);
        CPPUNIT_ASSERT_EQUAL(TransferEncoding::base64Size(bytes.size()), encoded.size());
        const auto all = lines(encoded);
        for (std::size_t i = 0; i + 1 < all.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::size_t(76), all[i].size());
        CPPUNIT_ASSERT(all.back().size() <= 76);
        CPPUNIT_ASSERT_EQUAL(std::string("AAECAwQF"), encoded.substr(0, 8));
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n"), encoded.substr(encoded.size() - 2));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransferEncodingTest);
