// Approval (D2): a send by someone without the approve right waits for an approver's yes.
#include "DispatchFixture.h"

using MassMailing::SendPlan;

namespace DeliveryTests
{
class DispatchApprovalTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchApprovalTest);
    CPPUNIT_TEST(testSendThatNeedsApprovalWaitsAndSendsNothing);
    CPPUNIT_TEST(testApprovedSendGoesOutAndNamesItsApprover);
    CPPUNIT_TEST(testRejectedSendNeverGoesOut);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSendThatNeedsApprovalWaitsAndSendsNothing()
    {
        long campaign = newCampaign(3);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(campaign));
        advance(60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "queued"));
    }

    void testApprovedSendGoesOutAndNamesItsApprover()
    {
        long campaign = newCampaign(3);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        runOnce();
        deliveries().approve(campaign, 42);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), campaignText(campaign, "reviewed_by"));
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
    }

    void testRejectedSendNeverGoesOut()
    {
        long campaign = newCampaign(3);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        deliveries().reject(campaign, 42, "not to the whole list");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), statusOf(campaign));
        advance(24 * 60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
        expectRefused(
            campaign, [&] { deliveries().approve(campaign, 42); }, "rejected");
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchApprovalTest, "dispatch");
} // namespace DeliveryTests
