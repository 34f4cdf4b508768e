#include "content/EncodedWord.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::EncodedWord;

class EncodedWordTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EncodedWordTest);
    CPPUNIT_TEST(testEncodedWordsRoundTrip);
    CPPUNIT_TEST(testEachEncodedWordIsAtMost75Characters);
    CPPUNIT_TEST(testAccentedCharactersAreNeverSplitBetweenWords);
    CPPUNIT_TEST(testPlainAsciiNeedsNoEncoding);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEncodedWordsRoundTrip()
    {
        for (const std::string text :
             {"Récolte de l'été : paniers à retirer", "AMAP des Capucins — Hélène", "日本語のニュースレター",
              "Ünïcödé \"quoted\" = ? _ under_score", "émojis 🍅🥕 in the subject", "a"})
        {
            std::string encoded;
            EncodedWord::append(encoded, text, 60);
            CPPUNIT_ASSERT_EQUAL(text, EncodedWord::decode(encoded));
        }
        std::string longText;
        for (int i = 0; i < 30; ++i)
            longText += "Légumes d'été ";
        std::string encoded;
        EncodedWord::append(encoded, longText);
        CPPUNIT_ASSERT_EQUAL(longText, EncodedWord::decode(encoded));
    }

    void testEachEncodedWordIsAtMost75Characters()
    {
        std::string text;
        for (int i = 0; i < 20; ++i)
            text += "日本語 é ";
        std::string encoded;
        EncodedWord::append(encoded, text, 40);
        std::size_t start = 0;
        bool first = true;
        while (start < encoded.size())
        {
            std::size_t end = encoded.find(' ', start);
            if (end == std::string::npos)
                end = encoded.size();
            const std::string word = encoded.substr(start, end - start);
            CPPUNIT_ASSERT_MESSAGE(word, word.size() <= (first ? 40u : 75u));
            CPPUNIT_ASSERT(word.compare(0, 10, "=?utf-8?Q?") == 0 || word.compare(0, 10, "=?utf-8?B?") == 0);
            first = false;
            start = end + 1;
        }
    }

    void testAccentedCharactersAreNeverSplitBetweenWords()
    {
        const std::string text(120, 'a');
        std::string accented;
        for (int i = 0; i < 60; ++i)
            accented += "é";
        for (const std::string& t : {text + accented, accented})
        {
            std::string encoded;
            EncodedWord::append(encoded, t);
            std::size_t start = 0;
            while (start < encoded.size())
            {
                std::size_t end = encoded.find(' ', start);
                if (end == std::string::npos)
                    end = encoded.size();
                const std::string word = encoded.substr(start, end - start);
                const std::string decoded = EncodedWord::decode(word);
                CPPUNIT_ASSERT(!decoded.empty());
                CPPUNIT_ASSERT((static_cast<unsigned char>(decoded[0]) & 0xC0) != 0x80);
                CPPUNIT_ASSERT(static_cast<unsigned char>(decoded.back()) < 0xC0);
                start = end + 1;
            }
        }
    }

    void testPlainAsciiNeedsNoEncoding()
    {
        CPPUNIT_ASSERT(!EncodedWord::needed("Weekly news: baskets to collect"));
        CPPUNIT_ASSERT(EncodedWord::needed("Récolte"));
        CPPUNIT_ASSERT(EncodedWord::needed("looks like =?utf-8?Q?x?="));
        CPPUNIT_ASSERT(EncodedWord::needed(std::string(80, 'x')));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EncodedWordTest);
