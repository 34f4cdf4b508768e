// Suppressions at sending time (X1, A8; finding 14): whoever unsubscribes, or whose address
// bounces for good, after the campaign was scheduled or while it sends, is not sent it, and
// their row says why.
#include "DispatchFixture.h"

namespace DeliveryTests
{
class DispatchSuppressionTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchSuppressionTest);
    CPPUNIT_TEST(testUnsubscribedAfterSchedulingIsSkippedWithTheReason);
    CPPUNIT_TEST(testUnsubscribedWhileSendingIsSkippedAtTheNextRound);
    CPPUNIT_TEST(testBouncedAfterSchedulingIsSkippedToo);
    CPPUNIT_TEST_SUITE_END();

public:
    void testUnsubscribedAfterSchedulingIsSkippedWithTheReason()
    {
        long campaign = newCampaign(5);
        sendAt(campaign, "2026-12-01 09:00:00");
        runOnce();                          // 08:00: not yet
        unsubscribe("Person3@EXAMPLE.org"); // the one-click link, in whatever case it was typed
        advance(61);
        while (runOnce())
            ;
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        RowState left = row(campaign, "person3@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), left.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), left.reason);
        CPPUNIT_ASSERT(left.detail.find("unsubscribed") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(4L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "skipped"));
        auto box = outbox();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), box.size());
        CPPUNIT_ASSERT(box.find("person3@example.org") == box.end());
        CPPUNIT_ASSERT_EQUAL(1, box.at("person2@example.org"));
    }

    void testUnsubscribedWhileSendingIsSkippedAtTheNextRound()
    {
        long campaign = newCampaign(10);
        sendNow(campaign, 5); // five an hour: two rounds
        runOnce();
        CPPUNIT_ASSERT_EQUAL(5L, count(campaign, "sent"));
        unsubscribe("person8@example.org");
        advance(61);
        while (runOnce())
            advance(61);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), row(campaign, "person8@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), row(campaign, "person8@example.org").reason);
        CPPUNIT_ASSERT_EQUAL(9L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(9L, outboxCount());
        CPPUNIT_ASSERT(outbox().count("person8@example.org") == 0);
    }

    void testBouncedAfterSchedulingIsSkippedToo()
    {
        long campaign = newCampaign(3);
        sendAt(campaign, "2026-12-01 09:00:00");
        block("Person1@Example.org", "bounced");
        advance(61);
        while (runOnce())
            ;
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), row(campaign, "person1@example.org").reason);
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(2L, outboxCount());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchSuppressionTest, "dispatch");
} // namespace DeliveryTests
