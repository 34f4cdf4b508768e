// Sending through Mailjet's Send API v3.1 (issue 17, D5), against the stand-in of
// tests/mailjet (mailjet_standin.py), counted there: 50 messages a call, each with CustomID =
// its row; a partial failure fails only the refused rows, with Mailjet's error; 429 and 500
// tried again; a lost answer (messages accepted or not) reconciled by CustomID, nobody twice.
#include "DispatchFixture.h"
#include "MailjetStandIn.h"
#include "ScratchFolder.h"
#include "delivery/MailjetTransport.h"
#include <Poco/JSON/Array.h>
#include <set>

namespace DeliveryTests
{
class DispatchMailjetTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchMailjetTest);
    CPPUNIT_TEST(testThousandRecipientsAreSentFiftyPerCallEachWithItsRow);
    CPPUNIT_TEST(testPartialFailureLeavesTheRefusedRowsFailedWithMailjetsError);
    CPPUNIT_TEST(testTooManyRequestsAndServerErrorsAreTriedAgain);
    CPPUNIT_TEST(testLostAnswerWhoseMessagesWentIsReconciledAsSentAndNobodyGetsItTwice);
    CPPUNIT_TEST(testLostAnswerWhoseMessagesDidNotGoIsReconciledAndSentOnce);
    CPPUNIT_TEST(testWrongCredentialsPauseTheCampaignSayingWhy);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        DispatchFixture::setUp();
        settings.workers = 2;
        settings.batch = 200;
        _folder = std::make_unique<ScratchFolder>();
        _standIn = std::make_unique<CrmHostTests::MailjetStandIn>(_folder->path());
        _settings.url = _standIn->url();
        _settings.apiKey = CrmHostTests::MailjetStandIn::KEY;
        _settings.apiSecret = CrmHostTests::MailjetStandIn::SECRET;
        _settings.timeout = Poco::Timespan(20, 0);
        _settings.retryMillis = 10;
        useTransport([this] { return std::make_unique<MassMailing::MailjetTransport>(_settings); });
    }

    void tearDown() override
    {
        DispatchFixture::tearDown();
        _standIn.reset();
        _folder.reset();
    }

    void testThousandRecipientsAreSentFiftyPerCallEachWithItsRow()
    {
        long campaign = newCampaign(1000);
        sendNow(campaign);
        runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(1000L, count(campaign, "sent"));
        Poco::JSON::Object::Ptr state = _standIn->state();
        Poco::JSON::Array::Ptr calls = state->getArray("calls");
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), calls->size());
        for (std::size_t i = 0; i < calls->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(50, calls->getElement<int>(i));
        expectEachRowOnce(campaign, 1000);
        // A message as Mailjet got it: our row, our headers, Mailjet's tracking as asked.
        Poco::JSON::Object::Ptr message = state->getArray("messages")->getObject(0);
        const std::string customId = message->getValue<std::string>("CustomID");
        CPPUNIT_ASSERT_EQUAL(message->getValue<std::string>("Email"),
                             emailOfRow(campaign, std::stol(customId)));
        CPPUNIT_ASSERT(message->getObject("Headers")->has("List-Unsubscribe"));
        CPPUNIT_ASSERT(!message->getObject("Headers")->has("DKIM-Signature"));
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), message->getValue<std::string>("TrackOpens"));
        CPPUNIT_ASSERT(!message->getValue<std::string>("Subject").empty());
    }

    void testPartialFailureLeavesTheRefusedRowsFailedWithMailjetsError()
    {
        long campaign = newCampaign({"ok1@example.org", "reject1@example.org", "ok2@example.org",
                                     "reject2@example.org", "ok3@example.org"});
        sendNow(campaign);
        runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "failed"));
        RowState refused = row(campaign, "reject1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.detail,
                               refused.detail.find("mj-0013 400 \"reject1@example.org\" is an invalid email "
                                                   "address. (To[0].Email)") == 0);
        CPPUNIT_ASSERT_EQUAL(1, refused.attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "ok2@example.org").status);
        // One call: the refused rows are not tried again.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _standIn->state()->getArray("calls")->size());
    }

    void testTooManyRequestsAndServerErrorsAreTriedAgain()
    {
        _standIn->control(R"({"fail": [429, 500]})");
        settings.workers = 1;
        long campaign = newCampaign(60);
        sendNow(campaign);
        runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(60L, count(campaign, "sent"));
        Poco::JSON::Array::Ptr calls = _standIn->state()->getArray("calls");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), calls->size()); // 429, 500, then 50 and 10
        expectEachRowOnce(campaign, 60);
    }

    void testLostAnswerWhoseMessagesWentIsReconciledAsSentAndNobodyGetsItTwice()
    {
        _standIn->control(R"({"drop": "after"})");
        settings.workers = 1;
        long campaign = newCampaign(120);
        sendNow(campaign);
        runOnce();
        // The first call's 50 went, its answer did not come: in doubt, and the campaign waits.
        CPPUNIT_ASSERT_EQUAL(50L, count(campaign, "in_doubt"));
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        runOnce(); // within the wait after the lost answer: nothing more goes
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _standIn->state()->getArray("calls")->size());
        advance(2);
        runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(120L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "in_doubt"));
        expectEachRowOnce(campaign, 120);
    }

    void testLostAnswerWhoseMessagesDidNotGoIsReconciledAndSentOnce()
    {
        _standIn->control(R"({"drop": "before"})");
        settings.workers = 1;
        long campaign = newCampaign(70);
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(50L, count(campaign, "in_doubt"));
        advance(2);
        runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(70L, count(campaign, "sent"));
        expectEachRowOnce(campaign, 70);
        CPPUNIT_ASSERT_EQUAL(1, _standIn->state()->getValue<int>("lost"));
    }

    void testWrongCredentialsPauseTheCampaignSayingWhy()
    {
        _settings.apiSecret = "wrong";
        long campaign = newCampaign(10);
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(10L, count(campaign, "queued"));
        const std::string reason = campaignText(campaign, "pause_reason");
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("Mailjet answered 401") != std::string::npos);
        CPPUNIT_ASSERT(reason.find("wrong") == std::string::npos);
    }

private:
    void runUntilIdle()
    {
        for (int round = 0; round < 50 && runOnce(); ++round)
        {
        }
    }

    std::string emailOfRow(long campaign, long rowId)
    {
        for (int i = 1;; ++i)
        {
            const std::string address = "person" + std::to_string(i) + "@example.org";
            if (row(campaign, address).id == rowId)
                return address;
            if (i > 2000)
                return "";
        }
    }

    // Mailjet accepted each row of the campaign exactly once, by its CustomID.
    void expectEachRowOnce(long campaign, long rows)
    {
        Poco::JSON::Object::Ptr accepted = _standIn->state()->getObject("accepted");
        CPPUNIT_ASSERT_EQUAL(std::size_t(rows), accepted->size());
        std::set<long> ids;
        for (const std::string& name : accepted->getNames())
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, 1, accepted->getValue<int>(name));
            ids.insert(std::stol(name));
        }
        CPPUNIT_ASSERT_EQUAL(rows, numberOf("SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = " +
                                            std::to_string(campaign) + " AND id BETWEEN " +
                                            std::to_string(*ids.begin()) + " AND " +
                                            std::to_string(*ids.rbegin())));
    }

    std::unique_ptr<ScratchFolder> _folder;
    std::unique_ptr<CrmHostTests::MailjetStandIn> _standIn;
    MassMailing::MailjetTransport::Settings _settings;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchMailjetTest, "dispatch");
} // namespace DeliveryTests
