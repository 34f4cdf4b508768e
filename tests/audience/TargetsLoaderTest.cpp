#include "audience/TargetsLoader.h"
#include "Catalogue.h"
#include "DemoSeeder.h"
#include "SuiteSetup.h"
#include "TestDatabase.h"
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <vector>

using namespace Poco::Data::Keywords;
using CrmHost::RecipientQuery;
using CrmHost::Target;
using MassMailing::TargetsLoader;

namespace
{
// The demo data of docs/data-model.md with N = 1000, seeded for a fixed day; the loader's
// clock is noon of that day.
const long People = 1000;
const unsigned long Seed = 11;
const long FoodEnd = 450, Food2End = 550, CrmEnd = 850, Accounts = 30;
const long Amap = 1, Ruche = 2, Crm = 3, Studio = 4;

Poco::DateTime referenceDay()
{
    return Poco::DateTime(2024, 3, 13);
}

Poco::DateTime noon()
{
    return referenceDay() + Poco::Timespan(0, 12, 0, 0, 0);
}

struct Shared
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    std::unique_ptr<TargetsLoader> loader;
};

Shared& shared()
{
    static Shared instance;
    return instance;
}

Poco::Data::Session session()
{
    return shared().database->session();
}

// --- The rules per person id n (docs/data-model.md, "The demo data") -------------------------

bool inRange(long group, long n)
{
    switch (group)
    {
    case Amap:
        return n >= 1 && n <= FoodEnd;
    case Ruche:
        return n > FoodEnd && n <= Food2End;
    case Crm:
        return n > Food2End && n <= CrmEnd;
    default:
        return n > CrmEnd && n <= People;
    }
}

bool waits(long group, long n)
{
    return (group == Amap || group == Ruche) && inRange(group, n) && n % 20 == 19;
}

bool left(long group, long n)
{
    return (group == Amap || group == Ruche) && inRange(group, n) && n % 50 == 23;
}

bool isMember(long group, long n)
{
    if (inRange(group, n))
        return !waits(group, n) && !left(group, n);
    if (group == Ruche)
        return isMember(Amap, n) && n % 50 == 7;
    if (group == Studio)
        return inRange(Crm, n) && n % 100 == 42;
    return false;
}

using Ids = std::set<long>;

Ids people(const std::function<bool(long)>& rule)
{
    Ids ids;
    for (long n = 1; n <= People; ++n)
    {
        if (rule(n))
            ids.insert(n);
    }
    return ids;
}

Ids members(
    long group, const std::function<bool(long)>& rule = [](long) { return true; })
{
    return people([&](long n) { return isMember(group, n) && rule(n); });
}

bool ordered(long group, long n)
{
    return (isMember(group, n) || left(group, n)) && n % 10 != 0;
}

// The members of a group in id order, from its own range (administrators, catalogue contacts).
std::vector<long> ownMembers(long group)
{
    std::vector<long> ids;
    for (long n = 1; n <= People; ++n)
    {
        if (inRange(group, n) && isMember(group, n))
            ids.push_back(n);
    }
    return ids;
}

// --- Reading what a target yields ---------------------------------------------------------

struct Row
{
    std::string kind;
    long id;
    std::string email, firstName, lastName, company, locale;
};

std::vector<Row> run(const RecipientQuery& query)
{
    Poco::Data::Session s = session();
    Poco::Data::Statement statement(s);
    std::vector<std::string> bindings = query.bindings;
    std::vector<std::string> kinds, emails, firsts, lasts, companies, locales;
    std::vector<Poco::Int64> ids;
    statement << "SELECT kind, id, email, first_name, last_name, company, locale FROM (" + query.sql + ") r";
    for (auto& value : bindings)
        statement, use(value);
    statement, into(kinds), into(ids), into(emails), into(firsts), into(lasts), into(companies),
        into(locales);
    statement.execute();
    std::vector<Row> rows;
    for (std::size_t i = 0; i < ids.size(); ++i)
        rows.push_back({kinds[i], long(ids[i]), emails[i], firsts[i], lasts[i], companies[i], locales[i]});
    return rows;
}

Target target(const std::string& id, std::map<std::string, std::string> params = {})
{
    return {id, "", "", "", std::move(params)};
}

std::vector<Row> rowsOf(long group, const std::string& id, std::map<std::string, std::string> params = {})
{
    return run(shared().loader->query(target(id, std::move(params)), group, shared().database->dialect()));
}

// The person ids of a members target; fails on a row of another kind or a repeated person.
Ids personsOf(long group, const std::string& id, std::map<std::string, std::string> params = {})
{
    Ids ids;
    for (const Row& row : rowsOf(group, id, params))
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(id, std::string("person"), row.kind);
        CPPUNIT_ASSERT_MESSAGE(id + " yields person " + std::to_string(row.id) + " twice",
                               ids.insert(row.id).second);
    }
    return ids;
}

using Keys = std::set<std::pair<std::string, long>>;

Keys keysOf(long group, const std::string& id, std::map<std::string, std::string> params = {})
{
    Keys keys;
    for (const Row& row : rowsOf(group, id, params))
        CPPUNIT_ASSERT_MESSAGE(id + " yields " + row.kind + " " + std::to_string(row.id) + " twice",
                               keys.insert({row.kind, row.id}).second);
    return keys;
}

std::string describe(const Ids& ids)
{
    std::string text;
    for (long id : ids)
        text += (text.empty() ? "" : " ") + std::to_string(id);
    return text;
}

void assertSame(const std::string& what, const Ids& expected, const Ids& actual)
{
    Ids missing, extra;
    std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                        std::inserter(extra, extra.end()));
    CPPUNIT_ASSERT_MESSAGE(what + ": missing [" + describe(missing) + "], extra [" + describe(extra) + "]",
                           missing.empty() && extra.empty());
}

std::vector<Target> targetsOf(long group)
{
    return shared().loader->targets(group);
}

std::vector<Target> withId(const std::vector<Target>& targets, const std::string& id)
{
    std::vector<Target> found;
    for (const Target& t : targets)
    {
        if (t.id == id)
            found.push_back(t);
    }
    return found;
}

// --- Raw rows, read as they are, for what the rules leave to the seed -----------------------

struct OrderLine
{
    long person, group, catalogue, distribution;
};

