#include "audience/Audience.h"
#include "DemoSeeder.h"
#include "SuiteSetup.h"
#include "TestDatabase.h"
#include "audience/AudienceLoads.h"
#include "audience/EmailAddress.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include <Poco/Data/Session.h>
#include <Poco/Logger.h>
#include <Poco/Timespan.h>
#include <cppunit/extensions/HelperMacros.h>
#include <future>
#include <memory>

using namespace Poco::Data::Keywords;
using MassMailing::Audience;
using MassMailing::AudienceOwner;
using MassMailing::AudienceSummary;

namespace
{
// 1,000 demo people (docs/data-model.md): the AMAP (group 1) holds people 1..450 but the
// waiting list (n % 20 == 19); people 5 and 55 of each hundred share the address of the
// one before; addresses of n % 100 in {13, 47, 81} are invalid, n % 200 in {29, 129} none.
const long Amap = 1;

struct Shared
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    std::unique_ptr<MassMailing::TargetsLoader> loader;
    std::unique_ptr<Audience> audience;
    long nextCampaign = 0;
};

Shared& shared()
{
    static Shared instance;
    return instance;
}

long newCampaign()
{
    Poco::Data::Session session = shared().database->session();
    long group = Amap;
    session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, html, text_body) VALUES (?, "
               "'members', 't', '', '')",
        use(group), now;
    Poco::Int64 id = 0;
    session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
    return long(id);
}

long sum(const AudienceSummary& summary)
{
    long total = summary.planned;
    for (const auto& [reason, count] : summary.leftOut)
        total += count;
    return total;
}
} // namespace

class AudienceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AudienceTest);
    CPPUNIT_TEST(testSummaryAddsUp);
    CPPUNIT_TEST(testPersonInTwoTargetsGetsOneMessage);
    CPPUNIT_TEST(testSharedAddressIsOneMessagePerAddressAndOnePerContactInContactMode);
    CPPUNIT_TEST(testUnsubscribedAddressIsLeftOutWithItsReason);
    CPPUNIT_TEST(testInvalidAndMissingAddressesAreCountedAsInvalid);
    CPPUNIT_TEST(testUncheckedRowIsLeftOutAndCanBeCheckedAgain);
    CPPUNIT_TEST(testExcludedTargetIsLeftOut);
    CPPUNIT_TEST(testCsvWithBadLinesKeepsTheGoodOnesAndNamesEachBadLine);
    CPPUNIT_TEST(testControlGroupHoldsOutTheSamePeopleEachTime);
    CPPUNIT_TEST(testPlannedPeopleWithoutEmailConsentAreCounted);
    CPPUNIT_TEST(testTypedLineIsOneAddressAndEachBadLineIsNamed);
    CPPUNIT_TEST(testRemovedSourceTakesBackWhatItLoadedOrExcluded);
    CPPUNIT_TEST(testCampaignOfAnotherGroupCannotBeExcluded);
    CPPUNIT_TEST(testOneMailboxTypedInThreeCasesIsOneRecipient);
    CPPUNIT_TEST(testMemberAndCsvLineOfOneMailboxAreOneRecipient);
    CPPUNIT_TEST(testUnsubscribeInCapitalsSuppressesTheAddressInSmallLetters);
    CPPUNIT_TEST(testExcludedAddressIsLeftOutWhateverItsCase);
    CPPUNIT_TEST(testSqlComputesTheSameAddressFormsAsEmailAddress);
    CPPUNIT_TEST(testEachRowKeepsTheDomainOfItsAddressForTheResults);
    CPPUNIT_TEST(testCsvLineColumnsAndNamesAreBoundedEachRefusalNamingLineAndField);
    CPPUNIT_TEST(testCsvOfTooManyLinesIsRefusedWholeNamingTheFirstLineOver);
    CPPUNIT_TEST(testResolutionTellsEachStepInOrderWithTheRowsLoaded);
    CPPUNIT_TEST(testBackgroundLoadEndsWithTheSummaryOfTheResolution);
    CPPUNIT_TEST(testSecondLoadOfACampaignWhileOneRunsIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    static void seed()
    {
        shared().database = CrmHostTests::makeTestDatabase("crmhost_test_audience_resolution");
        CrmHost::DemoSeeder seeder(*shared().database, Poco::Logger::get("crmhost.test.audience"));
        seeder.setReferenceDay(Poco::DateTime(2024, 3, 13));
        seeder.seed(1000, 11);
        shared().loader = std::make_unique<MassMailing::TargetsLoader>(
            *shared().database, [] { return Poco::DateTime(2024, 3, 13) + Poco::Timespan(0, 12, 0, 0, 0); });
        shared().audience =
            std::make_unique<Audience>(*shared().database, *shared().loader, [](long) { return 0L; });
    }

    static void drop() { shared() = Shared(); }

    void testSummaryAddsUp()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().addTarget(owner, "members.without_order", {}, false);
        AudienceSummary summary = audience().resolve(owner, 1000);
        CPPUNIT_ASSERT(summary.loaded > 400);
        CPPUNIT_ASSERT_EQUAL(summary.loaded, sum(summary));
        CPPUNIT_ASSERT_EQUAL(1000L, summary.monthlyLimit);
        CPPUNIT_ASSERT_EQUAL(1000L, summary.remainingThisMonth());
    }

    void testPersonInTwoTargetsGetsOneMessage()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().addTarget(owner, "members.admins", {}, false); // people 1, 2, 3 are in both
        audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, rowsOf(owner, "person:1", "planned"));
        CPPUNIT_ASSERT_EQUAL(1L, rowsOf(owner, "person:1", "left_out"));
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), reasonOf(owner, "person:1", "left_out"));
    }

    void testSharedAddressIsOneMessagePerAddressAndOnePerContactInContactMode()
    {
        // Person 5 has person 4's address (its domain in capitals): one address, two contacts.
        AudienceOwner perAddress = ownerFor("address");
        audience().addTarget(perAddress, "members.all", {}, false);
        audience().resolve(perAddress, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), reasonOf(perAddress, "person:5", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), reasonOf(perAddress, "person:4", ""));

        AudienceOwner perContact = ownerFor("contact");
        audience().addTarget(perContact, "members.all", {}, false);
        audience().resolve(perContact, 0);
        CPPUNIT_ASSERT_EQUAL(std::string(""), reasonOf(perContact, "person:5", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), reasonOf(perContact, "person:4", ""));
    }

    void testUnsubscribedAddressIsLeftOutWithItsReason()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().resolve(owner, 0);
        std::string address = emailOf(owner, "person:8");
        MassMailing::Suppressions(*shared().database)
            .unsubscribe(Amap, address, 0, MassMailing::UnsubscribeMethod::Link);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"), reasonOf(owner, "person:8", "left_out"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("unsubscribed"));
        Poco::Data::Session session = shared().database->session();
        session << "DELETE FROM mm_unsubscribes", now;
    }

    void testInvalidAndMissingAddressesAreCountedAsInvalid()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid"), reasonOf(owner, "person:13", "left_out"));
        CPPUNIT_ASSERT_EQUAL(std::string("no_address"), reasonOf(owner, "person:29", "left_out"));
        // Rules of the demo data: n % 100 in {13, 47, 81} invalid; n % 200 in {29, 129} no address.
        long invalid = 0, none = 0;
        for (long n = 1; n <= 450; ++n)
        {
            if (n % 20 == 19 || n % 50 == 23) // waiting list, or left the group
                continue;
            invalid += (n % 100 == 13 || n % 100 == 47 || n % 100 == 81);
            none += (n % 200 == 29 || n % 200 == 129);
        }
        CPPUNIT_ASSERT_EQUAL(invalid, summary.count("invalid"));
        CPPUNIT_ASSERT_EQUAL(none, summary.count("no_address"));
    }

    void testUncheckedRowIsLeftOutAndCanBeCheckedAgain()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().setChecked(owner, "person:10", false);
        long planned = audience().resolve(owner, 0).planned;
        CPPUNIT_ASSERT_EQUAL(std::string("unchecked"), reasonOf(owner, "person:10", "left_out"));
        audience().setChecked(owner, "person:10", true);
        CPPUNIT_ASSERT_EQUAL(planned + 1, audience().resolve(owner, 0).planned);
    }

    void testExcludedTargetIsLeftOut()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().addTarget(owner, "members.admins", {}, true);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("excluded"), reasonOf(owner, "person:2", "left_out"));
        CPPUNIT_ASSERT(summary.count("excluded") >= 3);
        CPPUNIT_ASSERT_EQUAL(summary.loaded, sum(summary));
    }

    void testCsvWithBadLinesKeepsTheGoodOnesAndNamesEachBadLine()
    {
        AudienceOwner owner = ownerFor("address");
        auto report = audience().importCsv(owner, "email,first_name,last_name\n"
                                                  "alice@example.org,Alice,Martin\n"
                                                  ",Sans,Adresse\n"
                                                  "pas-une-adresse,Bob,Durand\n"
                                                  "carl@example.org,Carl,Petit,en trop\n"
                                                  "\xff\xfe@example.org\n"
                                                  "\"Dupont; Jean\"@example.org\n"
                                                  "eve@Example.ORG;Ève;Leroy\n");
        CPPUNIT_ASSERT_EQUAL(2L, report.taken);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), report.refused.size());
        CPPUNIT_ASSERT_EQUAL(3L, report.refused[0].line);
        CPPUNIT_ASSERT_EQUAL(std::string("no address"), report.refused[0].message);
        CPPUNIT_ASSERT_EQUAL(4L, report.refused[1].line);
        CPPUNIT_ASSERT(report.refused[1].message.find("pas-une-adresse") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(5L, report.refused[2].line);
        CPPUNIT_ASSERT(report.refused[2].message.find("found 4") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(6L, report.refused[3].line);
        CPPUNIT_ASSERT(report.refused[3].message.find("UTF-8") != std::string::npos);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(2L, summary.planned);
        auto rows = audience().rows(owner.campaignId, "planned", "", 10, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("eve@example.org"), rows.at(1).email);
        CPPUNIT_ASSERT_EQUAL(std::string("Ève"), rows.at(1).firstName);
    }

    void testControlGroupHoldsOutTheSamePeopleEachTime()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().setControlGroup(owner, 10);
        AudienceSummary first = audience().resolve(owner, 0);
        auto held = audience().rows(owner.campaignId, "left_out", "control_group", 1000, 0);
        AudienceSummary second = audience().resolve(owner, 0);
        auto heldAgain = audience().rows(owner.campaignId, "left_out", "control_group", 1000, 0);
        long share = first.count("control_group") * 100 / (first.planned + first.count("control_group"));
        CPPUNIT_ASSERT(share >= 5 && share <= 15);
        CPPUNIT_ASSERT_EQUAL(held.size(), heldAgain.size());
        for (std::size_t i = 0; i < held.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(held[i].recipientId, heldAgain[i].recipientId);
        CPPUNIT_ASSERT_EQUAL(first.loaded, sum(second));
    }

    void testPlannedPeopleWithoutEmailConsentAreCounted()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        AudienceSummary summary = audience().resolve(owner, 0);
        // Rule of the demo data: people n % 20 == 6 gave no email consent.
        long without = 0;
        for (const auto& row : audience().rows(owner.campaignId, "planned", "", 100000, 0))
            without += row.recipientId % 20 == 6;
        CPPUNIT_ASSERT(without > 0);
        CPPUNIT_ASSERT_EQUAL(without, summary.withoutConsent);
    }

    void testTypedLineIsOneAddressAndEachBadLineIsNamed()
    {
        AudienceOwner owner = ownerFor("address");
        auto report =
            audience().addAddressLines(owner, "a@example.org, b@example.org\n\nc@example.org\nfoo\n");
        CPPUNIT_ASSERT_EQUAL(1L, report.taken);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), report.refused.size());
        CPPUNIT_ASSERT_EQUAL(1L, report.refused[0].line);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_address"), report.refused[0].code);
        CPPUNIT_ASSERT_EQUAL(std::string("a@example.org, b@example.org"), report.refused[0].value);
        CPPUNIT_ASSERT_EQUAL(4L, report.refused[1].line);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
        auto rows = audience().rows(owner.campaignId, "", "", 10, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("c@example.org"), rows.at(0).key());
        CPPUNIT_ASSERT_EQUAL(std::string("addresses"), rows.at(0).sourceKind);
    }

    void testRemovedSourceTakesBackWhatItLoadedOrExcluded()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().addTarget(owner, "members.admins", {}, true);
        AudienceSummary summary = audience().resolve(owner, 0);
        auto sources = audience().sources(owner.campaignId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), sources.size());
        CPPUNIT_ASSERT_EQUAL(std::string("exclude"), sources[1].action);
        CPPUNIT_ASSERT_EQUAL(summary.loaded, sources[0].rows);
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.target.members.all"), sources[0].label);

        AudienceOwner other = ownerFor("address");
        CPPUNIT_ASSERT_THROW(audience().removeSource(other, sources[1].id), Poco::NotFoundException);
        audience().removeSource(owner, sources[1].id);
        AudienceSummary after = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(0L, after.count("excluded"));
        CPPUNIT_ASSERT_EQUAL(summary.planned + summary.count("excluded"), after.planned);
        audience().removeSource(owner, sources[0].id);
        CPPUNIT_ASSERT_EQUAL(0L, audience().resolve(owner, 0).loaded);
    }

    void testCampaignOfAnotherGroupCannotBeExcluded()
    {
        AudienceOwner owner = ownerFor("address");
        long theirs = 0;
        {
            Poco::Data::Session session = shared().database->session();
            session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, html, text_body) "
                       "VALUES (2, 'members', 'other', '', '')",
                now;
            Poco::Int64 id = 0;
            session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
            theirs = long(id);
        }
        CPPUNIT_ASSERT_THROW(audience().excludeCampaign(owner, theirs), Poco::NotFoundException);
        AudienceOwner earlier = ownerFor("address");
        audience().excludeCampaign(owner, earlier.campaignId);
        CPPUNIT_ASSERT_EQUAL(std::string("t"), audience().sources(owner.campaignId).at(0).label);
    }

    void testOneMailboxTypedInThreeCasesIsOneRecipient()
    {
        // Finding 1: three spellings of one mailbox were three messages and 0 duplicates.
        AudienceOwner owner = ownerFor("address");
        auto report = audience().addAddressLines(
            owner, "Hand.Typed@Example.org\nhand.typed@example.org\nHAND.TYPED@EXAMPLE.ORG\n");
        CPPUNIT_ASSERT_EQUAL(3L, report.taken);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
        CPPUNIT_ASSERT(summary.count("duplicate") >= 1);
        CPPUNIT_ASSERT_EQUAL(2L, summary.count("duplicate"));
        // The one sent keeps its local part as it was written.
        const std::string sent = audience().rows(owner.campaignId, "planned", "", 10, 0).at(0).email;
        CPPUNIT_ASSERT_MESSAGE(sent, sent == "Hand.Typed@example.org" || sent == "hand.typed@example.org" ||
                                         sent == "HAND.TYPED@example.org");
    }

    void testEachRowKeepsTheDomainOfItsAddressForTheResults()
    {
        // The results page groups by the stored domain (migration 009): a row loaded in capitals
        // is counted with the others of its domain, a row without "@" under its own text.
        AudienceOwner owner = ownerFor("address");
        audience().addAddressLines(owner, "Anne@Example.ORG\nbob@example.org\nzoe@Sub.Example.NET\n");
        audience().resolve(owner, 0);
        std::vector<std::string> emails, domains;
        Poco::Data::Session session = shared().database->session();
        long campaign = owner.campaignId;
        session << "SELECT email, domain FROM mm_recipients WHERE campaign_id = ? ORDER BY id", use(campaign),
            into(emails), into(domains), now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), domains.size());
        for (std::size_t i = 0; i < emails.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(emails[i], MassMailing::EmailAddress::domain(emails[i]), domains[i]);
        CPPUNIT_ASSERT_EQUAL(std::string("example.org"), domains[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("example.org"), domains[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("sub.example.net"), domains[2]);
    }

    void testMemberAndCsvLineOfOneMailboxAreOneRecipient()
    {
        setEmailOf(9, "Marie.Dupont@Gmail.com");
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().importCsv(owner, "email,first_name\nmarie.dupont@gmail.com,Marie\n", "list.csv");
        audience().resolve(owner, 0);
        long planned = 0, duplicates = 0;
        for (const auto& row : audience().rows(owner.campaignId, "", "", 100000, 0))
            if (MassMailing::EmailAddress::identity(row.email) == "marie.dupont@gmail.com")
            {
                planned += row.status == "planned";
                duplicates += row.reason == "duplicate";
            }
        setEmailOf(9, _savedEmail);
        CPPUNIT_ASSERT_EQUAL(1L, planned);
        CPPUNIT_ASSERT_EQUAL(1L, duplicates);
        CPPUNIT_ASSERT_EQUAL(std::string(""), reasonOf(owner, "person:9", ""));
    }

    void testUnsubscribeInCapitalsSuppressesTheAddressInSmallLetters()
    {
        MassMailing::Suppressions suppressions(*shared().database);
        suppressions.unsubscribe(Amap, "X@Y.org", 0, MassMailing::UnsubscribeMethod::OneClick);
        AudienceOwner owner = ownerFor("address");
        audience().addAddressLines(owner, "x@y.org\nsomeone@y.org\n");
        AudienceSummary summary = audience().resolve(owner, 0);
        suppressions.resubscribe(Amap, "x@y.org");
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("unsubscribed"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(std::string("unsubscribed"),
                             audience().rows(owner.campaignId, "left_out", "", 10, 0).at(0).reason);
    }

    void testExcludedAddressIsLeftOutWhateverItsCase()
    {
        // An earlier campaign sent to Hand.Typed@: this one, typed in capitals, leaves it out;
        // an unchecked address is unchecked in any case too.
        AudienceOwner earlier = ownerFor("address");
        audience().addAddressLines(earlier, "Hand.Typed@Example.org\n");
        audience().resolve(earlier, 0);
        {
            Poco::Data::Session session = shared().database->session();
            long id = earlier.campaignId;
            session << "UPDATE mm_recipients SET status = 'sent' WHERE campaign_id = ?", use(id), now;
        }
        AudienceOwner owner = ownerFor("address");
        audience().addAddressLines(owner, "HAND.TYPED@EXAMPLE.ORG\nother@example.org\nThird@Example.org\n");
        audience().excludeCampaign(owner, earlier.campaignId);
        audience().setChecked(owner, "third@example.org", false);
        AudienceSummary summary = audience().resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("excluded"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("unchecked"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
    }

    void testSqlComputesTheSameAddressFormsAsEmailAddress()
    {
        // The identity is computed in C++ (suppressions, the CSV, unchecked keys) and in SQL (the
        // loaders' rows): both must give the same bytes, non-ASCII included, on either database.
        const std::vector<std::string> inputs{"Hand.Typed@Example.org",
                                              "  HAND.TYPED@EXAMPLE.ORG\t\r\n",
                                              "\v\fMarie.Dupont@Gmail.com  ",
                                              "\xC3\x89lodie@Ex\xC3\xA4mple.ORG", // Élodie@Exämple.ORG
                                              "\xE2\x84\xAA@example.org",         // the Kelvin sign
                                              "\xC4\xB0"
                                              "STANBUL@EXAMPLE.TR", // dotted capital I
                                              "Stra\xC3\x9F"
                                              "e@Example.DE", // ß
                                              "no-at-sign AT ALL",
                                              "two@at@Signs.ORG",
                                              "a\xC2\xA0"
                                              "b@Example.org\xC2\xA0", // a no-break space is no blank
                                              "",
                                              "   "};
        MassMailing::SqlDialect sql(shared().database->dialect());
        Poco::Data::Session session = shared().database->session();
        for (const auto& input : inputs)
        {
            std::string value = input, identity, toSend;
            session << "SELECT " + sql.addressIdentity("v.a") + ", " + sql.addressToSend("v.a") +
                           " FROM (SELECT ? AS a) v",
                use(value), into(identity), into(toSend), now;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(input, MassMailing::EmailAddress::identity(input), identity);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(input, MassMailing::EmailAddress::normalize(input), toSend);
            // The domain stored with each row (results per domain) is cut from the address to send.
            std::string domain;
            // The CAST gives the column a size, as mm_recipients.email has: Poco's MySQL connector
            // crashes reading a text whose column the server sizes 0 (an empty parameter, cut).
            session << "SELECT " + sql.addressDomain("v.a") + " FROM (SELECT CAST(? AS CHAR(400)) AS a) v",
                use(toSend), into(domain), now;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(input, MassMailing::EmailAddress::domain(input), domain);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("signs.org"), MassMailing::EmailAddress::domain("two@at@Signs.ORG"));
        CPPUNIT_ASSERT_EQUAL(std::string("ex\xC3\xA4mple.org"),
                             MassMailing::EmailAddress::domain(" \xC3\x89lodie@Ex\xC3\xA4mple.ORG"));
        CPPUNIT_ASSERT_EQUAL(std::string("hand.typed@example.org"),
                             MassMailing::EmailAddress::identity("  HAND.TYPED@EXAMPLE.ORG\t"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x84\xAA@example.org"),
                             MassMailing::EmailAddress::identity("\xE2\x84\xAA@Example.org"));
    }

    void testCsvLineColumnsAndNamesAreBoundedEachRefusalNamingLineAndField()
    {
        AudienceOwner owner = ownerFor("address");
        const std::string hundred(100, 'e'), accents = []
        {
            std::string s;
            for (int i = 0; i < 100; ++i)
                s += "\xC3\xA9"; // é: 100 characters, 200 bytes
            return s;
        }();
        auto report = audience().importCsv(
            owner, "email,first_name,last_name\n"
                   "ok@example.org," +
                       accents + "," + hundred +
                       "\n"
                       "long.first@example.org," +
                       hundred +
                       "x,Martin\n"
                       "long.last@example.org,Ann," +
                       accents + "\xC3\xA9\n" + "wide@example.org" + std::string(3000, ',') + "\n" +
                       "huge@example.org,Ann," + std::string(5000, 'x') + "\n");
        CPPUNIT_ASSERT_EQUAL(1L, report.taken);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), report.refused.size());
        CPPUNIT_ASSERT_EQUAL(3L, report.refused[0].line);
        CPPUNIT_ASSERT_EQUAL(std::string("first_name_too_long"), report.refused[0].code);
        CPPUNIT_ASSERT_EQUAL(std::string("first_name"), report.refused[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("101"), report.refused[0].value);
        CPPUNIT_ASSERT(report.refused[0].message.find("first_name") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(4L, report.refused[1].line);
        CPPUNIT_ASSERT_EQUAL(std::string("last_name"), report.refused[1].field); // characters, not bytes
        CPPUNIT_ASSERT_EQUAL(5L, report.refused[2].line);
        CPPUNIT_ASSERT_EQUAL(std::string("line_too_long"), report.refused[2].code);
        CPPUNIT_ASSERT_EQUAL(6L, report.refused[3].line);
        CPPUNIT_ASSERT_EQUAL(std::string("line_too_long"), report.refused[3].code);
        CPPUNIT_ASSERT(report.refused[3].message.find("2000 bytes") != std::string::npos);
        // The name of 100 characters (200 bytes) is kept whole.
        CPPUNIT_ASSERT_EQUAL(1L, audience().resolve(owner, 0).planned);
        CPPUNIT_ASSERT_EQUAL(accents,
                             audience().rows(owner.campaignId, "planned", "", 10, 0).at(0).firstName);

        // Typed addresses are lines too.
        auto typed = audience().addAddressLines(owner, std::string(3000, 'a') + "@example.org\n");
        CPPUNIT_ASSERT_EQUAL(std::string("line_too_long"), typed.refused.at(0).code);
    }

    void testResolutionTellsEachStepInOrderWithTheRowsLoaded()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        audience().addTarget(owner, "members.admins", {}, false);
        std::vector<Audience::Step> steps;
        AudienceSummary summary =
            audience().resolve(owner, 0, [&](const Audience::Step& step) { steps.push_back(step); });
        std::vector<std::string> names;
        for (const auto& step : steps)
            names.push_back(step.name);
        const std::vector<std::string> expected{"exclusions", "loading", "loading", "summary"};
        CPPUNIT_ASSERT(names == expected);
        for (std::size_t i = 0; i < steps.size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(int(i), steps[i].done);
            CPPUNIT_ASSERT_EQUAL(int(steps.size()), steps[i].total);
        }
        CPPUNIT_ASSERT_EQUAL(0L, steps[1].rows);
        CPPUNIT_ASSERT(steps[2].rows > 400); // all members, before the admins
        CPPUNIT_ASSERT_EQUAL(summary.loaded, steps.back().rows);
    }

    void testBackgroundLoadEndsWithTheSummaryOfTheResolution()
    {
        AudienceOwner owner = ownerFor("address");
        audience().addTarget(owner, "members.all", {}, false);
        MassMailing::AudienceLoads loads(audience());
        CPPUNIT_ASSERT(!loads.state(owner.campaignId));
        MassMailing::AudienceLoads::State state = loads.start(owner, 0, -1);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), state.state);
        AudienceSummary summary = audience().summary(owner, 0);
        CPPUNIT_ASSERT(summary.loaded > 400);
        CPPUNIT_ASSERT_EQUAL(summary.loaded, state.summary.loaded);
        CPPUNIT_ASSERT_EQUAL(summary.planned, state.summary.planned);
        CPPUNIT_ASSERT_EQUAL(state.total, state.done);
        CPPUNIT_ASSERT(!loads.running(owner.campaignId));
        CPPUNIT_ASSERT_EQUAL(std::string("done"), loads.wait(owner.campaignId, 0).state);
    }

    void testSecondLoadOfACampaignWhileOneRunsIsRefused()
    {
        // A load held at its first step until the test lets it go.
        std::promise<void> go;
        std::shared_future<void> released = go.get_future().share();
        MassMailing::AudienceLoads loads(
            [released](const AudienceOwner&, long, const Audience::Progress& progress)
            {
                progress({"loading", 1234, 1, 6});
                released.wait();
                AudienceSummary summary;
                summary.loaded = summary.planned = 1234;
                return summary;
            });
        AudienceOwner owner{1, Amap, "members", "address"}, other{2, Amap, "members", "address"};
        MassMailing::AudienceLoads::State state = loads.start(owner, 0, 50);
        CPPUNIT_ASSERT_EQUAL(std::string("running"), state.state);
        CPPUNIT_ASSERT(loads.running(1));
        CPPUNIT_ASSERT_THROW(loads.start(owner, 0, 0), MassMailing::LoadRunningException);
        try
        {
            loads.refuseWhileRunning(1);
            CPPUNIT_FAIL("a change while the load runs is refused");
        }
        catch (const MassMailing::LoadRunningException& error)
        {
            CPPUNIT_ASSERT_EQUAL(409, error.code());
            CPPUNIT_ASSERT(error.message().find("1234 rows loaded so far") != std::string::npos);
        }
        loads.refuseWhileRunning(2); // another campaign is not held up
        CPPUNIT_ASSERT_EQUAL(std::string("loading"), loads.state(1)->step);
        go.set_value();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), loads.wait(1, -1).state);
        CPPUNIT_ASSERT_EQUAL(1234L, loads.state(1)->summary.planned);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), loads.start(other, 0, -1).state);
    }

    void testCsvOfTooManyLinesIsRefusedWholeNamingTheFirstLineOver()
    {
        AudienceOwner owner = ownerFor("address");
        std::string csv;
        csv.reserve(std::size_t(Audience::MAX_LINES + 1) * 4);
        for (long i = 0; i <= Audience::MAX_LINES; ++i)
            csv += "x\n"; // refused lines too: the count is of lines read
        auto report = audience().importCsv(owner, "ok@example.org\n" + csv);
        CPPUNIT_ASSERT_EQUAL(0L, report.taken);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.refused.size());
        CPPUNIT_ASSERT_EQUAL(Audience::MAX_LINES + 1, report.refused[0].line);
        CPPUNIT_ASSERT_EQUAL(std::string("too_many_lines"), report.refused[0].code);
        CPPUNIT_ASSERT_EQUAL(0L, audience().resolve(owner, 0).loaded);
    }

