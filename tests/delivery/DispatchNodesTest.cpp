// Several hosts sending one campaign together (D9), as two dispatchers on one database: each
// row is claimed by one of them, and the pace holds for both together.
#include "DispatchFixture.h"
#include <iostream>
#include <thread>

namespace DeliveryTests
{
class DispatchNodesTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchNodesTest);
    CPPUNIT_TEST(testTwoHostsDrainOneCampaignWithNobodyTwiceAndNobodyLost);
    CPPUNIT_TEST(testTwoHostsTogetherKeepThePace);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTwoHostsDrainOneCampaignWithNobodyTwiceAndNobodyLost()
    {
        settings.batch = 10;
        settings.workers = 2;
        long campaign = newCampaign(200);
        sendNow(campaign);
        // Each host sends into an outbox of its own, to see that both took a share.
        auto other = otherNodeWithItsOwnOutbox();
        std::thread second([&] { other->runOnce(); });
        runOnce();
        second.join();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(200L, count(campaign, "sent"));
        std::map<std::string, int> first = outbox(), received = otherOutbox();
        std::string shares =
            "first host " + std::to_string(first.size()) + ", second host " + std::to_string(received.size());
        CPPUNIT_ASSERT_MESSAGE("the first host sent nothing (" + shares + ")", !first.empty());
        CPPUNIT_ASSERT_MESSAGE("the second host sent nothing (" + shares + ")", !received.empty());
        std::cerr << "\nDispatchNodesTest: " << shares << "\n";
        for (const auto& [address, times] : first)
            received[address] += times;
        CPPUNIT_ASSERT_EQUAL(std::size_t(200), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
    }

    void testTwoHostsTogetherKeepThePace()
    {
        settings.batch = 5;
        long campaign = newCampaign(30);
        sendNow(campaign, 10);
        // Each hour at most 10 between them; when both claim the last of an hour's budget at the
        // same moment, both give back what is over it, and the hour may end a little short.
        long before = 0;
        for (int hour = 0; hour < 6 && outboxCount() < 30; ++hour)
        {
            together();
            long sent = outboxCount() - before;
            CPPUNIT_ASSERT_MESSAGE(std::to_string(sent) + " in an hour", sent > 0 && sent <= 10);
            before = outboxCount();
            advance(61);
        }
        CPPUNIT_ASSERT_EQUAL(30L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(30), outbox().size());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
    }

private:
    void together()
    {
        auto other = otherNode();
        std::thread second([&] { other->runOnce(); });
        runOnce();
        second.join();
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchNodesTest, "dispatch");
} // namespace DeliveryTests
