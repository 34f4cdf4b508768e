#include "DemoSeeder.h"
#include "SuiteSetup.h"
#include "TestDatabase.h"
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <memory>
#include <vector>

using namespace Poco::Data::Keywords;

namespace
{
const long People = 2000;
const unsigned long Seed = 7;

/// The database the suite seeds once, shared by its tests (they only read it).
struct SeededDatabase
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    CrmHost::DemoGroups groups{};
};

SeededDatabase& seeded()
{
    static SeededDatabase instance;
    return instance;
}

Poco::Logger& seederLogger()
{
    return Poco::Logger::get("crmhost.test.DemoSeeder");
}

/// The people as the seed made them, in id order; dates left out (they follow the calendar).
struct PersonRows
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> firstNames, lastNames, emails, phones, locales, timeZones;
};

PersonRows readPeople(CrmHost::Database& database)
{
    PersonRows rows;
    Poco::Data::Session session = database.session();
    session
        << "SELECT id, first_name, last_name, COALESCE(email, '<null>'), COALESCE(phone, '<null>'), locale, "
           "time_zone FROM people ORDER BY id",
        into(rows.ids), into(rows.firstNames), into(rows.lastNames), into(rows.emails), into(rows.phones),
        into(rows.locales), into(rows.timeZones), now;
    return rows;
}

std::string checksum(const PersonRows& rows)
{
    Poco::SHA1Engine sha1;
    for (std::size_t i = 0; i < rows.ids.size(); ++i)
    {
        sha1.update(std::to_string(rows.ids[i]) + "|" + rows.firstNames[i] + "|" + rows.lastNames[i] + "|" +
                    rows.emails[i] + "|" + rows.phones[i] + "|" + rows.locales[i] + "|" + rows.timeZones[i] +
                    "\n");
    }
    return Poco::DigestEngine::digestToHex(sha1.digest());
}

/// A plain syntax check, as a recipient loader would make: one @, a local part, a dotted
/// domain, no spaces, no empty labels.
bool looksValid(const std::string& email)
{
    std::size_t at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos)
        return false;
    std::string domain = email.substr(at + 1);
    return email.find(' ') == std::string::npos && email.find("..") == std::string::npos &&
           domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.';
}

std::string nowUtc()
{
    return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%d %H:%M:%S");
}
std::string todayUtc()
{
    return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%d");
}
} // namespace

