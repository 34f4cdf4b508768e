#include "tracking/AddressLog.h"
#include "FieldException.h"
#include "TestDatabase.h"
#include "audience/EmailAddress.h"
#include "audience/RecipientDirectory.h"
#include "audience/Suppressions.h"
#include "delivery/Deliveries.h"
#include "delivery/TestSends.h"
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using MassMailing::AddressLog;
using MassMailing::AddressLogReport;
using MassMailing::Deliveries;
using MassMailing::FieldException;
using MassMailing::StateException;
using MassMailing::Suppressions;
using MassMailing::UnsubscribeMethod;

// One address's delivery log (R5), lifting a suppression and sending a campaign again, on the
// database CRMHOST_TEST_DB names. The results of other stages (bounces, opens, clicks) are
// written here with SQL, as their writers leave them.
class AddressLogTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AddressLogTest);
    CPPUNIT_TEST(testLogShowsBothCampaignsAndTheTestOfTheAddressWhateverItsCase);
    CPPUNIT_TEST(testLogSaysWhetherTheAddressIsStillAMember);
    CPPUNIT_TEST(testSuppressionsAreShownWithTheirDatesAndWhoLiftedThem);
    CPPUNIT_TEST(testGroupListShowsTheSuppressionsThatHoldNewestFirst);
    CPPUNIT_TEST(testLiftNeedsAReasonAndIsRecorded);
    CPPUNIT_TEST(testUnsubscriptionIsNotLiftedByAUser);
    CPPUNIT_TEST(testResendIsRecordedAndQueuesTheRowAgain);
    CPPUNIT_TEST(testResendIsRefusedWhenTheAddressIsSuppressed);
    CPPUNIT_TEST(testResendIsRefusedForACancelledCampaignOrARowNeverSent);
    CPPUNIT_TEST(testResendToAnAddressFindsItsRow);
    CPPUNIT_TEST(testWhatIsNotAnAddressIsRefusedNamingTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_address_log");
        const CrmHostTests::TwoFoodGroups world = CrmHostTests::seedTwoFoodGroups(
            *_database, "Marie", "Curie", "Marie.Curie@example.org", "coordinatrice");
        _amap = world.group;
        _other = world.otherGroup;
        _marie = world.person;
        _user = world.user;

        _suppressions = std::make_unique<Suppressions>(*_database);
        _testSends = std::make_unique<MassMailing::TestSends>(*_database);
        _directory = std::make_unique<MassMailing::RecipientDirectory>(*_database);
        _log = std::make_unique<AddressLog>(*_database, *_suppressions, *_testSends, *_directory);
        _deliveries =
            std::make_unique<Deliveries>(*_database, [] { return Poco::DateTime(2026, 12, 3, 10); });
    }

    void tearDown() override
    {
        _deliveries.reset();
        _log.reset();
        _directory.reset();
        _testSends.reset();
        _suppressions.reset();
        _database.reset();
    }

    void testLogShowsBothCampaignsAndTheTestOfTheAddressWhateverItsCase()
    {
        long october = campaign(_amap, "Octobre", "done");
        long november = campaign(_amap, "Novembre", "done");
        long elsewhere = campaign(_other, "Ailleurs", "done");
        long opened = row(october, "Marie.Curie@example.org", "sent", "2026-10-01 08:00:00");
        execute("UPDATE mm_recipients SET opens = 3, machine_opens = 1, clicks = 2, first_open_at = "
                "'2026-10-01 09:15:00' WHERE id = " +
                std::to_string(opened));
        long bounced = row(november, "marie.curie@example.org", "sent", "2026-11-01 08:00:00");
        execute("UPDATE mm_recipients SET status = 'bounced', bounce = 'hard', bounce_detail = '550 5.1.1 "
                "<marie.curie@example.org>: "
                "user unknown', bounced_at = '2026-11-01 08:01:00' WHERE id = " +
                std::to_string(bounced));
        row(elsewhere, "marie.curie@example.org", "sent", "2026-11-02 08:00:00");
        row(november, "paul@example.org", "sent", "2026-11-01 08:00:00");
        _testSends->record(_amap, november, "MARIE.CURIE@example.org", "person:1", "2026-10-30 17:00:00");
        _testSends->record(_other, elsewhere, "marie.curie@example.org", "person:1", "2026-10-30 17:00:00");

        AddressLogReport report = _log->of(_amap, "food", "  Marie.CURIE@Example.org ");
        CPPUNIT_ASSERT_EQUAL(std::string("marie.curie@example.org"), report.address);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.deliveries.size());
        // Newest first: November bounced, with the server's text; October opened and clicked.
        CPPUNIT_ASSERT_EQUAL(std::string("Novembre"), report.deliveries[0].campaignName);
        CPPUNIT_ASSERT_EQUAL(std::string("hard"), report.deliveries[0].bounce);
        CPPUNIT_ASSERT_EQUAL(std::string("550 5.1.1 <marie.curie@example.org>: user unknown"),
                             report.deliveries[0].bounceDetail);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-01 08:01:00"), report.deliveries[0].bouncedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("Octobre"), report.deliveries[1].campaignName);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), report.deliveries[1].status);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-01 08:00:00"), report.deliveries[1].sentAt);
        CPPUNIT_ASSERT_EQUAL(3L, report.deliveries[1].opens);
        CPPUNIT_ASSERT_EQUAL(1L, report.deliveries[1].machineOpens);
        CPPUNIT_ASSERT_EQUAL(2L, report.deliveries[1].clicks);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-01 09:15:00"), report.deliveries[1].firstOpenAt);
        CPPUNIT_ASSERT(report.deliveries[1].canSendAgain);
        // The test of this group only, as it was addressed.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.tests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Novembre"), report.tests[0].campaignName);
        CPPUNIT_ASSERT_EQUAL(std::string("MARIE.CURIE@example.org"), report.tests[0].sentTo);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-30 17:00:00"), report.tests[0].at);
        CPPUNIT_ASSERT(!report.suppressed());
    }

    void testLogSaysWhetherTheAddressIsStillAMember()
    {
        AddressLogReport marie = _log->of(_amap, "food", "marie.curie@EXAMPLE.org");
        CPPUNIT_ASSERT(marie.member());
        CPPUNIT_ASSERT_EQUAL(std::string("Marie"), marie.people.at(0).firstName);
        execute("DELETE FROM memberships WHERE person_id = " + std::to_string(_marie));
        CPPUNIT_ASSERT(!_log->of(_amap, "food", "marie.curie@example.org").member());
        CPPUNIT_ASSERT(!_log->of(_other, "food", "paul@example.org").member());
    }

    void testSuppressionsAreShownWithTheirDatesAndWhoLiftedThem()
    {
        long november = campaign(_amap, "Novembre", "done");
        _suppressions->unsubscribe(_amap, "paul@example.org", november, UnsubscribeMethod::Link);
        suppress(_amap, "marie.curie@example.org", "bounced", "550 user unknown", november,
                 "2026-11-01 08:01:00");
        _suppressions->lift(_amap, "Marie.Curie@example.org", _user, "She fixed her mailbox");
        suppress(_other, "marie.curie@example.org", "complained", "", 0, "2026-11-02 08:00:00");

        AddressLogReport marie = _log->of(_amap, "food", "marie.curie@example.org");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), marie.suppressions.size());
        const auto& bounce = marie.suppressions[0];
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), bounce.reason);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-01 08:01:00"), bounce.at);
        CPPUNIT_ASSERT_EQUAL(std::string("550 user unknown"), bounce.detail);
        CPPUNIT_ASSERT(!bounce.holds());
        CPPUNIT_ASSERT_EQUAL(std::size_t(19), bounce.liftedAt.size());
        CPPUNIT_ASSERT_EQUAL(std::string("She fixed her mailbox"), bounce.liftReason);
        CPPUNIT_ASSERT_EQUAL(std::string("coordinatrice"), marie.logins.at(bounce.liftedBy));
        CPPUNIT_ASSERT(!marie.suppressed());

        AddressLogReport paul = _log->of(_amap, "food", "paul@example.org");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paul.suppressions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), paul.suppressions[0].reason);
        CPPUNIT_ASSERT_EQUAL(std::string("link"), paul.suppressions[0].detail);
        CPPUNIT_ASSERT_EQUAL(november, paul.suppressions[0].campaignId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(19), paul.suppressions[0].at.size());
        CPPUNIT_ASSERT(paul.suppressed());
        CPPUNIT_ASSERT(!paul.suppressions[0].liftable());
    }

    void testGroupListShowsTheSuppressionsThatHoldNewestFirst()
    {
        suppress(_amap, "a@example.org", "bounced", "550", 0, "2026-11-01 08:00:00");
        suppress(_amap, "b@example.org", "complained", "", 0, "2026-11-03 08:00:00");
        suppress(_amap, "c@example.org", "bounced", "550", 0, "2026-11-02 08:00:00");
        suppress(_other, "d@example.org", "bounced", "550", 0, "2026-11-02 08:00:00");
        _suppressions->lift(_amap, "c@example.org", _user, "typo fixed");
        _suppressions->unsubscribe(_amap, "e@example.org", 0, UnsubscribeMethod::OneClick);

        auto listed = _suppressions->listed(_amap, 10, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), listed.size());
        CPPUNIT_ASSERT_EQUAL(3L, _suppressions->countListed(_amap));
        CPPUNIT_ASSERT_EQUAL(std::string("e@example.org"), listed[0].address); // now
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), listed[0].reason);
        CPPUNIT_ASSERT_EQUAL(std::string("b@example.org"), listed[1].address);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-03 08:00:00"), listed[1].at);
        CPPUNIT_ASSERT_EQUAL(std::string("a@example.org"), listed[2].address);
        auto second = _suppressions->listed(_amap, 1, 1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), second.size());
        CPPUNIT_ASSERT_EQUAL(std::string("b@example.org"), second[0].address);
    }

    void testLiftNeedsAReasonAndIsRecorded()
    {
        suppress(_amap, "marie.curie@example.org", "bounced", "550", 0, "2026-11-01 08:00:00");
        for (const std::string blank : {"", "   "})
        {
            try
            {
                _suppressions->lift(_amap, "marie.curie@example.org", _user, blank);
                CPPUNIT_FAIL("a lift without a reason was accepted");
            }
            catch (const FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("reason"), error.field());
            }
        }
        CPPUNIT_ASSERT(_suppressions->ofAddress(_amap, "marie.curie@example.org").at(0).holds());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _suppressions->reasons(_amap, {"marie.curie@example.org"}).size());

        _suppressions->lift(_amap, "MARIE.curie@example.org", _user, "  The person asked on the phone ");
        auto entries = _suppressions->ofAddress(_amap, "marie.curie@example.org");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), entries.size());
        CPPUNIT_ASSERT(!entries[0].holds());
        CPPUNIT_ASSERT_EQUAL(_user, Poco::Int64(entries[0].liftedBy));
        CPPUNIT_ASSERT_EQUAL(std::string("The person asked on the phone"), entries[0].liftReason);
        CPPUNIT_ASSERT_EQUAL(0L, _suppressions->countListed(_amap));
        // Lifted, it no longer keeps the address from the group's messages.
        CPPUNIT_ASSERT(_suppressions->reasons(_amap, {"marie.curie@example.org"}).empty());
        // A second lift finds nothing to lift, and says so.
        try
        {
            _suppressions->lift(_amap, "marie.curie@example.org", _user, "again");
            CPPUNIT_FAIL("a lifted suppression was lifted again");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("address"), error.field());
            CPPUNIT_ASSERT_EQUAL(std::string("not_suppressed"), error.code());
        }
    }

    void testUnsubscriptionIsNotLiftedByAUser()
    {
        _suppressions->unsubscribe(_amap, "paul@example.org", 0, UnsubscribeMethod::Link);
        try
        {
            _suppressions->lift(_amap, "paul@example.org", _user, "he wants the news");
            CPPUNIT_FAIL("a user lifted an unsubscription");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("address"), error.field());
            CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), error.code());
        }
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "paul@example.org"));
    }

    void testResendIsRecordedAndQueuesTheRowAgain()
    {
        long november = campaign(_amap, "Novembre", "done");
        long bounced = row(november, "Marie.Curie@example.org", "sent", "2026-11-01 08:00:00");
        execute("UPDATE mm_recipients SET bounce = 'soft', bounce_detail = '452 mailbox full' WHERE id = " +
                std::to_string(bounced));
        try
        {
            _deliveries->sendAgain(november, bounced, _user, " ");
            CPPUNIT_FAIL("a resend without a reason was accepted");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("reason"), error.field());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), statusOf(bounced));

        long id = _deliveries->sendAgain(november, bounced, _user, "Her mailbox has room again");
        CPPUNIT_ASSERT(id > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), statusOf(bounced));
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), _deliveries->status(november));
        AddressLogReport report = _log->of(_amap, "food", "marie.curie@example.org");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.resends.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), report.resends[0].previousStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("452 mailbox full"), report.resends[0].previousDetail);
        CPPUNIT_ASSERT_EQUAL(std::string("coordinatrice"), report.resends[0].requestedByLogin);
        CPPUNIT_ASSERT_EQUAL(std::string("Her mailbox has room again"), report.resends[0].reason);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-03 10:00:00"), report.resends[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string(""), report.deliveries.at(0).bounce); // the new send's to come
        CPPUNIT_ASSERT(!report.deliveries.at(0).canSendAgain);                 // queued already
    }

    void testResendIsRefusedWhenTheAddressIsSuppressed()
    {
        long november = campaign(_amap, "Novembre", "done");
        long marie = row(november, "marie.curie@example.org", "sent", "2026-11-01 08:00:00");
        long paul = row(november, "paul@example.org", "failed", "");
        suppress(_amap, "marie.curie@example.org", "bounced", "550", november, "2026-11-01 08:01:00");
        _suppressions->unsubscribe(_amap, "Paul@example.org", 0, UnsubscribeMethod::Link);
        for (auto [rowId, reason] : {std::pair<long, std::string>{marie, "bounced"}, {paul, "unsubscribed"}})
        {
            try
            {
                _deliveries->sendAgain(november, rowId, _user, "please");
                CPPUNIT_FAIL("a suppressed address was sent again");
            }
            catch (const FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("address"), error.field());
                CPPUNIT_ASSERT_EQUAL(reason, error.code());
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), statusOf(marie));
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), statusOf(paul));
        CPPUNIT_ASSERT_EQUAL(std::string("done"), _deliveries->status(november));
        CPPUNIT_ASSERT_EQUAL(0L, count("SELECT COUNT(*) FROM mm_resends"));
    }

    void testResendIsRefusedForACancelledCampaignOrARowNeverSent()
    {
        long cancelled = campaign(_amap, "Annulée", "cancelled");
        long sentRow = row(cancelled, "marie.curie@example.org", "sent", "2026-11-01 08:00:00");
        CPPUNIT_ASSERT_THROW(_deliveries->sendAgain(cancelled, sentRow, _user, "please"), StateException);
        CPPUNIT_ASSERT(!Deliveries::canSendAgain("cancelled", "sent"));
        long done = campaign(_amap, "Finie", "done");
        long leftOut = row(done, "paul@example.org", "left_out", "");
        try
        {
            _deliveries->sendAgain(done, leftOut, _user, "please");
            CPPUNIT_FAIL("a row never sent was sent again");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("recipient"), error.field());
            CPPUNIT_ASSERT_EQUAL(std::string("not_sent"), error.code());
        }
        // A row of another campaign is not this one's.
        CPPUNIT_ASSERT_THROW(_deliveries->sendAgain(done, sentRow, _user, "please"), FieldException);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), statusOf(sentRow));
        CPPUNIT_ASSERT_EQUAL(0L, count("SELECT COUNT(*) FROM mm_resends"));
    }

    void testResendToAnAddressFindsItsRow()
    {
        long november = campaign(_amap, "Novembre", "sending");
        long failed = row(november, "Marie.Curie@example.org", "failed", "");
        _deliveries->sendAgainTo(november, "MARIE.CURIE@EXAMPLE.ORG", _user, "the server is back");
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), statusOf(failed));
        CPPUNIT_ASSERT_THROW(_deliveries->sendAgainTo(november, "nobody@example.org", _user, "x"),
                             FieldException);
    }

    void testWhatIsNotAnAddressIsRefusedNamingTheField()
    {
        try
        {
            _log->of(_amap, "food", "not an address");
            CPPUNIT_FAIL("a log of no address was read");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("address"), error.field());
        }
    }

