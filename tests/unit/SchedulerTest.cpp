#include "Scheduler.h"
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::Extensions;
using CrmHost::Schedule;
using CrmHost::Scheduler;

namespace
{
Poco::Timestamp at(int hour, int minute, int second = 0)
{
    return Poco::DateTime(2024, 6, 3, hour, minute, second).timestamp();
}

Poco::Timestamp plusSeconds(const Poco::Timestamp& t, int seconds)
{
    return t + Poco::Timestamp::TimeDiff(seconds) * Poco::Timestamp::resolution();
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}
} // namespace

class SchedulerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SchedulerTest);
    CPPUNIT_TEST(testIntervalTaskFiresAtOnceThenOncePerInterval);
    CPPUNIT_TEST(testCronTaskFiresOnceInEachMatchingMinute);
    CPPUNIT_TEST(testCronTaskStaysQuietInMinutesThatDoNotMatch);
    CPPUNIT_TEST(testTasksOnDifferentSchedulesFireIndependently);
    CPPUNIT_TEST(testTaskOfAStoppedModuleIsNoLongerDue);
    CPPUNIT_TEST(testAWokenTaskIsDueAtOnceWhateverItsInterval);
    CPPUNIT_TEST(testRunNowRunsTheTaskAndTellsWhetherWorkIsLeft);
    CPPUNIT_TEST(testRunningAnUnknownTaskNamesTheKnownOnes);
    CPPUNIT_TEST_SUITE_END();

public:
    void testIntervalTaskFiresAtOnceThenOncePerInterval()
    {
        addTask("massmailing.send", Schedule::every(10));
        Scheduler scheduler(_extensions);
        Poco::Timestamp t0 = at(10, 0, 3);
        CPPUNIT_ASSERT(contains(scheduler.due(t0), "massmailing.send"));
        CPPUNIT_ASSERT(scheduler.due(plusSeconds(t0, 1)).empty());
        CPPUNIT_ASSERT(scheduler.due(plusSeconds(t0, 9)).empty());
        CPPUNIT_ASSERT(contains(scheduler.due(plusSeconds(t0, 10)), "massmailing.send"));
        CPPUNIT_ASSERT(scheduler.due(plusSeconds(t0, 15)).empty());
        // A late tick fires once, not once per missed interval.
        CPPUNIT_ASSERT(contains(scheduler.due(plusSeconds(t0, 55)), "massmailing.send"));
        CPPUNIT_ASSERT(scheduler.due(plusSeconds(t0, 56)).empty());
    }

    void testCronTaskFiresOnceInEachMatchingMinute()
    {
        addTask("massmailing.report", Schedule::cronExpression("*/5 * * * *"));
        Scheduler scheduler(_extensions);
        CPPUNIT_ASSERT(contains(scheduler.due(at(10, 5, 0)), "massmailing.report"));
        CPPUNIT_ASSERT(scheduler.due(at(10, 5, 1)).empty());
        CPPUNIT_ASSERT(scheduler.due(at(10, 5, 59)).empty());
        CPPUNIT_ASSERT(scheduler.due(at(10, 6, 0)).empty());
        // The scheduler ticks every second or so: the first tick of a matching minute fires.
        CPPUNIT_ASSERT(contains(scheduler.due(at(10, 10, 2)), "massmailing.report"));
        CPPUNIT_ASSERT(scheduler.due(at(10, 10, 3)).empty());
    }

    void testCronTaskStaysQuietInMinutesThatDoNotMatch()
    {
        addTask("massmailing.nightly", Schedule::cronExpression("30 2 * * *"));
        Scheduler scheduler(_extensions);
        for (int minute = 0; minute < 60; ++minute)
            CPPUNIT_ASSERT(scheduler.due(at(1, minute, 0)).empty());
        CPPUNIT_ASSERT(contains(scheduler.due(at(2, 30, 0)), "massmailing.nightly"));
    }

    void testTasksOnDifferentSchedulesFireIndependently()
    {
        addTask("massmailing.send", Schedule::every(30));
        addTask("massmailing.report", Schedule::cronExpression("0 * * * *"));
        Scheduler scheduler(_extensions);
        auto first = scheduler.due(at(11, 0, 0));
        CPPUNIT_ASSERT(contains(first, "massmailing.send") && contains(first, "massmailing.report"));
        auto second = scheduler.due(at(11, 0, 30));
        CPPUNIT_ASSERT(contains(second, "massmailing.send") && !contains(second, "massmailing.report"));
        auto third = scheduler.due(at(11, 1, 0));
        CPPUNIT_ASSERT(contains(third, "massmailing.send") && !contains(third, "massmailing.report"));
    }

    void testTaskOfAStoppedModuleIsNoLongerDue()
    {
        addTask("massmailing.send", Schedule::every(10));
        Scheduler scheduler(_extensions);
        CPPUNIT_ASSERT(contains(scheduler.due(at(9, 0, 0)), "massmailing.send"));
        _extensions.removeOwnedBy("massmailing");
        CPPUNIT_ASSERT(scheduler.due(at(9, 0, 20)).empty());
    }

    void testAWokenTaskIsDueAtOnceWhateverItsInterval()
    {
        addTask("host.inbound", Schedule::every(3600));
        addTask("massmailing.send", Schedule::every(3600));
        Scheduler scheduler(_extensions);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), scheduler.due(at(9, 0, 0)).size());
        CPPUNIT_ASSERT(scheduler.due(at(9, 0, 1)).empty());
        scheduler.wake("host.inbound");
        auto due = scheduler.due(at(9, 0, 2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), due.size());
        CPPUNIT_ASSERT(contains(due, "host.inbound"));
        CPPUNIT_ASSERT(scheduler.due(at(9, 0, 3)).empty()); // woken once, due once
    }

    void testRunNowRunsTheTaskAndTellsWhetherWorkIsLeft()
    {
        int left = 2;
        _extensions.tasks.add(
            "massmailing", "massmailing.send",
            {"massmailing.send", "", Schedule::every(10), [&left]() { return --left > 0; }});
        Scheduler scheduler(_extensions);
        CPPUNIT_ASSERT(scheduler.runNow("massmailing.send"));
        CPPUNIT_ASSERT(!scheduler.runNow("massmailing.send"));
        CPPUNIT_ASSERT_EQUAL(0, left);
    }

    void testRunningAnUnknownTaskNamesTheKnownOnes()
    {
        addTask("massmailing.send", Schedule::every(10));
        Scheduler scheduler(_extensions);
        try
        {
            scheduler.runNow("massmailing.sned");
            CPPUNIT_FAIL("an unknown task ran");
        }
        catch (const Poco::NotFoundException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(),
                                   error.message().find("massmailing.sned") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(error.message(),
                                   error.message().find("massmailing.send") != std::string::npos);
        }
    }

private:
    void addTask(const std::string& name, const Schedule& schedule)
    {
        _extensions.tasks.add("massmailing", name, {name, "", schedule, []() { return false; }});
    }

    Extensions _extensions;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchedulerTest);
