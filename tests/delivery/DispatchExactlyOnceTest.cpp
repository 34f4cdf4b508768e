// Exactly once (D7) within one process: the rows a dead worker held are recovered, in
// flight ones are never sent again by themselves, and "send again" sends one message.
#include "DispatchFixture.h"
#include <atomic>

namespace
{
// The outbox, and something a user does after the n-th message (pause, cancel).
class InterruptedTransport : public MassMailing::Transport
{
public:
    InterruptedTransport(std::unique_ptr<MassMailing::Transport> outbox, std::atomic<int>& sent, int after,
                         std::function<void()> interrupt)
        : _outbox(std::move(outbox)), _sent(sent), _after(after), _interrupt(std::move(interrupt))
    {
    }

    void send(const MassMailing::Envelope& envelope, const std::string& message) override
    {
        _outbox->send(envelope, message);
        if (++_sent == _after)
            _interrupt();
    }

private:
    std::unique_ptr<MassMailing::Transport> _outbox;
    std::atomic<int>& _sent;
    int _after;
    std::function<void()> _interrupt;
};
} // namespace

namespace DeliveryTests
{
class DispatchExactlyOnceTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchExactlyOnceTest);
    CPPUNIT_TEST(testInFlightRowOfADeadWorkerIsInDoubtAndNeverSentAgain);
    CPPUNIT_TEST(testLeasedRowOfADeadWorkerIsSentOnce);
    CPPUNIT_TEST(testRowsADeadWorkerHandedOverBeforeItsLastAreSent);
    CPPUNIT_TEST(testRowsLeasedByALiveWorkerAreLeftToIt);
    CPPUNIT_TEST(testARowHandedOverIsInFlightAndACancelLeavesItToItsWorker);
    CPPUNIT_TEST(testSendAgainSendsAnInDoubtRecipientOnce);
    CPPUNIT_TEST(testSendAgainSendsAFailedRecipientOnce);
    CPPUNIT_TEST(testSendAgainToASentRecipientIsRefused);
    CPPUNIT_TEST(testPauseAndResumeWhileSendingSendNobodyTwiceAndNobodyIsLost);
    CPPUNIT_TEST(testCancelWhileSendingKeepsWhatWasSentAndSkipsTheRest);
    CPPUNIT_TEST(testPauseInTheMiddleOfABatchStopsSoon);
    CPPUNIT_TEST_SUITE_END();

