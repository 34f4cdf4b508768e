#include "audience/Suppressions.h"
#include "TestDatabase.h"
#include <Poco/Exception.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using MassMailing::Suppression;
using MassMailing::Suppressions;
using MassMailing::UnsubscribeMethod;

// Who left a group's messages (X1), on the database CRMHOST_TEST_DB names.
class SuppressionsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SuppressionsTest);
    CPPUNIT_TEST(testUnsubscribedAddressIsKnownAsSuch);
    CPPUNIT_TEST(testUnsubscribeIsIdempotentAndKeepsTheFirstTime);
    CPPUNIT_TEST(testAddressIsComparedByItsIdentity);
    CPPUNIT_TEST(testWhatIsNotAnAddressIsRefused);
    CPPUNIT_TEST(testUnsubscriptionIsPerGroup);
    CPPUNIT_TEST(testUnsubscriptionWithoutCampaignIsRecorded);
    CPPUNIT_TEST(testResubscribeTakesTheUnsubscriptionBack);
    CPPUNIT_TEST(testGroupNameIsFound);
    CPPUNIT_TEST(testBouncedAddressIsSuppressedInItsGroupByItsIdentity);
    CPPUNIT_TEST(testLiftedSuppressionNoLongerHoldsAndABounceSuppressesAgain);
    CPPUNIT_TEST(testOlderBlockOfEveryGroupStillSuppresses);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_suppressions");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP des Capucins'), ('crm', "
                   "'Conseil')",
            now;
        std::vector<Poco::Int64> ids;
        session << "SELECT id FROM host_groups ORDER BY id", into(ids), now;
        _amap = long(ids.at(0));
        _council = long(ids.at(1));
        _suppressions = std::make_unique<Suppressions>(*_database);
    }

    void tearDown() override
    {
        _suppressions.reset();
        _database.reset();
    }

    void testUnsubscribedAddressIsKnownAsSuch()
    {
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, "marie@example.org"));
        CPPUNIT_ASSERT(_suppressions->unsubscribe(_amap, "marie@example.org", 5, UnsubscribeMethod::Link));
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "marie@example.org"));
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, "paul@example.org"));
    }

    void testUnsubscribeIsIdempotentAndKeepsTheFirstTime()
    {
        CPPUNIT_ASSERT(_suppressions->unsubscribe(_amap, "marie@example.org", 5, UnsubscribeMethod::Link));
        auto first = _suppressions->find(_amap, "marie@example.org");
        CPPUNIT_ASSERT(first.has_value());
        CPPUNIT_ASSERT_EQUAL(5L, first->campaignId);
        CPPUNIT_ASSERT(first->method == UnsubscribeMethod::Link);
        Poco::DateTime now;
        CPPUNIT_ASSERT(std::abs((now - first->createdAt).totalSeconds()) < 60);

        Poco::Thread::sleep(1100); // DATETIME keeps seconds: a second time must be a later second.
        CPPUNIT_ASSERT(
            !_suppressions->unsubscribe(_amap, "marie@example.org", 6, UnsubscribeMethod::OneClick));
        auto again = _suppressions->find(_amap, "marie@example.org");
        CPPUNIT_ASSERT(again.has_value());
        CPPUNIT_ASSERT(again->createdAt == first->createdAt);
        CPPUNIT_ASSERT_EQUAL(5L, again->campaignId);
        CPPUNIT_ASSERT(again->method == UnsubscribeMethod::Link);
        CPPUNIT_ASSERT_EQUAL(1, rows());
    }

    void testAddressIsComparedByItsIdentity()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"),
                             Suppressions::normalise("  Alice@Example.ORG\t"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), Suppressions::normalise("alice@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"a@b\"@example.org"),
                             Suppressions::normalise("\"A@b\"@EXAMPLE.org"));

        _suppressions->unsubscribe(_amap, " Alice@Example.ORG ", 0, UnsubscribeMethod::Link);
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "Alice@example.org"));
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "Alice@EXAMPLE.ORG"));
        // Whoever left as Alice@ is not mailed at alice@ (finding 1): one mailbox, one row.
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "alice@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"),
                             _suppressions->find(_amap, "ALICE@example.org")->address);
        CPPUNIT_ASSERT(
            !_suppressions->unsubscribe(_amap, "alice@EXAMPLE.org", 0, UnsubscribeMethod::OneClick));
        CPPUNIT_ASSERT_EQUAL(1, rows());
    }

    void testWhatIsNotAnAddressIsRefused()
    {
        for (const std::string& bad :
             {std::string(""), std::string("   "), std::string("marie"), std::string("@example.org"),
              std::string("marie@"), std::string(315, 'a') + "@b.org"})
            CPPUNIT_ASSERT_THROW_MESSAGE("\"" + bad + "\"",
                                         _suppressions->unsubscribe(_amap, bad, 0, UnsubscribeMethod::Admin),
                                         Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_EQUAL(0, rows());
    }

    void testUnsubscriptionIsPerGroup()
    {
        _suppressions->unsubscribe(_amap, "marie@example.org", 5, UnsubscribeMethod::Link);
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, "marie@example.org"));
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_council, "marie@example.org"));
    }

    void testUnsubscriptionWithoutCampaignIsRecorded()
    {
        CPPUNIT_ASSERT(_suppressions->unsubscribe(_council, "paul@example.org", 0, UnsubscribeMethod::Admin));
        auto found = _suppressions->find(_council, "paul@example.org");
        CPPUNIT_ASSERT(found.has_value());
        CPPUNIT_ASSERT_EQUAL(0L, found->campaignId);
        CPPUNIT_ASSERT(found->method == UnsubscribeMethod::Admin);
        Poco::Data::Session session = _database->session();
        int nulls = 0;
        session << "SELECT COUNT(*) FROM mm_unsubscribes WHERE campaign_id IS NULL", into(nulls), now;
        CPPUNIT_ASSERT_EQUAL(1, nulls);
    }

    void testResubscribeTakesTheUnsubscriptionBack()
    {
        _suppressions->unsubscribe(_amap, "marie@example.org", 5, UnsubscribeMethod::OneClick);
        CPPUNIT_ASSERT(_suppressions->resubscribe(_amap, "marie@EXAMPLE.org"));
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, "marie@example.org"));
        CPPUNIT_ASSERT(!_suppressions->resubscribe(_amap, "marie@example.org"));
        // Leaving again later is recorded anew.
        CPPUNIT_ASSERT(_suppressions->unsubscribe(_amap, "marie@example.org", 7, UnsubscribeMethod::Link));
        CPPUNIT_ASSERT_EQUAL(7L, _suppressions->find(_amap, "marie@example.org")->campaignId);
    }

    void testGroupNameIsFound()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("AMAP des Capucins"), _suppressions->groupName(_amap).value_or(""));
        CPPUNIT_ASSERT(!_suppressions->groupName(_council + 1000).has_value());
    }

    void testBouncedAddressIsSuppressedInItsGroupByItsIdentity()
    {
        Poco::DateTime at(2026, 12, 3, 10, 0, 0);
        CPPUNIT_ASSERT(_suppressions->suppress(_amap, " Paul@Example.ORG", "bounced", "550 5.1.1 unknown user", 4, at));
        CPPUNIT_ASSERT(!_suppressions->suppress(_amap, "paul@example.org", "complained", "", 5, at)); // the first is kept
        CPPUNIT_ASSERT_THROW(_suppressions->suppress(_amap, "paul@example.org", "tired", "", 0, at),
                             Poco::InvalidArgumentException);
        _suppressions->unsubscribe(_amap, "MARIE@example.org", 0, UnsubscribeMethod::Link);
        auto found =
            _suppressions->reasons(_council, {"PAUL@example.org", "marie@example.org", "anne@example.org"});
        CPPUNIT_ASSERT(found.empty()); // Paul bounced in the AMAP's campaign, Marie left the AMAP only
        found = _suppressions->reasons(_amap, {"marie@example.org", "Paul@example.org", "anne@example.org"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), found.size());
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), found.at("marie@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), found.at("Paul@example.org"));
    }

    void testLiftedSuppressionNoLongerHoldsAndABounceSuppressesAgain()
    {
        Poco::DateTime at(2026, 12, 3, 10, 0, 0);
        _suppressions->suppress(_amap, "paul@example.org", "complained", "abuse", 4, at);
        {
            Poco::Data::Session session = _database->session();
            session << "UPDATE mm_group_suppressions SET lifted_at = '2026-12-03 11:00:00', lifted_by = 1, "
                       "lift_reason = 'asked by phone'",
                Poco::Data::Keywords::now;
        }
        CPPUNIT_ASSERT(_suppressions->reasons(_amap, {"paul@example.org"}).empty());
        CPPUNIT_ASSERT(_suppressions->suppress(_amap, "paul@example.org", "bounced", "550 gone", 6, at));
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), _suppressions->reasons(_amap, {"paul@example.org"}).at("paul@example.org"));
    }

    void testOlderBlockOfEveryGroupStillSuppresses()
    {
        {
            Poco::Data::Session session = _database->session();
            session << "INSERT INTO mm_address_blocks (address, reason, detail, created_at) VALUES "
                       "('paul@example.org', 'complained', '', '2025-01-01 00:00:00')",
                Poco::Data::Keywords::now;
        }
        CPPUNIT_ASSERT_EQUAL(std::string("complained"),
                             _suppressions->reasons(_council, {"Paul@example.org"}).at("Paul@example.org"));
    }

private:
    int rows()
    {
        Poco::Data::Session session = _database->session();
        int count = 0;
        session << "SELECT COUNT(*) FROM mm_unsubscribes", into(count), now;
        return count;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<Suppressions> _suppressions;
    long _amap = 0;
    long _council = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SuppressionsTest);