std::vector<OrderLine> orderLines()
{
    std::vector<Poco::Int64> persons, groups, catalogues, distributions;
    session() << "SELECT person_id, group_id, catalogue_id, COALESCE(distribution_id, 0) FROM orders",
        into(persons), into(groups), into(catalogues), into(distributions), now;
    std::vector<OrderLine> lines;
    for (std::size_t i = 0; i < persons.size(); ++i)
        lines.push_back({long(persons[i]), long(groups[i]), long(catalogues[i]), long(distributions[i])});
    return lines;
}

// The distributions of a group starting after noon and at most 14 days later, in time order.
std::vector<std::pair<long, Poco::DateTime>> upcomingDistributions(long group, int days)
{
    std::vector<Poco::Int64> ids, groups;
    std::vector<Poco::DateTime> starts;
    session() << "SELECT id, group_id, starts_at FROM distributions", into(ids), into(groups), into(starts),
        now;
    std::vector<std::pair<long, Poco::DateTime>> found;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (groups[i] == group && starts[i] > noon() &&
            starts[i] <= noon() + Poco::Timespan(days, 0, 0, 0, 0))
            found.push_back({long(ids[i]), starts[i]});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return found;
}

struct Person
{
    std::string email, firstName, lastName, locale;
};

std::map<long, Person> peopleRows()
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> emails, firsts, lasts, locales;
    session() << "SELECT id, COALESCE(email, ''), first_name, last_name, locale FROM people", into(ids),
        into(emails), into(firsts), into(lasts), into(locales), now;
    std::map<long, Person> rows;
    for (std::size_t i = 0; i < ids.size(); ++i)
        rows[long(ids[i])] = {emails[i], firsts[i], lasts[i], locales[i]};
    return rows;
}

// Rows of a CRM table: id and the named text columns (NULL as "").
std::map<long, std::vector<std::string>> crmRows(const std::string& table, const std::string& columns,
                                                 int count)
{
    Poco::Data::Session s = session();
    Poco::Data::Statement statement(s);
    std::vector<Poco::Int64> ids;
    std::vector<std::vector<std::string>> values(static_cast<std::size_t>(count));
    statement << "SELECT id, " + columns + " FROM " + table + " WHERE group_id = 3", into(ids);
    for (auto& column : values)
        statement, into(column);
    statement.execute();
    std::map<long, std::vector<std::string>> rows;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        for (const auto& column : values)
            rows[long(ids[i])].push_back(column[i]);
    }
    return rows;
}

// Restores a CRM contact's city when it goes out of scope.
class ChangedCity
{
public:
    ChangedCity(long contact, const std::string& city) : _contact(contact)
    {
        Poco::Int64 id = contact;
        std::string value = city;
        session() << "SELECT city FROM crm_contacts WHERE id = ?", use(id), into(_city), now;
        session() << "UPDATE crm_contacts SET city = ? WHERE id = ?", use(value), use(id), now;
    }
    ~ChangedCity()
    {
        Poco::Int64 id = _contact;
        session() << "UPDATE crm_contacts SET city = ? WHERE id = ?", use(_city), use(id), now;
    }

private:
    long _contact;
    std::string _city;
};

long addFilter(long group, const std::string& name, const std::string& type, const std::string& definition)
{
    Poco::Int64 g = group, id = 0;
    std::string n = name, t = type, d = definition;
    session() << "SELECT COALESCE(MAX(id), 0) + 1 FROM saved_filters", into(id), now;
    session() << "INSERT INTO saved_filters (id, group_id, name, recipient_type, definition) VALUES (?, ?, "
                 "?, ?, ?)",
        use(id), use(g), use(n), use(t), use(d), now;
    return long(id);
}

void removeFilter(long id)
{
    Poco::Int64 key = id;
    session() << "DELETE FROM saved_filters WHERE id = ?", use(key), now;
}
} // namespace

// The predefined lists and filters (A1–A4) on the demo data, checked against its rules.
class TargetsLoaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetsLoaderTest);
    CPPUNIT_TEST(testLoaderIsNamedMassmailingTargets);
    CPPUNIT_TEST(testAmapListsEveryPredefinedList);
    CPPUNIT_TEST(testNonFeeNonAmapGroupHasNeitherFeeNorAmapLists);
    CPPUNIT_TEST(testOneCatalogueBuyersTargetPerActiveCatalogue);
    CPPUNIT_TEST(testProductsToCollectArePerDistributionOfTheNextTwoWeeksAndProducer);
    CPPUNIT_TEST(testAllMembersAreTheGroupsMembersOnly);
    CPPUNIT_TEST(testAdministratorsAreGroupAdminsAndUsersWithRightsInTheGroup);
    CPPUNIT_TEST(testCatalogueContactsAreThoseOfActiveCatalogues);
    CPPUNIT_TEST(testTestListHoldsThePersonAndTheBareAddress);
    CPPUNIT_TEST(testMembersWithoutAnyOrderNeverOrdered);
    CPPUNIT_TEST(testPeopleWithAnOrderIncludeThoseWhoLeft);
    CPPUNIT_TEST(testMembershipsToRenewAndUpToDateSplitTheMembers);
    CPPUNIT_TEST(testNeverLoggedInMembers);
    CPPUNIT_TEST(testWaitingListHoldsPeopleWhoAreNotMembers);
    CPPUNIT_TEST(testOrderedAndNotOrderedForTheNextDistributionSplitTheMembers);
    CPPUNIT_TEST(testNotOrderedIsNobodyWithoutANextDistribution);
    CPPUNIT_TEST(testCurrentAmapContracts);
    CPPUNIT_TEST(testCatalogueBuyersAreEveryoneWhoOrderedInIt);
    CPPUNIT_TEST(testProductsToCollectAreTheOrdersOfTheDistribution);
    CPPUNIT_TEST(testListsThatDoNotApplyAreNotFound);
    CPPUNIT_TEST(testCatalogueOfAnotherGroupIsRefusedNamingTheParameter);
    CPPUNIT_TEST(testMalformedParametersAreRefused);
    CPPUNIT_TEST(testUnknownTargetOrGroupIsNotFound);
    CPPUNIT_TEST(testCrmListsEveryTypeItsFiltersAndTargets);
    CPPUNIT_TEST(testCrmAllContactsAccountsAndLeads);
    CPPUNIT_TEST(testSavedFiltersYieldExactlyTheMatchingRows);
    CPPUNIT_TEST(testCrmTargetsMixTheThreeKinds);
    CPPUNIT_TEST(testMaliciousFieldIsRefusedNamingTheFilter);
    CPPUNIT_TEST(testQuotesInValuesAreBoundNotSpliced);
    CPPUNIT_TEST(testFilterOfAnotherGroupOrTypeIsRefused);
    CPPUNIT_TEST(testStudioListsMembersSmartlistsAndSessionsOfTheWindow);
    CPPUNIT_TEST(testStudioBookingsWaitingListAndCancellationsOfASession);
    CPPUNIT_TEST(testStudioSmartlistYieldsTheMatchingMembers);
    CPPUNIT_TEST(testSessionOfAnotherGroupIsRefused);
    CPPUNIT_TEST(testEveryTargetYieldsTheStandardColumnsOncePerRecipient);
    CPPUNIT_TEST(testEveryLabelIsTranslated);
    CPPUNIT_TEST_SUITE_END();