public:
    void testInFlightRowOfADeadWorkerIsInDoubtAndNeverSentAgain()
    {
        long campaign = crashedWhileSending();
        runOnce();
        RowState doubt = row(campaign, "person1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("in_doubt"), doubt.status);
        CPPUNIT_ASSERT(doubt.detail.find("may have been delivered") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, outbox()["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "in_doubt"));

        advance(24 * 60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(0, outbox()["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(std::string("in_doubt"), row(campaign, "person1@example.org").status);
    }

    void testRowsADeadWorkerHandedOverBeforeItsLastAreSent()
    {
        // Each went out after the server answered the one before: only the last is in doubt.
        long campaign = newCampaign(3);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'dead/1/0/1', lease_until = "
                "'2026-12-01 07:59:00', in_flight_at = '2026-12-01 07:55:00' WHERE email IN "
                "('person1@example.org', 'person2@example.org')");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'dead/1/0/1', lease_until = "
                "'2026-12-01 07:59:00' WHERE email = 'person3@example.org'");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("in_doubt"), row(campaign, "person2@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person3@example.org").status);
        std::map<std::string, int> sent = outbox();
        CPPUNIT_ASSERT_EQUAL(0, sent["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(0, sent["person2@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, sent["person3@example.org"]);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
    }

    void testLeasedRowOfADeadWorkerIsSentOnce()
    {
        long campaign = crashedWhileSending();
        runOnce();
        advance(60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person2@example.org").status);
        std::map<std::string, int> sent = outbox();
        CPPUNIT_ASSERT_EQUAL(1, sent["person2@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, sent["person4@example.org"]);
        CPPUNIT_ASSERT_EQUAL(0, sent["person3@example.org"]); // sent before the crash, by the dead worker
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "sent"));
    }

    void testRowsLeasedByALiveWorkerAreLeftToIt()
    {
        long campaign = newCampaign(3);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'other/1/0/1', lease_until = "
                "'2026-12-01 08:05:00' WHERE email = 'person1@example.org'");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("leased"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(2L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));

        advance(6); // the other worker's lease ran out: it died
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
    }

    void testARowHandedOverIsInFlightAndACancelLeavesItToItsWorker()
    {
        long campaign = newCampaign(2);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'other/1/0/1', lease_until = "
                "'2026-12-01 08:05:00', in_flight_at = '2026-12-01 08:00:00' WHERE email = "
                "'person1@example.org'");
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "in_flight"));
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "queued"));
        // The server may be answering it now: its worker records the answer, not the cancel.
        deliveries().cancel(campaign);
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "in_flight"));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), row(campaign, "person2@example.org").status);
    }

    void testSendAgainSendsAnInDoubtRecipientOnce()
    {
        long campaign = crashedWhileSending();
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        deliveries().resend(campaign, row(campaign, "person1@example.org").id);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        runOnce();
        advance(60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "in_doubt"));
    }

    void testSendAgainSendsAFailedRecipientOnce()
    {
        long campaign = newCampaign(3);
        sendNow(campaign);
        execute("UPDATE mm_recipients SET status = 'failed', attempts = 1, detail = '550 5.1.1 mailbox "
                "unavailable' WHERE email = 'person2@example.org'");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(2L, outboxCount());

        deliveries().resend(campaign, row(campaign, "person2@example.org").id);
        runOnce();
        runOnce();
        RowState resent = row(campaign, "person2@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), resent.status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), resent.detail);
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person2@example.org"]);
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
    }

    void testSendAgainToASentRecipientIsRefused()
    {
        long campaign = newCampaign(2);
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_THROW(deliveries().resend(campaign, row(campaign, "person1@example.org").id),
                             MassMailing::StateException);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person1@example.org"]);
    }

    void testPauseAndResumeWhileSendingSendNobodyTwiceAndNobodyIsLost()
    {
        long campaign = newCampaign(30);
        sendNow(campaign);
        std::atomic<int> sent{0};
        useTransport(
            [&]
            {
                return std::make_unique<InterruptedTransport>(
                    outboxTransport(), sent, 12, [&] { deliveries().pause(campaign, "by a user"); });
            });
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        long before = outboxCount();
        CPPUNIT_ASSERT(before >= 12 && before < 30);
        advance(10);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(before, outboxCount());

        deliveries().resume(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(30L, count(campaign, "sent"));
        std::map<std::string, int> received = outbox();
        CPPUNIT_ASSERT_EQUAL(std::size_t(30), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
    }

    void testCancelWhileSendingKeepsWhatWasSentAndSkipsTheRest()
    {
        long campaign = newCampaign(30);
        sendNow(campaign);
        std::atomic<int> sent{0};
        useTransport(
            [&]
            {
                return std::make_unique<InterruptedTransport>(outboxTransport(), sent, 12,
                                                              [&] { deliveries().cancel(campaign); });
            });
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), statusOf(campaign));
        advance(60);
        runOnce();
        long delivered = outboxCount();
        CPPUNIT_ASSERT_EQUAL(delivered, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(30L - delivered, count(campaign, "skipped") + count(campaign, "in_doubt"));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "queued"));
        CPPUNIT_ASSERT(delivered >= 12 && delivered <= 12 + settings.workers);
    }

    void testPauseInTheMiddleOfABatchStopsSoon()
    {
        long campaign = newCampaign(30);
        sendNow(campaign);
        settings.workers = 1;
        std::atomic<int> sent{0};
        useTransport(
            [&]
            {
                return std::make_unique<InterruptedTransport>(
                    outboxTransport(), sent, 3, [&] { deliveries().pause(campaign, "by a user"); });
            });
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
    }

private:
    // A campaign of four whose worker died at 07:55 with a lease until 07:59: person1 was in
    // flight, person2 leased, person3 already sent; person4 waits in the queue.
    long crashedWhileSending()
    {
        long campaign = newCampaign(4);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending', started_at = '2026-12-01 07:55:00'");
        const std::string lease = "lease_owner = 'dead/1/0/1', lease_until = '2026-12-01 07:59:00'";
        execute("UPDATE mm_recipients SET status = 'leased', in_flight_at = '2026-12-01 07:56:30', " + lease +
                " WHERE email = 'person1@example.org'");
        execute("UPDATE mm_recipients SET status = 'leased', " + lease +
                " WHERE email = 'person2@example.org'");
        execute("UPDATE mm_recipients SET status = 'sent', attempts = 1, sent_at = '2026-12-01 07:56:00' "
                "WHERE email = 'person3@example.org'");
        return campaign;
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchExactlyOnceTest, "dispatch");
} // namespace DeliveryTests
