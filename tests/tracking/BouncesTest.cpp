#include "tracking/Bounces.h"
#include "GroupSettings.h"
#include "ReportSamples.h"
#include "SuiteSetup.h"
#include "TempFolder.h"
#include "TestDatabase.h"
#include "audience/Audience.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include "content/Campaigns.h"
#include "content/MessageReader.h"
#include "delivery/Deliveries.h"
#include "delivery/Dispatcher.h"
#include "delivery/OutboxTransport.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>

using namespace Poco::Data::Keywords;
using MassMailing::BounceAddress;
using MassMailing::Bounces;
using TrackingTests::sampleReport;

namespace
{
struct Shared
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    long groupId = 0;
};

Shared& shared()
{
    static Shared instance;
    return instance;
}

CrmHost::SqlDatabase& db()
{
    return *shared().database;
}

void execute(const std::string& sql)
{
    Poco::Data::Session session = db().session();
    session << sql, now;
}

std::string text(const std::string& sql, long id)
{
    Poco::Data::Session session = db().session();
    Poco::Data::Statement select(session);
    select << sql, use(id), now;
    Poco::Data::RecordSet set(select);
    if (set.rowCount() == 0 || set.value(0, 0).isEmpty())
        return "";
    return set.value(0, 0).convert<std::string>();
}

long number(const std::string& sql)
{
    Poco::Data::Session session = db().session();
    Poco::Int64 n = 0;
    session << sql, into(n), now;
    return long(n);
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

// What comes back by mail, recorded for the rows it names (R3, A8): rows bounced with the
// server's text, addresses suppressed in the group with the reason, complaints counted,
// auto-replies only recorded; the same report twice changes nothing; a forged or stale token
// is not understood, with the reason. On SQLite and MariaDB.
class BouncesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BouncesTest);
    CPPUNIT_TEST(testHardBounceMarksTheRowBouncedAndSuppressesTheAddress);
    CPPUNIT_TEST(testSameReportTwiceChangesNothingTheSecondTime);
    CPPUNIT_TEST(testReportBeforeTheRowsAnswerIsRecordedStillBouncesIt);
    CPPUNIT_TEST(testSoftBouncesSuppressOnlyPastTheGroupsLimit);
    CPPUNIT_TEST(testSoftBounceGivenUpEndsTheRowBouncedWithoutSuppressing);
    CPPUNIT_TEST(testComplaintSuppressesAtOnceAndIsCounted);
    CPPUNIT_TEST(testAutoReplyIsRecordedAndSuppressesNothing);
    CPPUNIT_TEST(testTestMessagesBounceIsRecordedAndSuppressesNothing);
    CPPUNIT_TEST(testForgedTokenIsNotUnderstoodWithTheReason);
    CPPUNIT_TEST(testStaleTokenIsNotUnderstoodWithTheReason);
    CPPUNIT_TEST(testUnreadableMessageIsNotUnderstoodWithTheReason);
    CPPUNIT_TEST(testThirtyMegabyteMessageIsAnsweredWithinBoundedMemory);
    CPPUNIT_TEST(testBouncedRowStillCountsAsSentForTheQuota);
    CPPUNIT_TEST(testCampaignSentThroughTheOutboxBouncesAndTheNextLeavesThemOut);
    CPPUNIT_TEST_SUITE_END();