public:
    static void seed()
    {
        shared().database = makeTestDatabase("crmhost_test_audience");
        CrmHost::DemoSeeder seeder(*shared().database, Poco::Logger::get("crmhost.test.audience"));
        seeder.setReferenceDay(referenceDay());
        seeder.seed(People, Seed);
        // Users with rights: person 10 in the AMAP, person 2 (already an administrator) too,
        // person 20 in every group (group 0), and a user without a person.
        session() << "INSERT INTO users (id, login, password_hash, person_id) VALUES (1, 'p10', 'x', 10), "
                     "(2, 'p2', 'x', 2), (3, 'p20', 'x', 20), (4, 'nobody', 'x', NULL)",
            now;
        session() << "INSERT INTO user_rights (user_id, group_id, right_name) VALUES (1, 1, "
                     "'massmailing.compose'), "
                     "(1, 1, 'massmailing.send'), (2, 1, 'massmailing.compose'), (3, 0, 'host.admin'), "
                     "(4, 1, 'massmailing.compose')",
            now;
        shared().loader = std::make_unique<TargetsLoader>(*shared().database, [] { return noon(); });
    }

    static void drop()
    {
        shared().loader.reset();
        shared().database.reset();
    }

    void testLoaderIsNamedMassmailingTargets()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.targets"), shared().loader->name());
    }

    void testAmapListsEveryPredefinedList()
    {
        std::vector<Target> targets = targetsOf(Amap);
        for (const char* id : {"members.all", "members.admins", "members.catalogue_contacts", "members.test",
                               "members.without_order", "members.with_order", "members.fees_to_renew",
                               "members.fees_up_to_date", "members.never_logged_in", "members.waiting_list",
                               "members.ordered_next_distribution", "members.not_ordered_next_distribution",
                               "members.amap_contract"})
        {
            auto found = withId(targets, id);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, std::size_t(1), found.size());
            CPPUNIT_ASSERT_EQUAL(std::string("members"), found[0].recipientType);
            CPPUNIT_ASSERT_EQUAL(std::string("list"), found[0].kind);
            CPPUNIT_ASSERT_EQUAL(std::string("massmailing.target.") + id, found[0].label);
            CPPUNIT_ASSERT(found[0].params.empty());
        }
        for (const Target& t : targets)
            CPPUNIT_ASSERT_EQUAL(std::string("members"), t.recipientType);
    }

    void testNonFeeNonAmapGroupHasNeitherFeeNorAmapLists()
    {
        std::vector<Target> targets = targetsOf(Ruche);
        for (const char* id : {"members.fees_to_renew", "members.fees_up_to_date", "members.amap_contract",
                               "members.to_collect"})
            CPPUNIT_ASSERT_MESSAGE(id, withId(targets, id).empty());
        for (const char* id : {"members.all", "members.admins", "members.catalogue_contacts", "members.test",
                               "members.without_order", "members.with_order", "members.never_logged_in",
                               "members.waiting_list", "members.ordered_next_distribution",
                               "members.not_ordered_next_distribution"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, std::size_t(1), withId(targets, id).size());
    }

    void testOneCatalogueBuyersTargetPerActiveCatalogue()
    {
        // AMAP: 1 to 4 active, 5 and 6 not; La Ruche: 7 and 8 active, 9 not.
        const std::map<long, std::vector<std::pair<std::string, std::string>>> expected{
            {Amap,
             {{"1", "Légumes de saison"},
              {"2", "Pain au levain"},
              {"3", "Œufs plein air"},
              {"4", "Fromages de chèvre"}}},
            {Ruche, {{"7", "Paniers de légumes"}, {"8", "Viandes d'Aubrac"}}}};
        for (const auto& [group, catalogues] : expected)
        {
            auto found = withId(targetsOf(group), "members.catalogue_buyers");
            CPPUNIT_ASSERT_EQUAL(catalogues.size(), found.size());
            for (std::size_t i = 0; i < found.size(); ++i)
            {
                CPPUNIT_ASSERT_EQUAL(catalogues[i].first, found[i].params.at("catalogue"));
                CPPUNIT_ASSERT_EQUAL(catalogues[i].second, found[i].params.at("catalogue_name"));
            }
        }
        CPPUNIT_ASSERT(withId(targetsOf(Crm), "members.catalogue_buyers").empty());
        CPPUNIT_ASSERT(withId(targetsOf(Studio), "members.catalogue_buyers").empty());
    }

    void testProductsToCollectArePerDistributionOfTheNextTwoWeeksAndProducer()
    {
        // The AMAP distributes 2, 5, 9 and 12 days after the reference day within two weeks.
        auto upcoming = upcomingDistributions(Amap, 14);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), upcoming.size());
        std::set<std::pair<long, long>> pairs; // (distribution, active catalogue) that has orders
        for (const OrderLine& line : orderLines())
        {
            for (const auto& distribution : upcoming)
            {
                if (line.distribution == distribution.first && line.catalogue <= 4)
                    pairs.insert({line.distribution, line.catalogue});
            }
        }
        auto found = withId(targetsOf(Amap), "members.to_collect");
        CPPUNIT_ASSERT_EQUAL(pairs.size(), found.size());
        std::set<std::pair<long, long>> listed;
        for (const Target& t : found)
        {
            long distribution = std::stol(t.params.at("distribution"));
            listed.insert({distribution, std::stol(t.params.at("catalogue"))});
            for (const auto& d : upcoming)
            {
                if (d.first == distribution)
                    CPPUNIT_ASSERT_EQUAL(Poco::DateTimeFormatter::format(d.second, "%Y-%m-%d"),
                                         t.params.at("date"));
            }
            CPPUNIT_ASSERT(!t.params.at("catalogue_name").empty());
        }
        CPPUNIT_ASSERT(pairs == listed);
        // In time order: the first targets are those of the next distribution.
        CPPUNIT_ASSERT_EQUAL(std::to_string(upcoming.front().first), found.front().params.at("distribution"));

        // An order at the next distribution in the inactive catalogue 5 adds no target.
        Poco::Int64 distribution = upcoming.front().first;
        std::string at = Poco::DateTimeFormatter::format(noon(), "%Y-%m-%d %H:%M:%S");
        session()
            << "INSERT INTO orders (id, group_id, person_id, catalogue_id, distribution_id, ordered_at) "
               "VALUES (99999999, 1, 3, 5, ?, ?)",
            use(distribution), use(at), now;
        std::size_t withInactive = withId(targetsOf(Amap), "members.to_collect").size();
        session() << "DELETE FROM orders WHERE id = 99999999", now;
        CPPUNIT_ASSERT_EQUAL(found.size(), withInactive);
    }

    void testAllMembersAreTheGroupsMembersOnly()
    {
        assertSame("AMAP", members(Amap), personsOf(Amap, "members.all"));
        assertSame("La Ruche", members(Ruche), personsOf(Ruche, "members.all"));
        assertSame("studio", members(Studio), personsOf(Studio, "members.all"));
        // The counts of docs/data-model.md for N = 1000.
        CPPUNIT_ASSERT_EQUAL(std::size_t(419), members(Amap).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(102), members(Ruche).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(153), members(Studio).size());
    }

    void testAdministratorsAreGroupAdminsAndUsersWithRightsInTheGroup()
    {
        // The three first members of the group's range, and the people of users holding a right
        // in the group (not those whose right holds in group 0, not a user without a person).
        assertSame("AMAP", {1, 2, 3, 10}, personsOf(Amap, "members.admins"));
        std::vector<long> ruche = ownMembers(Ruche);
        assertSame("La Ruche", {ruche[0], ruche[1], ruche[2]}, personsOf(Ruche, "members.admins"));
    }

    void testCatalogueContactsAreThoseOfActiveCatalogues()
    {
        // One contact per catalogue, the members right after the three administrators (catalogue
        // k of the group: member 3 + k); catalogue 1 also has the first administrator.
        std::vector<long> amap = ownMembers(Amap), ruche = ownMembers(Ruche);
        assertSame("AMAP", {amap[3], amap[4], amap[5], amap[6], amap[0]},
                   personsOf(Amap, "members.catalogue_contacts"));
        assertSame("La Ruche", {ruche[3], ruche[4]}, personsOf(Ruche, "members.catalogue_contacts"));
    }

    void testTestListHoldsThePersonAndTheBareAddress()
    {
        for (const auto& [group, mailbox] : {std::pair<long, std::string>{Amap, "test.amap@example.org"},
                                             std::pair<long, std::string>{Ruche, "test.ruche@example.org"}})
        {
            std::vector<Row> rows = rowsOf(group, "members.test");
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), rows.size());
            std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
            CPPUNIT_ASSERT_EQUAL(std::string("person"), rows[0].kind);
            CPPUNIT_ASSERT_EQUAL(0L, rows[0].id);
            CPPUNIT_ASSERT_EQUAL(mailbox, rows[0].email);
            CPPUNIT_ASSERT_EQUAL(std::string(""), rows[0].firstName + rows[0].lastName + rows[0].company);
            CPPUNIT_ASSERT_EQUAL(std::string("fr"), rows[0].locale);
            CPPUNIT_ASSERT_EQUAL(ownMembers(group).front(), rows[1].id);
            CPPUNIT_ASSERT_EQUAL(peopleRows()[rows[1].id].email, rows[1].email);
        }
    }

    void testMembersWithoutAnyOrderNeverOrdered()
    {
        auto never = [](long n) { return n % 10 == 0; };
        assertSame("AMAP", members(Amap, never), personsOf(Amap, "members.without_order"));
        assertSame("La Ruche", members(Ruche, never), personsOf(Ruche, "members.without_order"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(45), members(Amap, never).size());
    }

    void testPeopleWithAnOrderIncludeThoseWhoLeft()
    {
        for (long group : {Amap, Ruche})
        {
            Ids expected = people([group](long n) { return ordered(group, n); });
            assertSame("group " + std::to_string(group), expected, personsOf(group, "members.with_order"));
        }
        Ids amap = personsOf(Amap, "members.with_order");
        CPPUNIT_ASSERT_EQUAL(std::size_t(383), amap.size());
        CPPUNIT_ASSERT(amap.count(23) == 1 && !isMember(Amap, 23)); // left, with past orders
    }

    void testMembershipsToRenewAndUpToDateSplitTheMembers()
    {
        Ids upToDate = personsOf(Amap, "members.fees_up_to_date"),
            toRenew = personsOf(Amap, "members.fees_to_renew");
        assertSame("up to date", members(Amap, [](long n) { return n % 4 == 0 || n % 4 == 1; }), upToDate);
        assertSame("to renew", members(Amap, [](long n) { return n % 4 == 2 || n % 4 == 3; }), toRenew);
        CPPUNIT_ASSERT_EQUAL(std::size_t(221), upToDate.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(198), toRenew.size());
    }

    void testNeverLoggedInMembers()
    {
        auto never = [](long n) { return n % 5 == 4; };
        assertSame("AMAP", members(Amap, never), personsOf(Amap, "members.never_logged_in"));
        assertSame("La Ruche", members(Ruche, never), personsOf(Ruche, "members.never_logged_in"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(68), members(Amap, never).size());
    }

    void testWaitingListHoldsPeopleWhoAreNotMembers()
    {
        for (long group : {Amap, Ruche})
        {
            Ids expected = people([group](long n) { return waits(group, n); });
            Ids actual = personsOf(group, "members.waiting_list");
            assertSame("group " + std::to_string(group), expected, actual);
            for (long n : actual)
                CPPUNIT_ASSERT(!isMember(group, n));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(22), personsOf(Amap, "members.waiting_list").size());
    }

    void testOrderedAndNotOrderedForTheNextDistributionSplitTheMembers()
    {
        auto orderedNext = [](long n) { return n % 3 == 0 && n % 10 != 0; };
        for (long group : {Amap, Ruche})
        {
            std::string name = "group " + std::to_string(group);
            assertSame(name + " ordered", members(group, orderedNext),
                       personsOf(group, "members.ordered_next_distribution"));
            assertSame(name + " not ordered", members(group, [&](long n) { return !orderedNext(n); }),
                       personsOf(group, "members.not_ordered_next_distribution"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(125), members(Amap, orderedNext).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(31), members(Ruche, orderedNext).size());
    }

    void testNotOrderedIsNobodyWithoutANextDistribution()
    {
        // A year later, the demo's distributions are all past.
        TargetsLoader later(*shared().database, [] { return noon() + Poco::Timespan(365, 0, 0, 0, 0); });
        RecipientQuery query =
            later.query(target("members.not_ordered_next_distribution"), Amap, shared().database->dialect());
        CPPUNIT_ASSERT(run(query).empty());
        query = later.query(target("members.ordered_next_distribution"), Amap, shared().database->dialect());
        CPPUNIT_ASSERT(run(query).empty());
    }

    void testCurrentAmapContracts()
    {
        Ids expected = members(Amap, [](long n) { return n % 5 == 1 || n % 5 == 2; });
        assertSame("AMAP", expected, personsOf(Amap, "members.amap_contract"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(180), expected.size());
    }

    void testCatalogueBuyersAreEveryoneWhoOrderedInIt()
    {
        std::vector<OrderLine> lines = orderLines();
        for (long group : {Amap, Ruche})
        {
            Ids withOrder = people([group](long n) { return ordered(group, n); }), all;
            for (const Target& t : withId(targetsOf(group), "members.catalogue_buyers"))
            {
                long catalogue = std::stol(t.params.at("catalogue"));
                Ids expected;
                for (const OrderLine& line : lines)
                {
                    if (line.catalogue == catalogue)
                        expected.insert(line.person);
                }
                Ids actual = personsOf(group, "members.catalogue_buyers", t.params);
                assertSame("catalogue " + t.params.at("catalogue"), expected, actual);
                CPPUNIT_ASSERT(!actual.empty());
                for (long n : actual)
                    CPPUNIT_ASSERT_MESSAGE(std::to_string(n), withOrder.count(n) == 1);
            }
        }
    }

    void testProductsToCollectAreTheOrdersOfTheDistribution()
    {
        // The u-th distribution after the next one (u = 0..3): members n % 10 != 0 with
        // n % 3 = 0 for the next one, (n + u) % 4 = 0 for the others.
        auto upcoming = upcomingDistributions(Amap, 14);
        std::vector<OrderLine> lines = orderLines();
        auto targets = withId(targetsOf(Amap), "members.to_collect");
        for (std::size_t u = 0; u < upcoming.size(); ++u)
        {
            long distribution = upcoming[u].first;
            Ids rule = members(Amap, [u](long n)
                               { return n % 10 != 0 && (u == 0 ? n % 3 == 0 : (n + long(u)) % 4 == 0); });
            Ids union_;
            for (const Target& t : targets)
            {
                if (t.params.at("distribution") != std::to_string(distribution))
                    continue;
                long catalogue = std::stol(t.params.at("catalogue"));
                Ids expected;
                for (const OrderLine& line : lines)
                {
                    if (line.distribution == distribution && line.catalogue == catalogue)
                        expected.insert(line.person);
                }
                Ids actual = personsOf(Amap, "members.to_collect", t.params);
                assertSame("distribution " + std::to_string(distribution) + ", catalogue " +
                               std::to_string(catalogue),
                           expected, actual);
                union_.insert(actual.begin(), actual.end());
            }
            assertSame("distribution " + std::to_string(distribution), rule, union_);
            // Without a catalogue: everything to collect at the distribution.
            assertSame(
                "all of distribution " + std::to_string(distribution), rule,
                personsOf(Amap, "members.to_collect", {{"distribution", std::to_string(distribution)}}));
        }
    }

    void testListsThatDoNotApplyAreNotFound()
    {
        for (const char* id : {"members.fees_to_renew", "members.fees_up_to_date", "members.amap_contract"})
            CPPUNIT_ASSERT_THROW_MESSAGE(id, rowsOf(Ruche, id), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Ruche, "members.to_collect", {{"distribution", "31"}}),
                             Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "members.all"), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Studio, "members.admins"), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "contacts.all"), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "session.booked", {{"session", "12"}}), Poco::NotFoundException);
    }

    void testCatalogueOfAnotherGroupIsRefusedNamingTheParameter()
    {
        try
        {
            rowsOf(Amap, "members.catalogue_buyers", {{"catalogue", "7"}});
            CPPUNIT_FAIL("La Ruche's catalogue was accepted in the AMAP");
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(), error.message().find("catalogue") == 0);
        }
        CPPUNIT_ASSERT_THROW(rowsOf(Ruche, "members.catalogue_buyers", {{"catalogue", "1"}}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "members.catalogue_buyers", {{"catalogue", "999"}}),
                             Poco::InvalidArgumentException);
        // A distribution of La Ruche, or a catalogue of La Ruche at an AMAP distribution.
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "members.to_collect", {{"distribution", "31"}}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "members.to_collect", {{"distribution", "17"}, {"catalogue", "7"}}),
                             Poco::InvalidArgumentException);
        // An inactive catalogue of the group still resolves (a campaign prepared before).
        CPPUNIT_ASSERT(!rowsOf(Amap, "members.catalogue_buyers", {{"catalogue", "5"}}).empty());
    }

    void testMalformedParametersAreRefused()
    {
        for (const char* value : {"", "abc", "1 OR 1=1", "-1", "0", "1.5", "99999999999999999999"})
        {
            CPPUNIT_ASSERT_THROW_MESSAGE(value,
                                         rowsOf(Amap, "members.catalogue_buyers", {{"catalogue", value}}),
                                         Poco::InvalidArgumentException);
        }
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "members.catalogue_buyers"), Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "targets.list"), Poco::InvalidArgumentException);
        // A recipient type that is not the target's.
        Target wrong{"members.all", "", "contacts", "list", {}};
        CPPUNIT_ASSERT_THROW(shared().loader->query(wrong, Amap, shared().database->dialect()),
                             Poco::InvalidArgumentException);
    }

    void testUnknownTargetOrGroupIsNotFound()
    {
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, "members.everybody"), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(Amap, ""), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(rowsOf(99, "members.all"), Poco::NotFoundException);
        CPPUNIT_ASSERT(targetsOf(99).empty());
    }

    void testCrmListsEveryTypeItsFiltersAndTargets()
    {
        std::vector<Target> targets = targetsOf(Crm);
        std::vector<std::string> ids;
        for (const Target& t : targets)
        {
            std::string param = t.params.count("filter")   ? t.params.at("filter")
                                : t.params.count("target") ? t.params.at("target")
                                                           : "";
            ids.push_back(t.id + (param.empty() ? "" : ":" + param));
            CPPUNIT_ASSERT_EQUAL(t.id.substr(0, t.id.find('.')), t.recipientType);
        }
        const std::vector<std::string> expected{
            "contacts.all", "contacts.filter:1", "accounts.all",   "accounts.filter:2", "accounts.filter:3",
            "leads.all",    "leads.filter:4",    "leads.filter:5", "targets.list:1",    "targets.list:2"};
        CPPUNIT_ASSERT(expected == ids);
        CPPUNIT_ASSERT_EQUAL(std::string("Contacts à Lyon"), targets[1].params.at("filter_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("filter"), targets[1].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("Invités du salon de Lyon"), targets[8].params.at("target_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("target"), targets[8].kind);
    }

    void testCrmAllContactsAccountsAndLeads()
    {
        // Contacts: CRM people n % 10 < 7 (as persons); leads: n % 10 >= 7 and the leads
        // N + 1 .. N + 15 that are not people; accounts 1 .. 30.
        Ids contacts = people([](long n) { return inRange(Crm, n) && n % 10 < 7; });
        Ids leads = people([](long n) { return inRange(Crm, n) && n % 10 >= 7; });
        for (long k = 1; k <= 15; ++k)
            leads.insert(People + k);
        Ids accounts;
        for (long k = 1; k <= Accounts; ++k)
            accounts.insert(k);
        assertSame("contacts", contacts, personsOf(Crm, "contacts.all"));
        assertSame("leads", leads, idsOfKind(keysOf(Crm, "leads.all"), "lead"));
        assertSame("accounts", accounts, idsOfKind(keysOf(Crm, "accounts.all"), "account"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(210), contacts.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(105), leads.size());

        // A contact's company is its account's name; a lead without a person has its own address.
        auto accountRows = crmRows("crm_accounts", "name", 1);
        auto contactRows = crmRows("crm_contacts", "CAST(COALESCE(account_id, 0) AS CHAR)", 1);
        for (const Row& row : rowsOf(Crm, "contacts.all"))
        {
            long account = std::stol(contactRows.at(row.id)[0]);
            CPPUNIT_ASSERT_EQUAL(account == 0 ? std::string() : accountRows.at(account)[0], row.company);
        }
        auto leadRows = crmRows("crm_leads", "COALESCE(email, ''), COALESCE(first_name, ''), company", 3);
        std::map<long, Person> persons = peopleRows();
        for (const Row& row : rowsOf(Crm, "leads.all"))
        {
            bool own = row.id > People;
            CPPUNIT_ASSERT_EQUAL(own ? leadRows.at(row.id)[0] : persons.at(row.id).email, row.email);
            CPPUNIT_ASSERT_EQUAL(own ? leadRows.at(row.id)[1] : persons.at(row.id).firstName, row.firstName);
            CPPUNIT_ASSERT_EQUAL(leadRows.at(row.id)[2], row.company);
        }
    }

    void testSavedFiltersYieldExactlyTheMatchingRows()
    {
        auto contactRows = crmRows("crm_contacts", "CAST(person_id AS CHAR), city, job_title", 3);
        auto accountRows = crmRows("crm_accounts", "city, segment", 2);
        auto leadRows = crmRows("crm_leads", "status, source, city", 3);
        auto select = [](const std::map<long, std::vector<std::string>>& rows,
                         const std::function<bool(const std::vector<std::string>&)>& rule)
        {
            Ids ids;
            for (const auto& [id, values] : rows)
            {
                if (rule(values))
                    ids.insert(id);
            }
            return ids;
        };
        Ids lyon = select(contactRows, [](const auto& v) { return v[1] == "Lyon"; });
        CPPUNIT_ASSERT(!lyon.empty());
        // Contact ids are person ids in the demo.
        assertSame("1 Contacts à Lyon", lyon, personsOf(Crm, "contacts.filter", {{"filter", "1"}}));
        assertSame("2 Comptes PME", select(accountRows, [](const auto& v) { return v[1] == "PME"; }),
                   idsOfKind(keysOf(Crm, "accounts.filter", {{"filter", "2"}}), "account"));
        assertSame("3 Comptes de Lyon et Grenoble",
                   select(accountRows, [](const auto& v) { return v[0] == "Lyon" || v[0] == "Grenoble"; }),
                   idsOfKind(keysOf(Crm, "accounts.filter", {{"filter", "3"}}), "account"));
        assertSame("4 Pistes qualifiées", select(leadRows, [](const auto& v) { return v[0] == "qualified"; }),
                   idsOfKind(keysOf(Crm, "leads.filter", {{"filter", "4"}}), "lead"));
        Ids open = select(
            leadRows, [](const auto& v)
            { return v[1] == "salon" && (v[0] == "new" || v[0] == "contacted" || v[0] == "qualified"); });
        CPPUNIT_ASSERT(!open.empty());
        assertSame("5 Pistes du salon encore ouvertes", open,
                   idsOfKind(keysOf(Crm, "leads.filter", {{"filter", "5"}}), "lead"));

        // != and a filter added by hand.
        long notLyon =
            addFilter(Crm, "Hors Lyon", "contacts", R"({"field":"city","op":"!=","value":"Lyon"})");
        Ids expected = select(contactRows, [](const auto& v) { return v[1] != "Lyon"; });
        Ids actual = personsOf(Crm, "contacts.filter", {{"filter", std::to_string(notLyon)}});
        removeFilter(notLyon);
        assertSame("Hors Lyon", expected, actual);
    }

    void testCrmTargetsMixTheThreeKinds()
    {
        auto leadRows = crmRows("crm_leads", "status", 1);
        // 1: contacts id % 50 = 1, accounts id % 10 = 1, leads id % 50 = 7.
        Keys first, second;
        for (long n = Food2End + 1; n <= CrmEnd; ++n)
        {
            if (n % 10 < 7 && n % 50 == 1)
                first.insert({"person", n});
            if (n % 10 < 7 && n % 70 == 3)
                second.insert({"person", n});
        }
        for (long k = 1; k <= Accounts; ++k)
        {
            if (k % 10 == 1)
                first.insert({"account", k});
            if (k % 10 == 4)
                second.insert({"account", k});
        }
        for (const auto& [id, values] : leadRows)
        {
            if (id % 50 == 7)
                first.insert({"lead", id});
            // 2: contacts id % 70 = 3, accounts id % 10 = 4, qualified leads id % 3 = 0.
            if (values[0] == "qualified" && id % 3 == 0)
                second.insert({"lead", id});
        }
        Keys one = keysOf(Crm, "targets.list", {{"target", "1"}}),
             two = keysOf(Crm, "targets.list", {{"target", "2"}});
        CPPUNIT_ASSERT(first == one);
        CPPUNIT_ASSERT(second == two);
        CPPUNIT_ASSERT(one.count({"lead", People + 7}) == 1); // a lead that is not a person
    }

    void testMaliciousFieldIsRefusedNamingTheFilter()
    {
        long evil = addFilter(Crm, "Filtre piégé", "contacts",
                              R"({"field":"email; DROP TABLE people","op":"=","value":"x"})");
        std::string message;
        try
        {
            rowsOf(Crm, "contacts.filter", {{"filter", std::to_string(evil)}});
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            message = error.displayText();
        }
        removeFilter(evil);
        CPPUNIT_ASSERT_MESSAGE(message, message.find("Filtre piégé") != std::string::npos);
        // It is still listed (the list does not parse definitions); people is still there.
        Poco::Int64 count = 0;
        session() << "SELECT COUNT(*) FROM people", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(People), count);
    }

    void testQuotesInValuesAreBoundNotSpliced()
    {
        const std::string city = "Saint-Jean-d'Angély \"centre\"'; DROP TABLE people; --";
        long contact = *personsOf(Crm, "contacts.all").begin();
        long trap = addFilter(
            Crm, "Ville à apostrophe", "contacts",
            R"({"field":"city","op":"in","value":["Saint-Jean-d'Angély \"centre\"'; DROP TABLE people; --","x' OR '1'='1"]})");
        long always = addFilter(Crm, "Toujours vrai ?", "contacts",
                                R"({"field":"city","op":"=","value":"x' OR '1'='1"})");
        Ids found, none;
        {
            ChangedCity changed(contact, city);
            found = personsOf(Crm, "contacts.filter", {{"filter", std::to_string(trap)}});
            none = personsOf(Crm, "contacts.filter", {{"filter", std::to_string(always)}});
        }
        removeFilter(trap);
        removeFilter(always);
        assertSame("the contact of that city", {contact}, found);
        CPPUNIT_ASSERT(none.empty());
        Poco::Int64 count = 0;
        session() << "SELECT COUNT(*) FROM people", into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(People), count);
    }

    void testFilterOfAnotherGroupOrTypeIsRefused()
    {
        // 6 is the studio's smartlist; 1 selects contacts, not leads.
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "contacts.filter", {{"filter", "6"}}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "leads.filter", {{"filter", "1"}}), Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Studio, "members.filter", {{"filter", "1"}}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(rowsOf(Crm, "contacts.filter", {{"filter", "999"}}),
                             Poco::InvalidArgumentException);
    }

    void testStudioListsMembersSmartlistsAndSessionsOfTheWindow()
    {
        // Sessions from 7 days ago to 30 days ahead: of the 20 every other day around the
        // reference day (10 before, 10 after), the 4 of the last 7 days and the 10 ahead.
        std::vector<Poco::Int64> ids, groups;
        std::vector<std::string> titles;
        std::vector<Poco::DateTime> starts;
        session() << "SELECT id, group_id, title, starts_at FROM studio_sessions", into(ids), into(groups),
            into(titles), into(starts), now;
        std::vector<std::string> expected{"members.all", "members.filter:6"};
        std::vector<std::pair<Poco::DateTime, std::size_t>> order;
        for (std::size_t i = 0; i < ids.size(); ++i)
        {
            if (groups[i] == Studio && starts[i] >= noon() - Poco::Timespan(7, 0, 0, 0, 0) &&
                starts[i] <= noon() + Poco::Timespan(30, 0, 0, 0, 0))
                order.push_back({starts[i], i});
        }
        std::sort(order.begin(), order.end());
        CPPUNIT_ASSERT_EQUAL(std::size_t(14), order.size());
        for (const auto& [start, i] : order)
        {
            for (const char* audience : {"session.booked", "session.waiting", "session.cancelled"})
                expected.push_back(std::string(audience) + ":" + std::to_string(ids[i]));
        }
        std::vector<std::string> listed;
        for (const Target& t : targetsOf(Studio))
        {
            listed.push_back(t.id + (t.params.count("session")  ? ":" + t.params.at("session")
                                     : t.params.count("filter") ? ":" + t.params.at("filter")
                                                                : ""));
            CPPUNIT_ASSERT_EQUAL(std::string("members"), t.recipientType);
            if (t.kind == "session")
            {
                std::size_t i =
                    std::find(ids.begin(), ids.end(), std::stoll(t.params.at("session"))) - ids.begin();
                CPPUNIT_ASSERT_EQUAL(titles[i], t.params.at("session_title"));
                CPPUNIT_ASSERT_EQUAL(Poco::DateTimeFormatter::format(starts[i], "%Y-%m-%d %H:%M"),
                                     t.params.at("date"));
            }
        }
        CPPUNIT_ASSERT(expected == listed);
    }

    void testStudioBookingsWaitingListAndCancellationsOfASession()
    {
        std::vector<Poco::Int64> sessions, persons, ids, capacities;
        std::vector<std::string> statuses;
        session() << "SELECT session_id, person_id, status FROM studio_bookings", into(sessions),
            into(persons), into(statuses), now;
        session() << "SELECT id, capacity FROM studio_sessions ORDER BY id", into(ids), into(capacities), now;
        for (std::size_t k = 0; k < ids.size(); ++k)
        {
            long s = long(ids[k]);
            std::map<std::string, Ids> expected;
            for (std::size_t i = 0; i < sessions.size(); ++i)
            {
                if (sessions[i] == s)
                    expected[statuses[i]].insert(long(persons[i]));
            }
            // Full when s % 3 = 0 (capacity booked, 4 waiting), else 2 + s % 5 places free; 2 cancelled.
            long booked = s % 3 == 0 ? long(capacities[k]) : long(capacities[k]) - 2 - s % 5;
            CPPUNIT_ASSERT_EQUAL(std::size_t(booked), expected["booked"].size());
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), expected["cancelled"].size());
            CPPUNIT_ASSERT_EQUAL(std::size_t(s % 3 == 0 ? 4 : 0), expected["waiting"].size());
            std::map<std::string, std::string> params{{"session", std::to_string(s)}};
            std::string name = "session " + std::to_string(s);
            assertSame(name + " booked", expected["booked"], personsOf(Studio, "session.booked", params));
            assertSame(name + " waiting", expected["waiting"], personsOf(Studio, "session.waiting", params));
            assertSame(name + " cancelled", expected["cancelled"],
                       personsOf(Studio, "session.cancelled", params));
        }
    }

    void testStudioSmartlistYieldsTheMatchingMembers()
    {
        std::map<long, Person> persons = peopleRows();
        Ids english = members(Studio, [&](long n) { return persons.at(n).locale == "en"; });
        CPPUNIT_ASSERT(!english.empty());
        assertSame("6 Élèves anglophones", english, personsOf(Studio, "members.filter", {{"filter", "6"}}));
    }

    void testSessionOfAnotherGroupIsRefused()
    {
        std::string title = "Atelier", start = "2024-03-20 10:00:00";
        session() << "INSERT INTO studio_sessions (id, group_id, title, starts_at, capacity) VALUES (100, 1, "
                     "?, ?, 5)",
            use(title), use(start), now;
        try
        {
            rowsOf(Studio, "session.booked", {{"session", "100"}});
            CPPUNIT_FAIL("a session of the AMAP was accepted in the studio");
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(), error.message().find("session") == 0);
        }
        session() << "DELETE FROM studio_sessions WHERE id = 100", now;
        CPPUNIT_ASSERT_THROW(rowsOf(Studio, "session.waiting", {{"session", "100"}}),
                             Poco::InvalidArgumentException);
        // A session of the group outside the listed window still resolves.
        CPPUNIT_ASSERT(!rowsOf(Studio, "session.booked", {{"session", "1"}}).empty());
    }

    void testEveryTargetYieldsTheStandardColumnsOncePerRecipient()
    {
        std::map<long, Person> persons = peopleRows();
        for (long group : {Amap, Ruche, Crm, Studio})
        {
            for (const Target& t : targetsOf(group))
            {
                RecipientQuery query = shared().loader->query(t, group, shared().database->dialect());
                std::string name = t.id + " of group " + std::to_string(group);
                // No NULL in any column.
                Poco::Data::Session s = session();
                Poco::Data::Statement statement(s);
                std::vector<std::string> bindings = query.bindings;
                Poco::Int64 nulls = -1;
                statement
                    << "SELECT COUNT(*) FROM (" + query.sql +
                           ") r WHERE kind IS NULL OR id IS NULL OR email IS NULL OR first_name IS NULL OR "
                           "last_name IS NULL OR company IS NULL OR locale IS NULL";
                for (auto& value : bindings)
                    statement, use(value);
                statement, into(nulls);
                statement.execute();
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, Poco::Int64(0), nulls);
                Keys keys;
                for (const Row& row : run(query))
                {
                    CPPUNIT_ASSERT_MESSAGE(name + " yields " + row.kind + " " + std::to_string(row.id) +
                                               " twice",
                                           keys.insert({row.kind, row.id}).second);
                    CPPUNIT_ASSERT_MESSAGE(name + ": kind " + row.kind, row.kind == "person" ||
                                                                            row.kind == "account" ||
                                                                            row.kind == "lead");
                    if (row.kind == "person" && row.id > 0)
                    {
                        const Person& p = persons.at(row.id);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, p.email, row.email); // as stored
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, p.firstName, row.firstName);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, p.lastName, row.lastName);
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, p.locale, row.locale);
                    }
                }
            }
        }
    }

    void testEveryLabelIsTranslated()
    {
        CrmHost::Catalogue catalogue;
        catalogue.load(std::string(CRMHOST_RESOURCE_DIR) + "/templates", "massmailing");
        std::set<std::string> labels;
        for (long group : {Amap, Ruche, Crm, Studio})
        {
            for (const Target& t : targetsOf(group))
                labels.insert(t.label);
        }
        for (const std::string& label : labels)
        {
            std::string fr = catalogue.text(label, "fr"), en = catalogue.text(label, "en");
            CPPUNIT_ASSERT_MESSAGE(label, fr != label && en != label && fr != en);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("Tous les membres du groupe"),
                             catalogue.text("massmailing.target.members.all", "fr"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("N'ayant pas commandé pour la prochaine distribution"),
            catalogue.text("massmailing.target.members.not_ordered_next_distribution", "fr"));
        CPPUNIT_ASSERT_EQUAL(std::string("Utilisateurs ayant déjà commandé dans le catalogue Pain au levain"),
                             catalogue.text("massmailing.target.members.catalogue_buyers", "fr",
                                            {{"catalogue_name", "Pain au levain"}}));
    }

private:
    static Ids idsOfKind(const Keys& keys, const std::string& kind)
    {
        Ids ids;
        for (const auto& [k, id] : keys)
        {
            CPPUNIT_ASSERT_EQUAL(kind, k);
            ids.insert(id);
        }
        return ids;
    }
};

namespace
{
CppUnit::Test* suite()
{
    return new CrmHostTests::SuiteSetup(TargetsLoaderTest::suite(), TargetsLoaderTest::seed,
                                        TargetsLoaderTest::drop);
}

CrmHostTests::SuiteRegistration registration(suite);
} // namespace