private:
    void execute(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        session << sql, now;
    }

    long count(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        Poco::Int64 n = 0;
        session << sql, into(n), now;
        return long(n);
    }

    long campaign(long group, const std::string& name, const std::string& status)
    {
        Poco::Data::Session session = _database->session();
        std::string n = name, s = status;
        session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, status, started_at, html, "
                   "text_body) "
                   "VALUES (?, 'members', ?, ?, '2026-10-01 08:00:00', '', '')",
            use(group), use(n), use(s), now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
        return long(id);
    }

    long row(long campaignId, const std::string& email, const std::string& status, const std::string& sentAt)
    {
        Poco::Data::Session session = _database->session();
        std::string e = email, s = status, key = MassMailing::EmailAddress::identity(email);
        std::string reason = status == "left_out" ? "unchecked" : "";
        Poco::Data::Statement insert(session);
        insert << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, dedupe_key, "
                  "status, "
                  "reason, sent_at) VALUES (?, 1, 'person', 0, ?, ?, ?, ?, " +
                      std::string(sentAt.empty() ? "NULL)" : "'" + sentAt + "')"),
            use(campaignId), use(e), use(key), use(s), use(reason);
        insert.execute();
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_recipients", into(id), now;
        return long(id);
    }

    void suppress(long group, const std::string& address, const std::string& reason,
                  const std::string& detail, long campaignId, const std::string& at)
    {
        Poco::Data::Session session = _database->session();
        std::string a = address, r = reason, d = detail, t = at;
        session << "INSERT INTO mm_group_suppressions (group_id, address, reason, detail, campaign_id, "
                   "created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
            use(group), use(a), use(r), use(d), use(campaignId), use(t), now;
    }

    std::string statusOf(long rowId)
    {
        Poco::Data::Session session = _database->session();
        std::string status;
        session << "SELECT status FROM mm_recipients WHERE id = ?", use(rowId), into(status), now;
        return status;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<Suppressions> _suppressions;
    std::unique_ptr<MassMailing::TestSends> _testSends;
    std::unique_ptr<MassMailing::RecipientDirectory> _directory;
    std::unique_ptr<AddressLog> _log;
    std::unique_ptr<Deliveries> _deliveries;
    long _amap = 0, _other = 0, _marie = 0;
    Poco::Int64 _user = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AddressLogTest);
