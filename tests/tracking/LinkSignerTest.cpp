#include "tracking/LinkSigner.h"
#include "tracking/TrackingException.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::InvalidTokenException;
using MassMailing::LinkPurpose;
using MassMailing::LinkSigner;
using MassMailing::LinkToken;

// The tokens of personal links: what one carries comes back, and nothing else is accepted.
class LinkSignerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LinkSignerTest);
    CPPUNIT_TEST(testTokenRoundTripsItsPayload);
    CPPUNIT_TEST(testTokenIsUrlSafe);
    CPPUNIT_TEST(testTokenWithOneCharacterChangedIsRefused);
    CPPUNIT_TEST(testCutOrLengthenedTokenIsRefused);
    CPPUNIT_TEST(testTokenForOnePurposeIsRefusedForAnother);
    CPPUNIT_TEST(testTokenSignedWithAnotherKeyIsRefused);
    CPPUNIT_TEST(testMalformedTokensAreRefused);
    CPPUNIT_TEST(testTokenIsShortEnoughForAListUnsubscribeHeader);
    CPPUNIT_TEST(testShortKeyIsRefused);
    CPPUNIT_TEST(testNegativeIdIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTokenRoundTripsItsPayload()
    {
        LinkSigner signer(key('a'));
        for (const LinkToken& token :
             {LinkToken{LinkPurpose::Unsubscribe, 12, 3456, 1234567, "Marie.Dupont@amap-capucins.example"},
              LinkToken{LinkPurpose::Unsubscribe, 1, 0, 0, "a@b.c"},
              LinkToken{LinkPurpose::ViewOnline, 0, 9007199254740993L, 2147483648L, ""},
              LinkToken{LinkPurpose::Unsubscribe, 7, 8, 9, "J\xc3\xa9r\xc3\xb4me@exemple.fr"}})
        {
            LinkToken back = signer.verify(signer.sign(token), token.purpose);
            CPPUNIT_ASSERT(back == token);
        }
    }

    void testTokenIsUrlSafe()
    {
        LinkSigner signer(key('a'));
        std::string text = signer.sign(sample());
        CPPUNIT_ASSERT_EQUAL(
            std::string::npos,
            text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"));
    }

    void testTokenWithOneCharacterChangedIsRefused()
    {
        LinkSigner signer(key('a'));
        const std::string text = signer.sign(sample());
        const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // Every position, including the last one whose low bits carry nothing.
        for (std::size_t i = 0; i < text.size(); ++i)
        {
            for (std::size_t step : {1, 32})
            {
                std::string changed = text;
                changed[i] = alphabet[(alphabet.find(text[i]) + step) % alphabet.size()];
                CPPUNIT_ASSERT_THROW_MESSAGE("position " + std::to_string(i),
                                             signer.verify(changed, LinkPurpose::Unsubscribe),
                                             InvalidTokenException);
            }
        }
    }

    void testCutOrLengthenedTokenIsRefused()
    {
        LinkSigner signer(key('a'));
        const std::string text = signer.sign(sample());
        for (std::size_t size = 0; size < text.size(); ++size)
            CPPUNIT_ASSERT_THROW(signer.verify(text.substr(0, size), LinkPurpose::Unsubscribe),
                                 InvalidTokenException);
        for (const char* more : {"A", "AA", "AAA", "AAAA"})
            CPPUNIT_ASSERT_THROW(signer.verify(text + more, LinkPurpose::Unsubscribe), InvalidTokenException);
    }

    void testTokenForOnePurposeIsRefusedForAnother()
    {
        LinkSigner signer(key('a'));
        LinkToken view{LinkPurpose::ViewOnline, 12, 34, 56, "marie@example.org"};
        try
        {
            signer.verify(signer.sign(view), LinkPurpose::Unsubscribe);
            CPPUNIT_FAIL("a view online token unsubscribed");
        }
        catch (const InvalidTokenException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(),
                                   error.displayText().find("view online") != std::string::npos);
        }
        CPPUNIT_ASSERT_THROW(signer.verify(signer.sign(sample()), LinkPurpose::ViewOnline),
                             InvalidTokenException);
    }

    void testTokenSignedWithAnotherKeyIsRefused()
    {
        LinkSigner ours(key('a')), theirs(key('b'));
        CPPUNIT_ASSERT_THROW(ours.verify(theirs.sign(sample()), LinkPurpose::Unsubscribe),
                             InvalidTokenException);
    }

    void testMalformedTokensAreRefused()
    {
        LinkSigner signer(key('a'));
        const std::string text = signer.sign(sample());
        for (const std::string& bad :
             {std::string(), std::string("!!!!"), std::string("abc="), text + "=",
              text.substr(0, 10) + "+" + text.substr(11), text.substr(0, 10) + "/" + text.substr(11),
              " " + text, text + "\n", std::string(200, 'A')})
            CPPUNIT_ASSERT_THROW_MESSAGE("\"" + bad + "\"", signer.verify(bad, LinkPurpose::Unsubscribe),
                                         InvalidTokenException);
    }

    void testTokenIsShortEnoughForAListUnsubscribeHeader()
    {
        LinkSigner signer(key('a'));
        LinkToken typical{LinkPurpose::Unsubscribe, 123456, 98765, 123456789,
                          "marie-christine.dupont@amap-capucins.example"};
        std::string text = signer.sign(typical);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(text.size()) + " characters", text.size() <= 110);
    }

    void testShortKeyIsRefused()
    {
        CPPUNIT_ASSERT_THROW(LinkSigner(std::string(31, 'k')), Poco::InvalidArgumentException);
        LinkSigner(std::string(32, 'k'));
    }

    void testNegativeIdIsRefused()
    {
        LinkSigner signer(key('a'));
        CPPUNIT_ASSERT_THROW(signer.sign({LinkPurpose::Unsubscribe, -1, 0, 0, "a@b.c"}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(signer.sign({LinkPurpose::Unsubscribe, 1, 0, 0, std::string(321, 'a')}),
                             Poco::InvalidArgumentException);
    }

private:
    static std::string key(char fill) { return std::string(32, fill); }
    static LinkToken sample()
    {
        return {LinkPurpose::Unsubscribe, 12, 3456, 1234567, "marie.dupont@example.org"};
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LinkSignerTest);