public:
    static void open()
    {
        shared().database = CrmHostTests::makeTestDatabase("crmhost_test_bounces");
        Poco::Data::Session session = db().session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('crm', 'Bounce tests')", now;
        Poco::Int64 group = 0;
        session << "SELECT MAX(id) FROM host_groups", into(group), now;
        shared().groupId = long(group);
    }

    static void close() { shared() = Shared(); }

    void setUp() override
    {
        for (const char* table : {"mm_events", "mm_recipients", "mm_campaigns", "mm_group_suppressions",
                                  "mm_group_settings", "mm_unsubscribes", "mm_audience_sources"})
            execute(std::string("DELETE FROM ") + table);
        _moduleSettings = {{"massmailing.bounce.domain", ""},
                           {"massmailing.bounce.soft_limit", "3"},
                           {"massmailing.bounce.soft_days", "30"}};
        _settings = std::make_unique<MassMailing::GroupSettings>(db(), [this](const std::string& key)
                                                                 { return _moduleSettings.at(key); });
        _signer = std::make_unique<BounceAddress>(std::string(32, 'k'));
        _bounces = std::make_unique<Bounces>(db(), *_signer, *_settings);
    }

    void tearDown() override
    {
        _bounces.reset();
        _settings.reset();
    }

    void testHardBounceMarksTheRowBouncedAndSuppressesTheAddress()
    {
        auto rows = sentCampaign({"anne@example.net", "bob@example.net"});
        auto outcome = feed("postfix-hard.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT(contains(outcome.detail, "hard bounce"));
        long anne = rows.at("anne@example.net").recipientRow;
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"),
                             text("SELECT status FROM mm_recipients WHERE id = ?", anne));
        CPPUNIT_ASSERT_EQUAL(std::string("hard"),
                             text("SELECT bounce FROM mm_recipients WHERE id = ?", anne));
        CPPUNIT_ASSERT(contains(text("SELECT bounce_detail FROM mm_recipients WHERE id = ?", anne),
                                "550 5.1.1 <anne@example.net>: Recipient address rejected: User unknown"));
        CPPUNIT_ASSERT(contains(text("SELECT CAST(bounced_at AS CHAR) FROM mm_recipients WHERE id = ?", anne),
                                "2026-12-03 09:15:02"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), text("SELECT status FROM mm_recipients WHERE id = ?",
                                                       rows.at("bob@example.net").recipientRow));
        auto reasons = MassMailing::Suppressions(db()).reasons(shared().groupId,
                                                               {"Anne@example.net", "bob@example.net"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), reasons.size());
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), reasons.at("Anne@example.net"));
        CPPUNIT_ASSERT(contains(
            text("SELECT detail FROM mm_group_suppressions WHERE group_id = ?", shared().groupId), "5.1.1"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'bounce'"));
    }

    void testReportBeforeTheRowsAnswerIsRecordedStillBouncesIt()
    {
        // The server's 250 is in the worker's journal, not yet in the database, when the DSN comes.
        auto rows = sentCampaign({"anne@example.net"});
        long anne = rows.at("anne@example.net").recipientRow;
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'node-a:1', sent_at = NULL WHERE "
                "id = " +
                std::to_string(anne));
        auto outcome = feed("postfix-hard.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"),
                             text("SELECT status FROM mm_recipients WHERE id = ?", anne));
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             text("SELECT lease_owner FROM mm_recipients WHERE id = ?", anne));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
    }

    void testSameReportTwiceChangesNothingTheSecondTime()
    {
        auto rows = sentCampaign({"anne@example.net"});
        CPPUNIT_ASSERT(feed("postfix-hard.eml", rows.at("anne@example.net")).understood);
        std::string before =
            text("SELECT CAST(created_at AS CHAR) FROM mm_group_suppressions WHERE group_id = ?",
                 shared().groupId);
        auto again = feed("postfix-hard.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT(again.understood);
        CPPUNIT_ASSERT(contains(again.detail, "recorded already"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_events"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
        CPPUNIT_ASSERT_EQUAL(before, text("SELECT CAST(created_at AS CHAR) FROM mm_group_suppressions WHERE "
                                          "group_id = ?",
                                          shared().groupId));
        // The same delay report twice counts once towards the soft limit.
        auto delayed = sentCampaign({"carl@example.net"});
        feed("postfix-delayed.eml", delayed.at("carl@example.net"));
        feed("postfix-delayed.eml", delayed.at("carl@example.net"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'delay'"));
    }

    void testSoftBouncesSuppressOnlyPastTheGroupsLimit()
    {
        MassMailing::GroupSettings(db(), [this](const std::string& key) { return _moduleSettings.at(key); })
            .set(shared().groupId, "bounce.soft_limit", "2");
        auto first = sentCampaign({"anne@example.net"});
        auto outcome = feed("postfix-delayed.eml", first.at("anne@example.net"));
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT(contains(outcome.detail, "1 of 2 soft bounces in 30 days"));
        long row = first.at("anne@example.net").recipientRow;
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), text("SELECT status FROM mm_recipients WHERE id = ?", row));
        CPPUNIT_ASSERT_EQUAL(std::string("soft"), text("SELECT bounce FROM mm_recipients WHERE id = ?", row));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
        // A second campaign, a day later: the second soft bounce within 30 days suppresses.
        auto second = sentCampaign({"Anne@example.net"});
        std::string report =
            Poco::replace(sampleReport("postfix-delayed.eml", second.at("Anne@example.net").token),
                          std::string("Fri,  4 Dec 2026 10:15:02"), std::string("Sat,  5 Dec 2026 10:15:02"));
        outcome = _bounces->handle(inbound(report, second.at("Anne@example.net")));
        CPPUNIT_ASSERT(contains(outcome.detail, "2 of 2"));
        CPPUNIT_ASSERT(contains(outcome.detail, "suppressed"));
        auto reasons = MassMailing::Suppressions(db()).reasons(shared().groupId, {"anne@example.net"});
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), reasons.at("anne@example.net"));
        CPPUNIT_ASSERT(
            contains(text("SELECT detail FROM mm_group_suppressions WHERE group_id = ?", shared().groupId),
                     "2 soft bounces in 30 days"));
        CPPUNIT_ASSERT_EQUAL(2L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'delay'"));
    }

    void testSoftBounceGivenUpEndsTheRowBouncedWithoutSuppressing()
    {
        auto rows = sentCampaign({"anne@example.net"});
        long row = rows.at("anne@example.net").recipientRow;
        auto outcome = feed("postfix-soft-failed.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"),
                             text("SELECT status FROM mm_recipients WHERE id = ?", row));
        CPPUNIT_ASSERT_EQUAL(std::string("soft"), text("SELECT bounce FROM mm_recipients WHERE id = ?", row));
        CPPUNIT_ASSERT(
            contains(text("SELECT detail FROM mm_recipients WHERE id = ?", row), "452 4.2.2 Mailbox full"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
        // A later hard bounce of the same row still makes it hard.
        feed("postfix-hard.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT_EQUAL(std::string("hard"), text("SELECT bounce FROM mm_recipients WHERE id = ?", row));
    }

    void testComplaintSuppressesAtOnceAndIsCounted()
    {
        auto rows = sentCampaign({"redacted@example-yahoo.com"});
        auto outcome = feed("arf-complaint.eml", rows.at("redacted@example-yahoo.com"), false);
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        long row = rows.at("redacted@example-yahoo.com").recipientRow;
        CPPUNIT_ASSERT(
            contains(text("SELECT CAST(complained_at AS CHAR) FROM mm_recipients WHERE id = ?", row),
                     "2026-12-03 10:30:00"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), text("SELECT status FROM mm_recipients WHERE id = ?", row));
        CPPUNIT_ASSERT_EQUAL(std::string("complained"),
                             MassMailing::Suppressions(db())
                                 .reasons(shared().groupId, {"redacted@example-yahoo.com"})
                                 .at("redacted@example-yahoo.com"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'complaint'"));
        CPPUNIT_ASSERT_EQUAL(1L,
                             number("SELECT COUNT(*) FROM mm_recipients WHERE complained_at IS NOT NULL"));
    }

    void testAutoReplyIsRecordedAndSuppressesNothing()
    {
        auto rows = sentCampaign({"ivy@example.net"});
        auto outcome = feed("out-of-office.eml", rows.at("ivy@example.net"));
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT(contains(outcome.detail, "auto-reply"));
        CPPUNIT_ASSERT_EQUAL(1L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'auto_reply'"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), text("SELECT bounce FROM mm_recipients WHERE id = ?",
                                                   rows.at("ivy@example.net").recipientRow));
    }

    void testTestMessagesBounceIsRecordedAndSuppressesNothing()
    {
        auto rows = sentCampaign({"anne@example.net"});
        Sent test{0, _signer->token({rows.begin()->second.campaignId, 0, true})};
        test.campaignId = rows.begin()->second.campaignId;
        auto outcome = feed("postfix-hard.eml", test);
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT(contains(outcome.detail, "test message"));
        CPPUNIT_ASSERT_EQUAL(
            1L, number("SELECT COUNT(*) FROM mm_events WHERE kind = 'bounce' AND recipient_row = 0"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_recipients WHERE status = 'bounced'"));
    }

    void testForgedTokenIsNotUnderstoodWithTheReason()
    {
        auto rows = sentCampaign({"anne@example.net"});
        Sent forged = rows.at("anne@example.net");
        forged.token[3] = forged.token[3] == 'a' ? 'b' : 'a';
        auto outcome = feed("postfix-hard.eml", forged);
        CPPUNIT_ASSERT(!outcome.understood);
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, contains(outcome.detail, "did not sign"));
        Sent other{rows.at("anne@example.net").recipientRow,
                   BounceAddress(std::string(32, 'x'))
                       .token({rows.at("anne@example.net").campaignId,
                               rows.at("anne@example.net").recipientRow, false})};
        outcome = feed("postfix-hard.eml", other);
        CPPUNIT_ASSERT(!outcome.understood);
        CPPUNIT_ASSERT(contains(outcome.detail, "another key"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_events"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_group_suppressions"));
    }

    void testStaleTokenIsNotUnderstoodWithTheReason()
    {
        auto rows = sentCampaign({"anne@example.net"});
        Sent stale{rows.at("anne@example.net").recipientRow + 1000, ""};
        stale.campaignId = rows.at("anne@example.net").campaignId;
        stale.token = _signer->token({stale.campaignId, stale.recipientRow, false});
        auto outcome = feed("postfix-hard.eml", stale);
        CPPUNIT_ASSERT(!outcome.understood);
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, contains(outcome.detail, "no longer there"));
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_events"));
    }

    void testUnreadableMessageIsNotUnderstoodWithTheReason()
    {
        auto rows = sentCampaign({"anne@example.net"});
        for (const char* name : {"truncated.eml", "no-recipient.eml", "delivered-dsn.eml"})
        {
            auto outcome = feed(name, rows.at("anne@example.net"), false);
            CPPUNIT_ASSERT(!outcome.understood);
            CPPUNIT_ASSERT(!outcome.detail.empty());
        }
        auto nested =
            _bounces->handle(inbound(TrackingTests::nestedMultiparts(5000), rows.at("anne@example.net")));
        CPPUNIT_ASSERT(!nested.understood);
        CPPUNIT_ASSERT_EQUAL(0L, number("SELECT COUNT(*) FROM mm_events"));
    }

    void testThirtyMegabyteMessageIsAnsweredWithinBoundedMemory()
    {
        auto rows = sentCampaign({"anne@example.net"});
        const Sent& anne = rows.at("anne@example.net");
        CrmHost::InboundMessage message =
            inbound(TrackingTests::largeReport(anne.token, 30 * 1024 * 1024), anne);
        auto outcome = _bounces->handle(message);
        CPPUNIT_ASSERT_MESSAGE(outcome.detail, outcome.understood);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"),
                             text("SELECT status FROM mm_recipients WHERE id = ?", anne.recipientRow));
        // (How much memory reading it takes: DeliveryReportTest, under an address-space limit.)
    }

    void testBouncedRowStillCountsAsSentForTheQuota()
    {
        auto rows = sentCampaign({"anne@example.net", "bob@example.net"});
        MassMailing::Deliveries deliveries(db(), [] { return Poco::DateTime(2026, 12, 3, 12, 0, 0); });
        CPPUNIT_ASSERT_EQUAL(2L, deliveries.sentThisMonth(shared().groupId));
        feed("postfix-hard.eml", rows.at("anne@example.net"));
        CPPUNIT_ASSERT_EQUAL(2L, deliveries.sentThisMonth(shared().groupId));
        CPPUNIT_ASSERT_EQUAL(1L, deliveries.counts(rows.begin()->second.campaignId).at("bounced"));
    }

    void testCampaignSentThroughTheOutboxBouncesAndTheNextLeavesThemOut()
    {
        // A campaign of four, resolved, scheduled and sent by the dispatcher into the outbox.
        CrmHostTests::TempFolder folder("bounces-outbox");
        MassMailing::Campaigns campaigns(db());
        MassMailing::Clock clock = [] { return Poco::DateTime(2026, 12, 3, 8, 0, 0); };
        MassMailing::Deliveries deliveries(db(), clock);
        MassMailing::TargetsLoader loader(db());
        MassMailing::Audience audience(db(), loader, [](long) { return 0L; });
        MassMailing::TestSend::Services services;
        services.transport = [&folder]
        { return std::make_unique<MassMailing::OutboxTransport>(folder.path()); };
        services.links = [](const MassMailing::Campaign&, const MassMailing::Recipient&) {
            return MassMailing::MessageLinks{"https://crm.example.org/u/1", "https://crm.example.org/v/1"};
        };
        services.translate = [](const std::string& key, const std::string&) { return key; };
        services.signer = [] { return std::shared_ptr<const MassMailing::DkimSigner>(); };
        services.files = [](const MassMailing::Campaign&) { return MassMailing::MessageFiles(); };
        services.bounceAddress = std::make_shared<BounceAddress>(std::string(32, 'k'));
        services.bounceDomain = [this](const MassMailing::Campaign& campaign)
        { return _settings->value(campaign.groupId, "bounce.domain"); };
        MassMailing::GroupSettings(db(), [this](const std::string& key) { return _moduleSettings.at(key); })
            .set(shared().groupId, "bounce.domain", "bounces.example.org");
        MassMailing::Dispatcher::Settings settings;
        settings.workers = 1;
        settings.node = "test";
        MassMailing::Dispatcher dispatcher(
            db(), campaigns, deliveries, services, clock, [settings] { return settings; }, [] { return 0L; });

        const std::vector<std::string> addresses{"anne@example.net", "bob@example.com", "carol@example.edu",
                                                 "dave@example.org"};
        long first = draft();
        audience.addAddresses({first, shared().groupId, "contacts", "address"}, addresses);
        CPPUNIT_ASSERT_EQUAL(4L,
                             audience.resolve({first, shared().groupId, "contacts", "address"}, 0).planned);
        deliveries.schedule(first, MassMailing::SendPlan(), false, 0);
        while (dispatcher.runOnce())
            ;
        CPPUNIT_ASSERT_EQUAL(4L, deliveries.counts(first).at("sent"));

        // Each message's envelope sender is its bounce address, its From stays the sender's.
        MassMailing::OutboxTransport outbox(folder.path());
        std::map<std::string, Sent> sent;
        for (const auto& entry : outbox.entries(100))
        {
            std::string bytes = outbox.read(entry.name);
            std::string returnPath = MassMailing::MessageReader::header(bytes, "Return-Path");
            CPPUNIT_ASSERT_MESSAGE(returnPath, contains(returnPath, "@bounces.example.org>"));
            std::string token = MassMailing::MessageReader::header(bytes, "X-MM-Recipient");
            CPPUNIT_ASSERT_EQUAL("<bounce+" + token + "@bounces.example.org>", returnPath);
            CPPUNIT_ASSERT(contains(MassMailing::MessageReader::header(bytes, "From"), "news@example.org"));
            MassMailing::BounceToken named = services.bounceAddress->verify(token);
            CPPUNIT_ASSERT_EQUAL(first, named.campaignId);
            Sent row{named.recipientRow, token};
            row.campaignId = first;
            sent[entry.to] = row;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), sent.size());

        // Anne's server refused her (Postfix), Bob's too (Exim); Carol's is only delayed.
        CPPUNIT_ASSERT(feed("postfix-hard.eml", sent.at("anne@example.net")).understood);
        CPPUNIT_ASSERT(feed("exim-dsn.eml", sent.at("bob@example.com")).understood);
        CPPUNIT_ASSERT(feed("postfix-delayed.eml", sent.at("carol@example.edu")).understood);
        CPPUNIT_ASSERT_EQUAL(2L, deliveries.counts(first).at("bounced"));
        CPPUNIT_ASSERT_EQUAL(2L, deliveries.counts(first).at("sent"));

        // The next campaign to the same four leaves the two bounced addresses out, saying why.
        long next = draft();
        audience.addAddresses({next, shared().groupId, "contacts", "address"}, addresses);
        auto summary = audience.resolve({next, shared().groupId, "contacts", "address"}, 0);
        CPPUNIT_ASSERT_EQUAL(2L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(2L, summary.count("bounced"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("bounced"),
            text("SELECT reason FROM mm_recipients WHERE campaign_id = ? AND email = 'anne@example.net'",
                 next));
        CPPUNIT_ASSERT_EQUAL(
            std::string("left_out"),
            text("SELECT status FROM mm_recipients WHERE campaign_id = ? AND email = 'bob@example.com'",
                 next));
    }

private:
    struct Sent
    {
        long recipientRow = 0;
        std::string token;
        long campaignId = 0;
    };

    long draft()
    {
        Poco::Data::Session session = db().session();
        long group = shared().groupId;
        session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, sender_name, sender_email, "
                   "subject, "
                   "html, text_body) VALUES (?, 'contacts', 'Bounces', 'The AMAP', 'news@example.org', "
                   "'December news', '<p>Hello</p>', 'Hello')",
            use(group), now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
        return long(id);
    }

    // A campaign whose messages went out to these addresses, and each row's signed token.
    std::map<std::string, Sent> sentCampaign(const std::vector<std::string>& addresses)
    {
        long campaign = draft();
        Poco::Data::Session session = db().session();
        std::map<std::string, Sent> rows;
        long n = 0;
        for (std::string address : addresses)
        {
            ++n;
            session << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, "
                       "dedupe_key, "
                       "status, sent_at) VALUES (?, 0, 'person', ?, ?, ?, 'sent', '2026-12-03 08:00:00')",
                use(campaign), use(n), use(address), use(address), now;
            Poco::Int64 id = 0;
            session << "SELECT MAX(id) FROM mm_recipients", into(id), now;
            Sent sent{long(id), _signer->token({campaign, long(id), false})};
            sent.campaignId = campaign;
            rows[address] = sent;
        }
        return rows;
    }

    static CrmHost::InboundMessage inbound(const std::string& raw, const Sent& sent,
                                           bool toBounceAddress = true)
    {
        CrmHost::InboundMessage message;
        message.id = 1;
        message.raw = raw;
        if (toBounceAddress)
            message.recipients = {"bounce+" + sent.token + "@bounces.example.org"};
        else
            message.recipients = {"fbl@example.org"};
        message.receivedAt = Poco::DateTime(2026, 12, 3, 12, 0, 0);
        return message;
    }

    CrmHost::InboundOutcome feed(const std::string& sample, const Sent& sent, bool toBounceAddress = true)
    {
        return _bounces->handle(inbound(sampleReport(sample, sent.token), sent, toBounceAddress));
    }

    std::map<std::string, std::string> _moduleSettings;
    std::unique_ptr<MassMailing::GroupSettings> _settings;
    std::unique_ptr<BounceAddress> _signer;
    std::unique_ptr<Bounces> _bounces;
};

namespace
{
CppUnit::Test* suite()
{
    return new CrmHostTests::SuiteSetup(BouncesTest::suite(), BouncesTest::open, BouncesTest::close);
}

CrmHostTests::SuiteRegistration registration(suite);
} // namespace
