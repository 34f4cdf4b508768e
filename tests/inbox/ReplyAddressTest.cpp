#include "content/ReplyAddress.h"
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::InvalidReplyAddressException;
using MassMailing::ReplyAddress;
using MassMailing::ReplyToken;

// The thread's signed Reply-To (M3): read back in any case, refused when forged or altered.
class ReplyAddressTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReplyAddressTest);
    CPPUNIT_TEST(testAddressNamesItsThreadInAnyCase);
    CPPUNIT_TEST(testAlteredTokenIsRefused);
    CPPUNIT_TEST(testTokenOfAnotherKeyIsRefusedButSaysItsGroup);
    CPPUNIT_TEST(testTokenIsFoundInAHeader);
    CPPUNIT_TEST_SUITE_END();

public:
    const std::string key = std::string(32, 'k');

    void testAddressNamesItsThreadInAnyCase()
    {
        ReplyAddress replies(key);
        std::string address = replies.address({7, 123456}, "", "inbox@Example.org");
        CPPUNIT_ASSERT(address.find("reply+") == 0);
        CPPUNIT_ASSERT(address.find("@example.org") != std::string::npos);
        CPPUNIT_ASSERT(address.size() < 64 + 12);
        std::string token = ReplyAddress::find(address);
        ReplyToken read = replies.verify(Poco::toUpper(token));
        CPPUNIT_ASSERT_EQUAL(7L, read.groupId);
        CPPUNIT_ASSERT_EQUAL(123456L, read.conversationId);
    }

    void testAlteredTokenIsRefused()
    {
        ReplyAddress replies(key);
        std::string token = replies.token({7, 12});
        token[3] = token[3] == 'a' ? 'b' : 'a';
        CPPUNIT_ASSERT_THROW(replies.verify(token), InvalidReplyAddressException);
        CPPUNIT_ASSERT_THROW(replies.verify("not-base32!"), InvalidReplyAddressException);
        CPPUNIT_ASSERT_THROW(replies.verify(""), InvalidReplyAddressException);
    }

    void testTokenOfAnotherKeyIsRefusedButSaysItsGroup()
    {
        ReplyAddress ours(key), theirs(std::string(32, 'x'));
        std::string forged = theirs.token({9, 1});
        CPPUNIT_ASSERT_THROW(ours.verify(forged), InvalidReplyAddressException);
        CPPUNIT_ASSERT_EQUAL(9L, ReplyAddress::claimedGroup(forged));
        CPPUNIT_ASSERT_EQUAL(0L, ReplyAddress::claimedGroup("zz"));
    }

    void testTokenIsFoundInAHeader()
    {
        ReplyAddress replies(key);
        std::string token = replies.token({1, 2});
        CPPUNIT_ASSERT_EQUAL(token,
                             ReplyAddress::find("Studio <REPLY+" + Poco::toUpper(token) + "@example.org>"));
        CPPUNIT_ASSERT_EQUAL(std::string(), ReplyAddress::find("noreply+abc@example.org"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReplyAddressTest);
