// The delivery deadline (D3): nothing is sent after it, and who got nothing says why.
#include "DispatchFixture.h"

namespace DeliveryTests
{
class DispatchDeadlineTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchDeadlineTest);
    CPPUNIT_TEST(testPastTheDeadlineTheUnsentAreSkippedAndNothingMoreIsSent);
    CPPUNIT_TEST(testDeadlineBeforeTheStartIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPastTheDeadlineTheUnsentAreSkippedAndNothingMoreIsSent()
    {
        long campaign = newCampaign(30);
        MassMailing::SendPlan plan;
        plan.maxPerHour = 10;
        plan.deadline = "2026-12-01 09:30:00";
        deliveries().schedule(campaign, plan, false, 0);
        runOnce(); // 08:00
        advance(61);
        runOnce(); // 09:01
        CPPUNIT_ASSERT_EQUAL(20L, outboxCount());

        advance(30); // 09:31
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(20L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(10L, count(campaign, "skipped"));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "queued"));
        CPPUNIT_ASSERT_EQUAL(std::string("deadline"), row(campaign, "person30@example.org").reason);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 09:31:00"), campaignText(campaign, "finished_at"));

        advance(120);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(20L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), statusOf(campaign));
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "expired");
    }

    void testDeadlineBeforeTheStartIsRefused()
    {
        long campaign = newCampaign(3);
        MassMailing::SendPlan plan;
        plan.at = "2026-12-02 09:00:00";
        plan.deadline = "2026-12-02 08:00:00";
        CPPUNIT_ASSERT_THROW(deliveries().schedule(campaign, plan, false, 0), Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(campaign));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchDeadlineTest, "dispatch");
} // namespace DeliveryTests
