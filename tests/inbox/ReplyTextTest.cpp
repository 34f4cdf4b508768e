#include "inbox/ReplyText.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::FoldedReply;
using MassMailing::ReplyText;

// The quoted original of a reply folded away (M3), as the common mail programs write it.
class ReplyTextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReplyTextTest);
    CPPUNIT_TEST(testQuotedLinesAfterAnAttributionAreFolded);
    CPPUNIT_TEST(testFrenchAttributionOverTwoLinesIsFolded);
    CPPUNIT_TEST(testOutlookSeparatorIsFolded);
    CPPUNIT_TEST(testReplyWithoutQuoteIsKeptWhole);
    CPPUNIT_TEST_SUITE_END();

public:
    void testQuotedLinesAfterAnAttributionAreFolded()
    {
        FoldedReply folded =
            ReplyText::fold("Yes, I'll be there.\r\nAnna\r\n\r\nOn Fri, 4 Dec 2026 at 10:00, "
                            "Studio <inbox@example.org> wrote:\r\n> Hello Anna,\r\n> see you\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("Yes, I'll be there.\nAnna"), folded.own);
        CPPUNIT_ASSERT(folded.quoted.find("wrote:") != std::string::npos);
        CPPUNIT_ASSERT(folded.quoted.find("> Hello Anna,") != std::string::npos);
    }

    void testFrenchAttributionOverTwoLinesIsFolded()
    {
        FoldedReply folded = ReplyText::fold(
            "Merci !\n\nLe ven. 4 déc. 2026 à 10:00, Studio <inbox@example.org>\na écrit :\n> Bonjour\n");
        CPPUNIT_ASSERT_EQUAL(std::string("Merci !"), folded.own);
        CPPUNIT_ASSERT(folded.quoted.find("Le ven.") == 0);
    }

    void testOutlookSeparatorIsFolded()
    {
        FoldedReply folded =
            ReplyText::fold("OK\n-----Original Message-----\nFrom: Studio\nSent: today\nHello");
        CPPUNIT_ASSERT_EQUAL(std::string("OK"), folded.own);
        CPPUNIT_ASSERT(folded.quoted.find("Hello") != std::string::npos);
    }

    void testReplyWithoutQuoteIsKeptWhole()
    {
        FoldedReply folded = ReplyText::fold("Can I come at 19:00 instead?\nThanks");
        CPPUNIT_ASSERT_EQUAL(std::string("Can I come at 19:00 instead?\nThanks"), folded.own);
        CPPUNIT_ASSERT(folded.quoted.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReplyTextTest);
