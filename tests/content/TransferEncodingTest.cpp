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
} // namespace

class TransferEncodingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TransferEncodingTest);
    CPPUNIT_TEST(testQuotedPrintableLinesAreAtMost76Characters);
    CPPUNIT_TEST(testQuotedPrintableDecodesToTheOriginalText);
    CPPUNIT_TEST(testTrailingSpaceAndLeadingDotAreEncoded);
    CPPUNIT_TEST(testBase64LinesAre76CharactersAndDecode);
    CPPUNIT_TEST_SUITE_END();

public:
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
