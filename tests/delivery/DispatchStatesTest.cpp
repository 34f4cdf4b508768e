// The campaign states (draft → pending approval → scheduled → sending ⇄ paused → done, or
// rejected, cancelled, expired): a change the state does not allow is refused with the state.
#include "DispatchFixture.h"
#include "content/ContentException.h"

using MassMailing::SendPlan;

namespace DeliveryTests
{
class DispatchStatesTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchStatesTest);
    CPPUNIT_TEST(testChangesADraftDoesNotAllowAreRefusedWithDraft);
    CPPUNIT_TEST(testApprovingAScheduledCampaignIsRefusedWithScheduled);
    CPPUNIT_TEST(testPendingCampaignCannotBePausedOrScheduledAgain);
    CPPUNIT_TEST(testResumingADoneCampaignIsRefusedWithDone);
    CPPUNIT_TEST(testCancellingACancelledCampaignIsRefusedWithCancelled);
    CPPUNIT_TEST(testRejectWithoutAReasonIsRefused);
    CPPUNIT_TEST(testRejectedCampaignCanBeScheduledAgainAndIsSent);
    CPPUNIT_TEST(testPausedCampaignSendsNothingUntilResumed);
    CPPUNIT_TEST(testTransportThatCannotBeMadePausesTheCampaignSayingWhyAndTheRunEnds);
    CPPUNIT_TEST(testCampaignWithoutRecipientsCannotBeScheduled);
    CPPUNIT_TEST_SUITE_END();

public:
    void testChangesADraftDoesNotAllowAreRefusedWithDraft()
    {
        long campaign = newCampaign(2);
        expectRefused(
            campaign, [&] { deliveries().pause(campaign, "by a user"); }, "draft");
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "draft");
        expectRefused(
            campaign, [&] { deliveries().approve(campaign, 7); }, "draft");
        expectRefused(
            campaign, [&] { deliveries().reject(campaign, 7, "no"); }, "draft");
        expectRefused(
            campaign, [&] { deliveries().cancel(campaign); }, "draft");
    }

    void testApprovingAScheduledCampaignIsRefusedWithScheduled()
    {
        long campaign = newCampaign(2);
        sendAt(campaign, "2026-12-24 09:00:00");
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
        expectRefused(
            campaign, [&] { deliveries().approve(campaign, 7); }, "scheduled");
        expectRefused(
            campaign, [&] { deliveries().reject(campaign, 7, "no"); }, "scheduled");
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "scheduled");
        expectRefused(
            campaign, [&] { sendNow(campaign); }, "scheduled");
    }

    void testPendingCampaignCannotBePausedOrScheduledAgain()
    {
        long campaign = newCampaign(2);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(campaign));
        expectRefused(
            campaign, [&] { deliveries().pause(campaign, "by a user"); }, "pending_approval");
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "pending_approval");
        expectRefused(
            campaign, [&] { sendNow(campaign); }, "pending_approval");
    }

    void testResumingADoneCampaignIsRefusedWithDone()
    {
        long campaign = newCampaign(3);
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "sent"));
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "done");
        expectRefused(
            campaign, [&] { deliveries().pause(campaign, "by a user"); }, "done");
        expectRefused(
            campaign, [&] { deliveries().cancel(campaign); }, "done");
        expectRefused(
            campaign, [&] { sendNow(campaign); }, "done");
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
    }

    void testCancellingACancelledCampaignIsRefusedWithCancelled()
    {
        long campaign = newCampaign(3);
        sendAt(campaign, "2026-12-24 09:00:00");
        deliveries().cancel(campaign);
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), statusOf(campaign));
        expectRefused(
            campaign, [&] { deliveries().cancel(campaign); }, "cancelled");
        expectRefused(
            campaign, [&] { deliveries().resume(campaign); }, "cancelled");
        expectRefused(
            campaign, [&] { sendNow(campaign); }, "cancelled");
        // Its recipients say why they got nothing, and nothing goes out on its date.
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), row(campaign, "person1@example.org").reason);
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "skipped"));
        setClock("2026-12-24 10:00:00");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
    }

    void testRejectWithoutAReasonIsRefused()
    {
        long campaign = newCampaign(2);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        for (const std::string reason : {"", "   "})
        {
            try
            {
                deliveries().reject(campaign, 7, reason);
                CPPUNIT_FAIL("a rejection without a reason was accepted");
            }
            catch (const MassMailing::FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("reason"), error.field());
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(campaign));
    }

    void testRejectedCampaignCanBeScheduledAgainAndIsSent()
    {
        long campaign = newCampaign(4);
        deliveries().schedule(campaign, SendPlan(), true, 0);
        deliveries().reject(campaign, 7, "the subject has a typo");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(std::string("the subject has a typo"), campaignText(campaign, "review_note"));
        runOnce();
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());

        sendNow(campaign);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(4L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(4L, outboxCount());
    }

    void testPausedCampaignSendsNothingUntilResumed()
    {
        long campaign = newCampaign(5);
        sendNow(campaign);
        deliveries().pause(campaign, "paused by a user");
        CPPUNIT_ASSERT_EQUAL(std::string("paused by a user"), campaignText(campaign, "pause_reason"));
        runOnce();
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        expectRefused(
            campaign, [&] { deliveries().pause(campaign, "again"); }, "paused");

        deliveries().resume(campaign);
        CPPUNIT_ASSERT_EQUAL(std::string(""), campaignText(campaign, "pause_reason"));
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(5L, outboxCount());
    }

    void testTransportThatCannotBeMadePausesTheCampaignSayingWhyAndTheRunEnds()
    {
        settings.workers = 3;
        useTransport(
            []() -> std::unique_ptr<MassMailing::Transport>
            { throw Poco::InvalidArgumentException("massmailing.transport must be outbox or smtp"); });
        long campaign = newCampaign(5);
        sendNow(campaign);
        try
        {
            runOnce();
            CPPUNIT_FAIL("a round that cannot send said nothing");
        }
        catch (const MassMailing::SendBlockedException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(),
                                   error.message().find("massmailing.transport") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        std::string reason = campaignText(campaign, "pause_reason");
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("massmailing.transport must be outbox or smtp") !=
                                           std::string::npos);
        CPPUNIT_ASSERT_EQUAL(5L, count(campaign, "queued"));
        CPPUNIT_ASSERT_MESSAGE("the next round still finds work", !runOnce()); // `--until-idle` ends

        useTransport([this] { return outboxTransport(); });
        deliveries().resume(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(5L, outboxCount());
    }

    void testCampaignWithoutRecipientsCannotBeScheduled()
    {
        long campaign = newCampaign(0);
        CPPUNIT_ASSERT_THROW(sendNow(campaign), Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(campaign));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchStatesTest, "dispatch");
} // namespace DeliveryTests
