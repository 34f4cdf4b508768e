// Pacing (D3, D8): at most N messages per hour, changed live.
#include "DispatchFixture.h"

namespace DeliveryTests
{
class DispatchPacingTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchPacingTest);
    CPPUNIT_TEST(testTenPerHourSendsTenThenWaitsForTheHourToPass);
    CPPUNIT_TEST(testPaceChangedWhileSendingTakesEffectAtTheNextRound);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTenPerHourSendsTenThenWaitsForTheHourToPass()
    {
        long campaign = newCampaign(30);
        sendNow(campaign, 10);
        CPPUNIT_ASSERT(runOnce());
        CPPUNIT_ASSERT_EQUAL(10L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));

        advance(10);
        CPPUNIT_ASSERT(runOnce());
        CPPUNIT_ASSERT_EQUAL(10L, outboxCount());

        advance(51);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(20L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(20L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(10L, count(campaign, "queued"));

        advance(61);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(30L, outboxCount());
        for (const auto& [address, times] : outbox())
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
    }

    void testPaceChangedWhileSendingTakesEffectAtTheNextRound()
    {
        long campaign = newCampaign(30);
        sendNow(campaign, 10);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(10L, outboxCount());

        deliveries().setPacing(campaign, 15);
        CPPUNIT_ASSERT_EQUAL(std::string("15"), campaignText(campaign, "max_per_hour"));
        advance(10);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(15L, outboxCount()); // 15 within the hour, 10 of them already sent

        deliveries().setPacing(campaign, 0); // no limit: the rest at once
        advance(1);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(30L, outboxCount());
        CPPUNIT_ASSERT_THROW(deliveries().setPacing(campaign, -1), Poco::InvalidArgumentException);
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchPacingTest, "dispatch");
} // namespace DeliveryTests
