// The progress screen's pace and expected end (D1, D8), from DeliveryProgress at a clock the
// test sets: the messages sent in the last five minutes (or since the start) per hour, and the
// end that pace promises for what remains; never faster than the campaign's own limit.
#include "DispatchFixture.h"

namespace DeliveryTests
{
class DispatchProgressTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchProgressTest);
    CPPUNIT_TEST(testPaceIsWhatWasSentInTheLastFiveMinutesAndAFinishedCampaignPromisesNoEnd);
    CPPUNIT_TEST(testPacedCampaignShowsItsLimitAndTheEndThatLimitAllows);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPaceIsWhatWasSentInTheLastFiveMinutesAndAFinishedCampaignPromisesNoEnd()
    {
        long campaign = newCampaign(30);
        sendNow(campaign);
        MassMailing::DeliveryState before = progressOf(campaign);
        CPPUNIT_ASSERT_EQUAL(0L, before.perHour);
        CPPUNIT_ASSERT_EQUAL(30L, before.remaining);
        runOnce(); // all 30 at 08:00
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));

        advance(2); // 30 in the two minutes since the start: 900 an hour
        MassMailing::DeliveryState state = progressOf(campaign);
        CPPUNIT_ASSERT_EQUAL(30L, state.counts["sent"]);
        CPPUNIT_ASSERT_EQUAL(0L, state.remaining);
        CPPUNIT_ASSERT_EQUAL(900L, state.perHour);
        CPPUNIT_ASSERT_EQUAL(std::string(""), state.expectedEnd); // done: no end to promise

        advance(4); // 08:06: nothing sent in the last five minutes
        CPPUNIT_ASSERT_EQUAL(0L, progressOf(campaign).perHour);
    }

    void testPacedCampaignShowsItsLimitAndTheEndThatLimitAllows()
    {
        long campaign = newCampaign(40);
        sendNow(campaign, 12);
        runOnce(); // the hour's 12 at 08:00, 28 left
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(12L, count(campaign, "sent"));

        advance(4); // 08:04: 12 in four minutes would be 180 an hour, but 12 is the limit
        MassMailing::DeliveryState state = progressOf(campaign);
        CPPUNIT_ASSERT_EQUAL(28L, state.remaining);
        CPPUNIT_ASSERT_EQUAL(12L, state.perHour);
        // 28 at 12 an hour: 2 h 20 min from now.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 10:24:00"), state.expectedEnd);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchProgressTest, "dispatch");
} // namespace DeliveryTests