private:
    static Audience& audience() { return *shared().audience; }

    std::string _savedEmail;

    void setEmailOf(long person, const std::string& email)
    {
        Poco::Data::Session session = shared().database->session();
        if (_savedEmail.empty())
            session << "SELECT COALESCE(email, '') FROM people WHERE id = ?", use(person), into(_savedEmail),
                now;
        std::string value = email;
        session << "UPDATE people SET email = ? WHERE id = ?", use(value), use(person), now;
    }

    static AudienceOwner ownerFor(const std::string& dedupe)
    {
        return {newCampaign(), Amap, "members", dedupe};
    }

    // Rows of one recipient ("person:N") with a status ("" for any).
    static std::vector<MassMailing::AudienceRow> rowsFor(const AudienceOwner& owner, const std::string& who,
                                                         const std::string& status)
    {
        std::vector<MassMailing::AudienceRow> found;
        for (const auto& row : audience().rows(owner.campaignId, status, "", 100000, 0))
            if (row.kind + ":" + std::to_string(row.recipientId) == who)
                found.push_back(row);
        return found;
    }

    static long rowsOf(const AudienceOwner& owner, const std::string& who, const std::string& status)
    {
        return long(rowsFor(owner, who, status).size());
    }

    static std::string reasonOf(const AudienceOwner& owner, const std::string& who, const std::string& status)
    {
        auto rows = rowsFor(owner, who, status);
        CPPUNIT_ASSERT_MESSAGE(who + " is not in the audience", !rows.empty());
        return rows.front().reason;
    }

    static std::string emailOf(const AudienceOwner& owner, const std::string& who)
    {
        return rowsFor(owner, who, "").at(0).email;
    }
};

namespace
{
CppUnit::Test* suite()
{
    return new CrmHostTests::SuiteSetup(AudienceTest::suite(), AudienceTest::seed, AudienceTest::drop);
}

CrmHostTests::SuiteRegistration registration(suite);
} // namespace
