#include "CronExpression.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::CronExpression;

namespace
{
// 2024-06-02 is a Sunday.
Poco::DateTime at(int day, int hour, int minute, int month = 6)
{
    return Poco::DateTime(2024, month, day, hour, minute);
}
} // namespace

class CronExpressionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CronExpressionTest);
    CPPUNIT_TEST(testStepFiresEveryFiveMinutes);
    CPPUNIT_TEST(testRangeWithStepFiresOnlyInsideTheRange);
    CPPUNIT_TEST(testListFiresOnEachListedValueOnly);
    CPPUNIT_TEST(testSundayIsBothZeroAndSeven);
    CPPUNIT_TEST(testWeekdayRangeEndingAtSevenIncludesSunday);
    CPPUNIT_TEST(testEitherDayFieldMatchesWhenBothAreRestricted);
    CPPUNIT_TEST(testMonthRestrictsTheWholeExpression);
    CPPUNIT_TEST(testOutOfRangeValuesAreRefusedNamingTheField);
    CPPUNIT_TEST(testMalformedFieldsAreRefusedNamingTheField);
    CPPUNIT_TEST(testWrongNumberOfFieldsIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testStepFiresEveryFiveMinutes()
    {
        CronExpression cron("*/5 * * * *");
        CPPUNIT_ASSERT(cron.matches(at(3, 10, 0)));
        CPPUNIT_ASSERT(cron.matches(at(3, 10, 5)));
        CPPUNIT_ASSERT(cron.matches(at(3, 23, 55)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 10, 3)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 10, 59)));
    }

    void testRangeWithStepFiresOnlyInsideTheRange()
    {
        CronExpression cron("30 9-17/2 * * *");
        CPPUNIT_ASSERT(cron.matches(at(3, 9, 30)));
        CPPUNIT_ASSERT(cron.matches(at(3, 11, 30)));
        CPPUNIT_ASSERT(cron.matches(at(3, 17, 30)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 10, 30)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 19, 30)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 7, 30)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 9, 31)));
    }

    void testListFiresOnEachListedValueOnly()
    {
        CronExpression cron("0,15,40-42 8 * * *");
        for (int minute : {0, 15, 40, 41, 42})
            CPPUNIT_ASSERT_MESSAGE("minute " + std::to_string(minute), cron.matches(at(3, 8, minute)));
        for (int minute : {1, 14, 16, 39, 43})
            CPPUNIT_ASSERT_MESSAGE("minute " + std::to_string(minute), !cron.matches(at(3, 8, minute)));
        CPPUNIT_ASSERT(!cron.matches(at(3, 9, 15)));
    }

    void testSundayIsBothZeroAndSeven()
    {
        for (const char* expression : {"0 12 * * 0", "0 12 * * 7"})
        {
            CronExpression cron(expression);
            CPPUNIT_ASSERT_MESSAGE(expression, cron.matches(at(2, 12, 0)));  // Sunday
            CPPUNIT_ASSERT_MESSAGE(expression, cron.matches(at(9, 12, 0)));  // the next Sunday
            CPPUNIT_ASSERT_MESSAGE(expression, !cron.matches(at(3, 12, 0))); // Monday
            CPPUNIT_ASSERT_MESSAGE(expression, !cron.matches(at(1, 12, 0))); // Saturday
        }
    }

    void testWeekdayRangeEndingAtSevenIncludesSunday()
    {
        CronExpression cron("0 8 * * 5-7");
        CPPUNIT_ASSERT(cron.matches(at(31, 8, 0, 5))); // Friday 31 May
        CPPUNIT_ASSERT(cron.matches(at(1, 8, 0)));     // Saturday
        CPPUNIT_ASSERT(cron.matches(at(2, 8, 0)));     // Sunday
        CPPUNIT_ASSERT(!cron.matches(at(3, 8, 0)));    // Monday
        CPPUNIT_ASSERT(!cron.matches(at(6, 8, 0)));    // Thursday
    }

    void testEitherDayFieldMatchesWhenBothAreRestricted()
    {
        // As in cron: the 1st of the month, and every Monday.
        CronExpression cron("0 6 1 * 1");
        CPPUNIT_ASSERT(cron.matches(at(1, 6, 0)));  // Saturday the 1st
        CPPUNIT_ASSERT(cron.matches(at(10, 6, 0))); // a Monday
        CPPUNIT_ASSERT(!cron.matches(at(11, 6, 0)));
        // With one day field left as *, the other alone decides.
        CronExpression firstOnly("0 6 1 * *");
        CPPUNIT_ASSERT(firstOnly.matches(at(1, 6, 0)));
        CPPUNIT_ASSERT(!firstOnly.matches(at(10, 6, 0)));
    }

    void testMonthRestrictsTheWholeExpression()
    {
        CronExpression cron("0 0 * 1,7 *");
        CPPUNIT_ASSERT(cron.matches(at(15, 0, 0, 7)));
        CPPUNIT_ASSERT(cron.matches(at(15, 0, 0, 1)));
        CPPUNIT_ASSERT(!cron.matches(at(15, 0, 0, 6)));
    }

    void testOutOfRangeValuesAreRefusedNamingTheField()
    {
        assertRefusedNaming("60 * * * *", "minute");
        assertRefusedNaming("* 24 * * *", "hour");
        assertRefusedNaming("* * 0 * *", "day-of-month");
        assertRefusedNaming("* * 32 * *", "day-of-month");
        assertRefusedNaming("* * * 13 *", "month");
        assertRefusedNaming("* * * 0 *", "month");
        assertRefusedNaming("* * * * 8", "day-of-week");
    }

    void testMalformedFieldsAreRefusedNamingTheField()
    {
        assertRefusedNaming("*/0 * * * *", "minute");
        assertRefusedNaming("x * * * *", "minute");
        assertRefusedNaming("* 1- * * *", "hour");
        assertRefusedNaming("* 17-9 * * *", "hour");
        assertRefusedNaming("* * 1,,2 * *", "day-of-month");
        assertRefusedNaming("* * * -1 *", "month");
        assertRefusedNaming("* * * * mon", "day-of-week");
        assertRefusedNaming("* * * * 1,", "day-of-week");
    }

    void testWrongNumberOfFieldsIsRefused()
    {
        for (const char* expression : {"", "* * * *", "* * * * * *"})
        {
            try
            {
                CronExpression cron(expression);
                CPPUNIT_FAIL(std::string("accepted \"") + expression + "\"");
            }
            catch (const Poco::SyntaxException& error)
            {
                CPPUNIT_ASSERT_MESSAGE(error.message(),
                                       error.message().find("5 fields") != std::string::npos);
            }
        }
    }

private:
    static void assertRefusedNaming(const std::string& expression, const std::string& field)
    {
        try
        {
            CronExpression cron(expression);
            CPPUNIT_FAIL("accepted \"" + expression + "\"");
        }
        catch (const Poco::SyntaxException& error)
        {
            CPPUNIT_ASSERT_MESSAGE("\"" + expression + "\": " + error.message(),
                                   error.message().find("cron " + field + " field") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CronExpressionTest);
