// What a server's refusal means for the rest of its domain (D11): "slow down" is read from the
// reply's meaning (its code, its enhanced status code, whole words), never from letters inside
// an address or a host name of the text.
#include "delivery/TransportException.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::TransportException;

namespace
{
bool slowDown(int code, const std::string& text)
{
    return TransportException("refused", code, text, TransportException::Stage::Recipients).asksToSlowDown();
}
} // namespace

class TransportExceptionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TransportExceptionTest);
    CPPUNIT_TEST(testAddressHoldingTheLettersOfRateIsNoRateRefusal);
    CPPUNIT_TEST(testRateLimitRepliesAskToSlowDown);
    CPPUNIT_TEST(testGreylistingAndOtherTemporaryRefusalsConcernOneMessage);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAddressHoldingTheLettersOfRateIsNoRateRefusal()
    {
        CPPUNIT_ASSERT(!slowDown(451, "4.1.1 <pirate@corporate.example>: mailbox busy"));
        CPPUNIT_ASSERT(!slowDown(451, "4.3.0 <someone@example.org>: mx.rate.example is busy"));
        CPPUNIT_ASSERT(!slowDown(451, "4.2.0 <too.many@slow.down.example>: try again later"));
        CPPUNIT_ASSERT(!slowDown(451, "4.3.0 the corporate filter is busy, the pirates are back"));
    }

    void testRateLimitRepliesAskToSlowDown()
    {
        CPPUNIT_ASSERT(slowDown(421, "4.7.0 service not available, closing transmission channel"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.28 [192.0.2.1] Our system has detected an unusual rate of mail"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.28 rate limited"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.0 Rate limit exceeded for <pirate@corporate.example>"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.1 rate-limited, try later"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.0 Too many messages from your IP"));
        CPPUNIT_ASSERT(slowDown(451, "Please slow down"));
        CPPUNIT_ASSERT(slowDown(451, "4.7.500 Server busy: you are being throttled"));
        CPPUNIT_ASSERT(slowDown(451, "ratelimit reached"));
    }

    void testGreylistingAndOtherTemporaryRefusalsConcernOneMessage()
    {
        CPPUNIT_ASSERT(!slowDown(451, "4.7.1 <greylist1@example.org>: greylisted, try again later"));
        CPPUNIT_ASSERT(!slowDown(450, "4.2.1 too many messages for this mailbox"));
        CPPUNIT_ASSERT(!slowDown(452, "4.5.3 too many recipients"));
        CPPUNIT_ASSERT(!slowDown(550, "5.7.1 rate limit: refused for good"));
        CPPUNIT_ASSERT(!slowDown(451, "4.7.280 policy"));
        CPPUNIT_ASSERT(!slowDown(0, "Connection refused"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransportExceptionTest);
