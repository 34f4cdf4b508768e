// The monthly quota (D4, A9): checked when a send is scheduled and again while it goes out.
#include "DispatchFixture.h"

namespace DeliveryTests
{
class DispatchQuotaTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchQuotaTest);
    CPPUNIT_TEST(testSendOverTheQuotaIsRefusedWithTheNumbers);
    CPPUNIT_TEST(testReachingTheQuotaWhileSendingPausesTheCampaignAndSaysWhy);
    CPPUNIT_TEST(testLastMonthsMessagesDoNotCount);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSendOverTheQuotaIsRefusedWithTheNumbers()
    {
        sentEarlier(30);
        long campaign = newCampaign(30);
        MassMailing::SendPlan plan;
        try
        {
            deliveries().schedule(campaign, plan, false, 50);
            CPPUNIT_FAIL("a send over the quota was scheduled");
        }
        catch (const MassMailing::QuotaException& error)
        {
            CPPUNIT_ASSERT_EQUAL(30L, error.planned);
            CPPUNIT_ASSERT_EQUAL(30L, error.sentThisMonth);
            CPPUNIT_ASSERT_EQUAL(50L, error.limit);
            for (const char* number : {"30", "50", "20 remaining"})
                CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().find(number) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(campaign));
        deliveries().schedule(campaign, plan, false, 60); // exactly the quota is allowed
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
    }

    void testReachingTheQuotaWhileSendingPausesTheCampaignAndSaysWhy()
    {
        // Two sends scheduled before either went out, each within the quota on its own.
        long first = newCampaign(30);
        long second = newCampaign(30);
        sendNow(first);
        sendNow(second);
        monthlyLimit = 40;
        advance(1);
        runOnce();
        advance(1);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(40L, deliveries().sentThisMonth(groupId));
        CPPUNIT_ASSERT_EQUAL(40L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(first));
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(second));
        CPPUNIT_ASSERT_EQUAL(20L, count(second, "queued"));
        std::string reason = campaignText(second, "pause_reason");
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("quota") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("40") != std::string::npos);
    }

    void testLastMonthsMessagesDoNotCount()
    {
        setClock("2026-11-30 22:00:00");
        sentEarlier(30);
        setClock("2026-12-01 00:10:00");
        CPPUNIT_ASSERT_EQUAL(0L, deliveries().sentThisMonth(groupId));
        long campaign = newCampaign(30);
        deliveries().schedule(campaign, MassMailing::SendPlan(), false, 30);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
    }

private:
    void sentEarlier(int count)
    {
        long earlier = newCampaign(count);
        sendNow(earlier);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(earlier));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchQuotaTest, "dispatch");
} // namespace DeliveryTests
