// Faults of a real SMTP server (aiosmtpd, smtp_server.py), counted at the server: 451 retried
// after the back-off, 550 final with the server's text, a server that is down waited for, a
// "slow down" that holds back the whole domain, the same refusal again and again that pauses.
#include "DispatchFixture.h"
#include "ScratchFolder.h"
#include "SmtpServer.h"
#include "delivery/SmtpTransport.h"

namespace DeliveryTests
{
class DispatchSmtpFaultsTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchSmtpFaultsTest);
    CPPUNIT_TEST(testGreylistedRecipientsAreRetriedAfterTheBackOffAndDelivered);
    CPPUNIT_TEST(testRefusedRecipientsFailWithTheServersTextAndAreNotRetried);
    CPPUNIT_TEST(testRecipientRefusedForAWhileFailsAfterTheLastAttempt);
    CPPUNIT_TEST(testCampaignWaitsForAServerThatIsDownAndThenCompletes);
    CPPUNIT_TEST(testSlowDownHoldsBackTheWholeDomainAndNotTheOthers);
    CPPUNIT_TEST(testSameRefusalAgainAndAgainPausesTheCampaignSayingWhy);
    CPPUNIT_TEST(testBusyMailboxWhoseAddressHoldsRateDelaysOnlyItsOwnRow);
    CPPUNIT_TEST(testRateLimitCodeHoldsBackTheWholeDomain);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        DispatchFixture::setUp();
        settings.workers = 2;
        _folder = std::make_unique<ScratchFolder>();
        useTransport([this] { return std::make_unique<MassMailing::SmtpTransport>(_smtp); });
    }

    void tearDown() override
    {
        DispatchFixture::tearDown();
        _server.reset();
        _folder.reset();
    }

    void testGreylistedRecipientsAreRetriedAfterTheBackOffAndDelivered()
    {
        startServer();
        long campaign = newCampaign({"ok1@example.org", "greylist1@example.org", "ok2@example.org",
                                     "greylist2@example.org", "ok3@example.org"});
        sendNow(campaign);
        CPPUNIT_ASSERT(runOnce());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _server->receivedCount());
        RowState waiting = row(campaign, "greylist1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), waiting.status);
        CPPUNIT_ASSERT_EQUAL(1, waiting.attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 08:01:00"), waiting.nextAttemptAt);
        CPPUNIT_ASSERT_MESSAGE(waiting.detail, waiting.detail.find("451 4.7.1") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));

        advance(0, 30); // before the back-off: not yet
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _server->receivedCount());

        advance(0, 31);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(5L, count(campaign, "sent"));
        std::map<std::string, int> received = receivedByAddress();
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
        CPPUNIT_ASSERT_EQUAL(1, refusalsOf("greylist1@example.org"));
    }

    void testRefusedRecipientsFailWithTheServersTextAndAreNotRetried()
    {
        startServer();
        long campaign =
            newCampaign({"ok1@example.org", "reject1@example.org", "ok2@example.org", "reject2@example.org"});
        sendNow(campaign);
        runOnce();
        RowState refused = row(campaign, "reject1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("550 5.1.1 <reject1@example.org>: mailbox unavailable"),
                             refused.detail);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "failed"));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "sent"));

        advance(24 * 60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(1, refusalsOf("reject1@example.org"));
        CPPUNIT_ASSERT_EQUAL(1, refusalsOf("reject2@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedCount());
    }

    void testRecipientRefusedForAWhileFailsAfterTheLastAttempt()
    {
        startServer();
        settings.maxAttempts = 3;
        long campaign = newCampaign({"ok1@example.org", "later1@example.org"});
        sendNow(campaign);
        runOnce();
        advance(1, 1); // 60 s, then 120 s between attempts
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 08:03:01"),
                             row(campaign, "later1@example.org").nextAttemptAt);
        advance(2);
        runOnce();
        RowState given = row(campaign, "later1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), given.status);
        CPPUNIT_ASSERT_EQUAL(3, given.attempts);
        CPPUNIT_ASSERT(given.detail.find("451 4.7.1") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        advance(60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(3, refusalsOf("later1@example.org"));
    }

    void testCampaignWaitsForAServerThatIsDownAndThenCompletes()
    {
        _smtp.host = "127.0.0.1";
        _smtp.port = SmtpServer::closedPort();
        long campaign = newCampaign(6);
        sendNow(campaign);
        CPPUNIT_ASSERT(runOnce());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(6L, count(campaign, "queued"));
        CPPUNIT_ASSERT_EQUAL(0L, count(campaign, "failed"));
        RowState first = row(campaign, "person1@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 08:01:00"), first.nextAttemptAt);
        CPPUNIT_ASSERT_EQUAL(0, first.attempts); // the server never saw it
        CPPUNIT_ASSERT(!first.detail.empty());

        advance(5);
        CPPUNIT_ASSERT(runOnce());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(std::string(""), campaignText(campaign, "pause_reason"));

        startServer();
        advance(5);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(6L, count(campaign, "sent"));
        std::map<std::string, int> received = receivedByAddress();
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
    }

    void testSlowDownHoldsBackTheWholeDomainAndNotTheOthers()
    {
        startServer();
        settings.workers = 1;
        long campaign =
            newCampaign({"ok1@example.org", "slowdown1@example.org", "ok2@example.org", "ok3@example.net"});
        sendNow(campaign);
        runOnce();
        std::map<std::string, int> first = receivedByAddress();
        CPPUNIT_ASSERT_EQUAL(1, first["ok1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, first["ok3@example.net"]); // another domain goes on
        CPPUNIT_ASSERT_EQUAL(0, first["ok2@example.org"]);
        RowState slowed = row(campaign, "slowdown1@example.org"), held = row(campaign, "ok2@example.org");
        CPPUNIT_ASSERT_MESSAGE(slowed.detail, slowed.detail.find("421 4.7.0") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), held.status);
        CPPUNIT_ASSERT_EQUAL(slowed.nextAttemptAt, held.nextAttemptAt);
        CPPUNIT_ASSERT_EQUAL(0, held.attempts); // waiting for the domain is not the recipient's fault

        advance(1, 1);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        std::map<std::string, int> received = receivedByAddress();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
    }

    void testSameRefusalAgainAndAgainPausesTheCampaignSayingWhy()
    {
        startServer();
        settings.workers = 1;
        settings.pauseAfterFailures = 3;
        long campaign = newCampaign({"ok1@example.org", "reject1@example.org", "reject2@example.org",
                                     "reject3@example.org", "reject4@example.org", "ok2@example.org"});
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        std::string reason = campaignText(campaign, "pause_reason");
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("3 messages in a row") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(reason, reason.find("550 5.1.1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "failed"));
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), row(campaign, "reject4@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), row(campaign, "ok2@example.org").status);

        deliveries().resume(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(4L, count(campaign, "failed"));
    }

    void testBusyMailboxWhoseAddressHoldsRateDelaysOnlyItsOwnRow()
    {
        startServer();
        settings.workers = 1;
        long campaign = newCampaign({"busy-pirate@corporate.example", "ok1@corporate.example"});
        sendNow(campaign);
        runOnce();
        // "451 4.1.1 <busy-pirate@corporate.example>: mailbox busy" is that one mailbox's.
        CPPUNIT_ASSERT_EQUAL(1, receivedByAddress()["ok1@corporate.example"]);
        RowState busy = row(campaign, "busy-pirate@corporate.example");
        CPPUNIT_ASSERT_MESSAGE(busy.detail, busy.detail.find("451 4.1.1") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), busy.status);
        CPPUNIT_ASSERT_EQUAL(1, busy.attempts);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "ok1@corporate.example").status);
    }

    void testRateLimitCodeHoldsBackTheWholeDomain()
    {
        startServer();
        settings.workers = 1;
        long campaign =
            newCampaign({"ok1@example.org", "ratelimit1@example.org", "ok2@example.org", "ok3@example.net"});
        sendNow(campaign);
        runOnce();
        std::map<std::string, int> first = receivedByAddress();
        CPPUNIT_ASSERT_EQUAL(1, first["ok1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, first["ok3@example.net"]);
        CPPUNIT_ASSERT_EQUAL(0, first["ok2@example.org"]);
        RowState limited = row(campaign, "ratelimit1@example.org"), held = row(campaign, "ok2@example.org");
        CPPUNIT_ASSERT_MESSAGE(limited.detail, limited.detail.find("451 4.7.28") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), held.status);
        CPPUNIT_ASSERT_EQUAL(limited.nextAttemptAt, held.nextAttemptAt);
        CPPUNIT_ASSERT_EQUAL(0, held.attempts);

        advance(1, 1);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
    }

private:
    void startServer()
    {
        _server = std::make_unique<SmtpServer>(_folder->path());
        _smtp = _server->settings();
    }

    std::map<std::string, int> receivedByAddress() const
    {
        std::map<std::string, int> byAddress;
        for (std::size_t i = 1; i <= _server->receivedCount(); ++i)
        {
            Poco::JSON::Array::Ptr to = _server->receivedInfo(i)->getArray("rcpt_tos");
            for (std::size_t j = 0; j < to->size(); ++j)
                ++byAddress[to->getElement<std::string>(j)];
        }
        return byAddress;
    }

    int refusalsOf(const std::string& address) const
    {
        std::string lines = ScratchFolder::read(_folder->path() + "/refusals");
        int times = 0;
        for (std::size_t at = lines.find(" " + address + "\n"); at != std::string::npos;
             at = lines.find(" " + address + "\n", at + 1))
            ++times;
        return times;
    }

    std::unique_ptr<ScratchFolder> _folder;
    std::unique_ptr<SmtpServer> _server;
    MassMailing::SmtpSettings _smtp;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchSmtpFaultsTest, "dispatch");
} // namespace DeliveryTests