// The demo data of seed-demo: its size, its determinism, and the cases the audience lists
// must meet (docs/data-model.md lists the rules that decide them).
class DemoSeederTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DemoSeederTest);
    CPPUNIT_TEST(testPeopleAreAsManyAsAskedFor);
    CPPUNIT_TEST(testSameSeedGivesTheSamePeople);
    CPPUNIT_TEST(testAnotherSeedGivesOtherPeople);
    CPPUNIT_TEST(testEachKindOfGroupExistsWithAVerifiedDomain);
    CPPUNIT_TEST(testSomeAddressesAreInvalidDuplicatedOrMissing);
    CPPUNIT_TEST(testSomeMembersNeverLoggedIn);
    CPPUNIT_TEST(testSomeMembersOrderedForTheNextDistributionAndOthersDidNot);
    CPPUNIT_TEST(testSomeMembersNeverOrdered);
    CPPUNIT_TEST(testSomeMembershipFeesAreToRenewOthersUpToDate);
    CPPUNIT_TEST(testCrmHasAccountsContactsLeadsAndSavedFilters);
    CPPUNIT_TEST(testStudioHasUpcomingSessionsWithEveryBookingStatus);
    CPPUNIT_TEST(testSeedingAFilledDatabaseIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    static void seedSharedDatabase()
    {
        seeded().database = makeTestDatabase("crmhost_test_demo_seeder");
        CrmHost::DemoSeeder seeder(*seeded().database, seederLogger());
        seeded().groups = seeder.seed(People, Seed);
    }

    static void dropSharedDatabase() { seeded().database.reset(); }

    void testPeopleAreAsManyAsAskedFor()
    {
        Poco::Int64 count = 0, first = 0, last = 0;
        session() << "SELECT COUNT(*), MIN(id), MAX(id) FROM people", into(count), into(first), into(last),
            now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(People), count);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), first);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(People), last);
    }

    void testSameSeedGivesTheSamePeople()
    {
        auto again = makeTestDatabase("crmhost_test_demo_seeder_again");
        CrmHost::DemoSeeder(*again, seederLogger()).seed(People, Seed);
        CPPUNIT_ASSERT_EQUAL(checksum(readPeople(*seeded().database)), checksum(readPeople(*again)));
    }

    void testAnotherSeedGivesOtherPeople()
    {
        auto other = makeTestDatabase("crmhost_test_demo_seeder_other");
        CrmHost::DemoSeeder(*other, seederLogger()).seed(People, Seed + 1);
        PersonRows mine = readPeople(*seeded().database), theirs = readPeople(*other);
        CPPUNIT_ASSERT(checksum(mine) != checksum(theirs));
        CPPUNIT_ASSERT_EQUAL(mine.ids.size(), theirs.ids.size());
        std::size_t sameName = 0;
        for (std::size_t i = 0; i < mine.ids.size(); ++i)
        {
            if (mine.firstNames[i] == theirs.firstNames[i] && mine.lastNames[i] == theirs.lastNames[i])
                ++sameName;
        }
        CPPUNIT_ASSERT_MESSAGE(std::to_string(sameName) + " people kept their name",
                               sameName < mine.ids.size() / 10);
    }

    void testEachKindOfGroupExistsWithAVerifiedDomain()
    {
        const CrmHost::DemoGroups& groups = seeded().groups;
        const struct
        {
            long id;
            const char* kind;
            int amap;
            int fees;
        } expected[] = {{groups.food, "food", 1, 1},
                        {groups.foodNonAmap, "food", 0, 0},
                        {groups.crm, "crm", 0, 0},
                        {groups.studio, "studio", 0, 0}};
        for (const auto& group : expected)
        {
            Poco::Int64 id = group.id;
            std::string kind, name;
            int amap = -1, fees = -1;
            Poco::Int64 domains = 0, members = 0;
            session() << "SELECT kind, name, is_amap, manages_fees FROM host_groups WHERE id = ?", use(id),
                into(kind), into(name), into(amap), into(fees), now;
            session()
                << "SELECT COUNT(*) FROM verified_domains WHERE group_id = ? AND domain = 'example.org'",
                use(id), into(domains), now;
            session() << "SELECT COUNT(*) FROM memberships WHERE group_id = ?", use(id), into(members), now;
            CPPUNIT_ASSERT_EQUAL(std::string(group.kind), kind);
            CPPUNIT_ASSERT_MESSAGE(name, amap == group.amap && fees == group.fees);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, Poco::Int64(1), domains);
            CPPUNIT_ASSERT_MESSAGE(name, members > 0);
        }
    }

    void testSomeAddressesAreInvalidDuplicatedOrMissing()
    {
        PersonRows people = readPeople(*seeded().database);
        std::size_t missing = 0, invalid = 0, duplicates = 0;
        std::map<std::string, int> seen;
        for (const auto& email : people.emails)
        {
            if (email == "<null>" || email.empty())
                ++missing;
            else if (!looksValid(email))
                ++invalid;
            else if (seen[Poco::toLower(email)]++ > 0)
                ++duplicates;
        }
        // The rules of docs/data-model.md: 1% missing, 3% invalid, 2% duplicates.
        CPPUNIT_ASSERT_EQUAL(std::size_t(People / 100), missing);
        CPPUNIT_ASSERT_EQUAL(std::size_t(People * 3 / 100), invalid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(People * 2 / 100), duplicates);
        // Person 5 has person 4's address; person 13's is invalid.
        CPPUNIT_ASSERT_EQUAL(Poco::toLower(people.emails[3]), Poco::toLower(people.emails[4]));
        CPPUNIT_ASSERT(!looksValid(people.emails[12]));
    }

    void testSomeMembersNeverLoggedIn()
    {
        Poco::Int64 never = 0, neverMembers = 0;
        Poco::Int64 food = seeded().groups.food, members = memberCount(food);
        session() << "SELECT COUNT(*) FROM people WHERE last_login_at IS NULL", into(never), now;
        session() << "SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id "
                     "WHERE m.group_id = ? AND p.last_login_at IS NULL",
            use(food), into(neverMembers), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(People / 5), never);
        CPPUNIT_ASSERT(neverMembers > 0 && neverMembers < members);
    }

    void testSomeMembersOrderedForTheNextDistributionAndOthersDidNot()
    {
        for (long group : {seeded().groups.food, seeded().groups.foodNonAmap})
        {
            Poco::Int64 id = group;
            std::string moment = nowUtc();
            std::vector<Poco::Int64> upcoming;
            session()
                << "SELECT id FROM distributions WHERE group_id = ? AND starts_at > ? ORDER BY starts_at",
                use(id), use(moment), into(upcoming), now;
            CPPUNIT_ASSERT(upcoming.size() >= 2);
            Poco::Int64 next = upcoming.front(), members = memberCount(group), ordered = 0;
            session() << "SELECT COUNT(*) FROM memberships m WHERE m.group_id = ? AND EXISTS (SELECT 1 FROM "
                         "orders o "
                         "WHERE o.distribution_id = ? AND o.person_id = m.person_id)",
                use(id), use(next), into(ordered), now;
            CPPUNIT_ASSERT_MESSAGE("nobody ordered", ordered > 0);
            CPPUNIT_ASSERT_MESSAGE("everybody ordered", ordered < members);
        }
        // Members n % 3 = 0 (and n % 10 != 0) ordered for the AMAP's next distribution: 3 did, 4 did not.
        CPPUNIT_ASSERT(orderedForNextDistribution(3));
        CPPUNIT_ASSERT(!orderedForNextDistribution(4));
    }

    void testSomeMembersNeverOrdered()
    {
        Poco::Int64 food = seeded().groups.food, members = memberCount(food), never = 0;
        session() << "SELECT COUNT(*) FROM memberships m WHERE m.group_id = ? AND NOT EXISTS (SELECT 1 FROM "
                     "orders o "
                     "WHERE o.group_id = m.group_id AND o.person_id = m.person_id)",
            use(food), into(never), now;
        CPPUNIT_ASSERT(never > 0 && never < members);
        Poco::Int64 ordersOfTen = -1;
        session() << "SELECT COUNT(*) FROM orders WHERE person_id = 10", into(ordersOfTen), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), ordersOfTen);
    }

    void testSomeMembershipFeesAreToRenewOthersUpToDate()
    {
        Poco::Int64 food = seeded().groups.food, members = memberCount(food), upToDate = 0;
        std::string today = todayUtc();
        session() << "SELECT COUNT(*) FROM memberships m WHERE m.group_id = ? AND EXISTS (SELECT 1 FROM "
                     "membership_fees f WHERE f.group_id = m.group_id AND f.person_id = m.person_id AND "
                     "f.valid_until >= ?)",
            use(food), use(today), into(upToDate), now;
        CPPUNIT_ASSERT_MESSAGE("nobody is up to date", upToDate > 0);
        CPPUNIT_ASSERT_MESSAGE("nobody has to renew", upToDate < members);
        Poco::Int64 other = seeded().groups.foodNonAmap, otherFees = -1;
        session() << "SELECT COUNT(*) FROM membership_fees WHERE group_id = ?", use(other), into(otherFees),
            now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), otherFees);
    }

    void testCrmHasAccountsContactsLeadsAndSavedFilters()
    {
        Poco::Int64 crm = seeded().groups.crm, accounts = 0, contacts = 0, linked = 0, leads = 0;
        session() << "SELECT COUNT(*) FROM crm_accounts WHERE group_id = ?", use(crm), into(accounts), now;
        session() << "SELECT COUNT(*), COUNT(account_id) FROM crm_contacts WHERE group_id = ?", use(crm),
            into(contacts), into(linked), now;
        session() << "SELECT COUNT(*) FROM crm_leads WHERE group_id = ?", use(crm), into(leads), now;
        CPPUNIT_ASSERT(accounts > 0 && contacts > 0 && linked > 0 && leads > 0);
        std::vector<std::string> types;
        session()
            << "SELECT DISTINCT recipient_type FROM saved_filters WHERE group_id = ? ORDER BY recipient_type",
            use(crm), into(types), now;
        CPPUNIT_ASSERT_EQUAL(std::string("accounts contacts leads"),
                             Poco::cat(std::string(" "), types.begin(), types.end()));
    }

    void testStudioHasUpcomingSessionsWithEveryBookingStatus()
    {
        Poco::Int64 studio = seeded().groups.studio, upcoming = 0;
        std::string moment = nowUtc();
        session() << "SELECT COUNT(*) FROM studio_sessions WHERE group_id = ? AND starts_at > ?", use(studio),
            use(moment), into(upcoming), now;
        CPPUNIT_ASSERT(upcoming > 0);
        std::vector<std::string> statuses;
        session() << "SELECT DISTINCT b.status FROM studio_bookings b JOIN studio_sessions s ON s.id = "
                     "b.session_id "
                     "WHERE s.group_id = ? AND s.starts_at > ? ORDER BY b.status",
            use(studio), use(moment), into(statuses), now;
        CPPUNIT_ASSERT_EQUAL(std::string("booked cancelled waiting"),
                             Poco::cat(std::string(" "), statuses.begin(), statuses.end()));
    }

    void testSeedingAFilledDatabaseIsRefused()
    {
        CrmHost::DemoSeeder seeder(*seeded().database, seederLogger());
        CPPUNIT_ASSERT_THROW(seeder.seed(People, Seed), Poco::IllegalStateException);
    }

private:
    static Poco::Data::Session session() { return seeded().database->session(); }

    static Poco::Int64 memberCount(long group)
    {
        Poco::Int64 id = group, count = 0;
        session() << "SELECT COUNT(*) FROM memberships WHERE group_id = ?", use(id), into(count), now;
        return count;
    }

    static bool orderedForNextDistribution(Poco::Int64 person)
    {
        Poco::Int64 food = seeded().groups.food, count = 0;
        std::string moment = nowUtc();
        session() << "SELECT COUNT(*) FROM orders o WHERE o.person_id = ? AND o.distribution_id = (SELECT "
                     "d.id FROM "
                     "distributions d WHERE d.group_id = ? AND d.starts_at > ? ORDER BY d.starts_at LIMIT 1)",
            use(person), use(food), use(moment), into(count), now;
        return count > 0;
    }
};

CppUnit::Test* DemoSeederTest_suite()
{
    return new CrmHostTests::SuiteSetup(DemoSeederTest::suite(), DemoSeederTest::seedSharedDatabase,
                                        DemoSeederTest::dropSharedDatabase);
}
