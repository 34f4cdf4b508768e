#include "LoginThrottle.h"
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::LoginThrottle;

// The throttle of failed logins on a clock the tests set (finding 7).
class LoginThrottleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LoginThrottleTest);
    CPPUNIT_TEST(testFifthFailureOfALoginLocksItForTheRestOfTheWindow);
    CPPUNIT_TEST(testLockOfALoginHoldsFromEveryAddress);
    CPPUNIT_TEST(testOneAddressGuessingManyLoginsIsLockedToo);
    CPPUNIT_TEST(testSuccessClearsTheLoginButNotTheAddress);
    CPPUNIT_TEST(testCaseAndSpacesDoNotMakeANewLogin);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFifthFailureOfALoginLocksItForTheRestOfTheWindow()
    {
        LoginThrottle throttle;
        Poco::Timestamp start;
        for (int i = 0; i < 4; ++i)
            throttle.failed("admin", "10.0.0.1", start + minutes(i));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(0),
                             throttle.wait("admin", "10.0.0.1", start + minutes(4)).totalMicroseconds());
        throttle.failed("admin", "10.0.0.1", start + minutes(4));
        // The first failure leaves the window at minute 15.
        CPPUNIT_ASSERT_EQUAL(10, throttle.wait("admin", "10.0.0.1", start + minutes(5)).totalMinutes());
        CPPUNIT_ASSERT(throttle.wait("admin", "10.0.0.1", start + minutes(15) - 1) > 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(0),
                             throttle.wait("admin", "10.0.0.1", start + minutes(15)).totalMicroseconds());
    }

    void testLockOfALoginHoldsFromEveryAddress()
    {
        LoginThrottle throttle;
        Poco::Timestamp now;
        for (int i = 0; i < 5; ++i)
            throttle.failed("admin", "10.0.0." + std::to_string(i), now);
        CPPUNIT_ASSERT(throttle.wait("admin", "10.0.0.99", now) > 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(0),
                             throttle.wait("member", "10.0.0.99", now).totalMicroseconds());
    }

    void testOneAddressGuessingManyLoginsIsLockedToo()
    {
        LoginThrottle throttle;
        Poco::Timestamp now;
        for (int i = 0; i < LoginThrottle::ADDRESS_FAILURES; ++i)
            throttle.failed("user" + std::to_string(i), "10.0.0.1", now);
        CPPUNIT_ASSERT(throttle.wait("someone-else", "10.0.0.1", now) > 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(0),
                             throttle.wait("someone-else", "10.0.0.2", now).totalMicroseconds());
    }

    void testSuccessClearsTheLoginButNotTheAddress()
    {
        LoginThrottle throttle(5, 6);
        Poco::Timestamp now;
        for (int i = 0; i < 4; ++i)
            throttle.failed("admin", "10.0.0.1", now);
        throttle.succeeded("admin");
        throttle.failed("admin", "10.0.0.1", now);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(0),
                             throttle.wait("admin", "10.0.0.1", now).totalMicroseconds());
        throttle.failed("admin", "10.0.0.1", now);
        CPPUNIT_ASSERT_MESSAGE("a success of one account must not reset the guesses of its address",
                               throttle.wait("admin", "10.0.0.1", now) > 0);
    }

    void testCaseAndSpacesDoNotMakeANewLogin()
    {
        LoginThrottle throttle;
        Poco::Timestamp now;
        for (const char* login : {"admin", "Admin", " ADMIN", "admin ", "aDmIn"})
            throttle.failed(login, std::string("10.0.0.") + login, now);
        CPPUNIT_ASSERT(throttle.wait("admin", "10.0.0.200", now) > 0);
    }

private:
    static Poco::Timestamp::TimeDiff minutes(int n) { return Poco::Timestamp::TimeDiff(n) * 60 * 1000000; }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginThrottleTest);
