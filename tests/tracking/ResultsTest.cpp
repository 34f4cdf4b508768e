// The results of a campaign (issue 13, R3, R4, A10) read from the counters tracking keeps:
// the funnel, the hours, the links, the domains, the language versions, the control group
// against the host's orders, and the CSV of one line per recipient, on SQLite and MariaDB.
#include "tracking/Results.h"
#include "ResultsFixture.h"
#include "TestDatabase.h"
#include "content/Campaigns.h"
#include "tracking/CsvLine.h"
#include <Poco/Data/Session.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <sstream>

using namespace Poco::Data::Keywords;
using CrmHostTests::ResultsFixture;
using MassMailing::CampaignResults;
using MassMailing::CsvLine;
using MassMailing::Results;

class ResultsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ResultsTest);
    CPPUNIT_TEST(testFunnelCountsPeopleMachinesAndBouncesApart);
    CPPUNIT_TEST(testEveryHourSinceTheSendBeganIsListedEmptyOnesToo);
    CPPUNIT_TEST(testLinksComeMostClickedFirst);
    CPPUNIT_TEST(testTopDomainsThenTheOthersTogether);
    CPPUNIT_TEST(testVersionsAreTheOnesContentSent);
    CPPUNIT_TEST(testControlGroupComparesWhoOrderedWithinAWeek);
    CPPUNIT_TEST(testCampaignWithoutEventsHasZerosAndNoControlGroup);
    CPPUNIT_TEST(testCountsAreKeptUntilEventsComeInOrTheSendGoesOn);
    CPPUNIT_TEST(testControlGroupsOrdersAreCountedAgainWhileTheirWeekLasts);
    CPPUNIT_TEST(testCsvHasAHeaderAndOneLinePerRecipientInKeysetPages);
    CPPUNIT_TEST(testCsvCellsAreQuotedAndFormulasDefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_results");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (id, kind, name) VALUES (1, 'food', 'AMAP des Capucins')", now;
        session << "INSERT INTO host_groups (id, kind, name) VALUES (2, 'crm', 'Bureau')", now;
        std::vector<long> people;
        for (long id = 1; id <= 12; ++id)
        {
            session << "INSERT INTO people (id, first_name, email) VALUES (?, 'P', 'p@example.org')", use(id),
                now;
            people.push_back(id);
        }
        session << "INSERT INTO catalogues (id, group_id, name) VALUES (1, 1, 'L\xC3\xA9gumes')", now;
        _fixture = ResultsFixture::write(session, 1, people, 1);
        _now = Poco::DateTime(2001, 11, 10, 8, 0, 0);
        _results = std::make_unique<Results>(*_database, [this] { return _now; });
        _campaigns = std::make_unique<MassMailing::Campaigns>(*_database);
    }

    void tearDown() override
    {
        _results.reset();
        _campaigns.reset();
        _database.reset();
    }

    void testFunnelCountsPeopleMachinesAndBouncesApart()
    {
        CampaignResults r = results();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(ResultsFixture::STARTED_AT), r.startedAt);
        const auto& c = r.counts;
        CPPUNIT_ASSERT_EQUAL(9L, c.planned);
        CPPUNIT_ASSERT_EQUAL(8L, c.sent);
        CPPUNIT_ASSERT_EQUAL(6L, c.delivered);
        CPPUNIT_ASSERT_EQUAL(1L, c.bouncedHard);
        CPPUNIT_ASSERT_EQUAL(1L, c.bouncedSoft);
        CPPUNIT_ASSERT_EQUAL(4L, c.openedUnique);
        CPPUNIT_ASSERT_EQUAL(7L, c.openedTotal);
        CPPUNIT_ASSERT_EQUAL(3L, c.openedMachine);
        CPPUNIT_ASSERT_EQUAL(2L, c.clickedUnique);
        CPPUNIT_ASSERT_EQUAL(3L, c.clickedTotal);
        CPPUNIT_ASSERT_EQUAL(1L, c.clickedMachine);
        CPPUNIT_ASSERT_EQUAL(1L, c.unsubscribed);
        CPPUNIT_ASSERT_EQUAL(1L, c.complained);
        CPPUNIT_ASSERT_EQUAL(2L, c.heldOut);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(4.0 / 6.0, MassMailing::ResultCounts::rate(c.openedUnique, c.delivered),
                                     1e-9);
        CPPUNIT_ASSERT_EQUAL(0.0, MassMailing::ResultCounts::rate(3, 0));
    }

    void testEveryHourSinceTheSendBeganIsListedEmptyOnesToo()
    {
        CampaignResults r = results();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.hours.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-02 09:00:00"), r.hours[0].hour);
        CPPUNIT_ASSERT_EQUAL(2L, r.hours[0].opens);
        CPPUNIT_ASSERT_EQUAL(1L, r.hours[0].clicks);
        CPPUNIT_ASSERT_EQUAL(4L, r.hours[1].opens);
        CPPUNIT_ASSERT_EQUAL(3L, r.hours[1].machineOpens);
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-02 11:00:00"), r.hours[2].hour);
        CPPUNIT_ASSERT_EQUAL(0L, r.hours[2].opens + r.hours[2].clicks);
        CPPUNIT_ASSERT_EQUAL(1L, r.hours[3].machineClicks);

        // While it sends, the hours run on to now.
        setStatus("sending");
        CampaignResults sending = results();
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-10 08:00:00"), sending.hours.back().hour);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8 * 24), sending.hours.size());
    }

    void testLinksComeMostClickedFirst()
    {
        CampaignResults r = results();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.links.size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://example.org/panier?x=1&y=<2>"), r.links[0].url);
        CPPUNIT_ASSERT_EQUAL(2L, r.links[0].unique);
        CPPUNIT_ASSERT_EQUAL(2L, r.links[0].total);
        CPPUNIT_ASSERT_EQUAL(1L, r.links[0].machine);
        CPPUNIT_ASSERT_EQUAL(1L, r.links[1].total);
    }

    void testTopDomainsThenTheOthersTogether()
    {
        CampaignResults r = _results->of(campaign(), 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.domains.size());
        CPPUNIT_ASSERT_EQUAL(std::string("example.org"), r.domains[0].name);
        CPPUNIT_ASSERT_EQUAL(4L, r.domains[0].counts.planned);
        CPPUNIT_ASSERT_EQUAL(4L, r.domains[0].counts.openedUnique);
        CPPUNIT_ASSERT_EQUAL(2L, r.domains[0].counts.heldOut);
        CPPUNIT_ASSERT_EQUAL(std::string("gmail.com"), r.domains[1].name);
        CPPUNIT_ASSERT_EQUAL(1L, r.domains[1].counts.bouncedHard);
        CPPUNIT_ASSERT(r.domains[2].others);
        CPPUNIT_ASSERT_EQUAL(3L, r.domains[2].counts.planned);
        CPPUNIT_ASSERT_EQUAL(1L, r.domains[2].counts.bouncedSoft);
        // Ten by default: every domain, no "others".
        CampaignResults all = results();
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), all.domains.size());
        CPPUNIT_ASSERT(!all.domains.back().others);
    }

    void testVersionsAreTheOnesContentSent()
    {
        CampaignResults r = results();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.versions.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.versions[0].name); // the main one: fr and de
        CPPUNIT_ASSERT_EQUAL(6L, r.versions[0].counts.planned);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), r.versions[1].name);
        CPPUNIT_ASSERT_EQUAL(3L, r.versions[1].counts.planned);
        CPPUNIT_ASSERT_EQUAL(1L, r.versions[1].counts.bouncedHard);
    }

    void testControlGroupComparesWhoOrderedWithinAWeek()
    {
        CampaignResults r = results();
        CPPUNIT_ASSERT(r.control.present);
        CPPUNIT_ASSERT(r.control.withOrders);
        CPPUNIT_ASSERT_EQUAL(2L, r.control.controlSize);
        CPPUNIT_ASSERT_EQUAL(8L, r.control.sentSize);
        CPPUNIT_ASSERT_EQUAL(1L, r.control.controlOrdered); // Ivy
        CPPUNIT_ASSERT_EQUAL(2L, r.control.sentOrdered);    // Anne, and Fay once for two orders
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-09 09:00:00"), r.control.until);

        // In a group that is not a food group, only the sizes.
        Poco::Data::Session session = _database->session();
        session << "UPDATE mm_campaigns SET group_id = 2", now;
        CampaignResults crm = results();
        CPPUNIT_ASSERT(crm.control.present);
        CPPUNIT_ASSERT(!crm.control.withOrders);
    }

    void testCampaignWithoutEventsHasZerosAndNoControlGroup()
    {
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, html, text_body) VALUES (1, "
                   "'members', 'Vide', '', '')",
            now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
        CampaignResults r = _results->of(*_campaigns->find(long(id)));
        CPPUNIT_ASSERT_EQUAL(0L, r.counts.planned + r.counts.sent + r.counts.openedTotal);
        CPPUNIT_ASSERT(r.hours.empty());
        CPPUNIT_ASSERT(r.links.empty());
        CPPUNIT_ASSERT(r.domains.empty());
        CPPUNIT_ASSERT(!r.control.present);
    }

    void testCountsAreKeptUntilEventsComeInOrTheSendGoesOn()
    {
        // A million rows take seconds to count: the page reads the last counts (a snapshot), made
        // again when an event came in since, or every FRESH_SECONDS while the campaign sends.
        CPPUNIT_ASSERT_EQUAL(4L, results().counts.openedUnique);
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-10 08:00:00"), results().computedAt);
        Poco::Data::Session session = _database->session();
        long campaign = _fixture.campaignId;
        session << "UPDATE mm_recipients SET opens = 1 WHERE email = 'eve@yahoo.fr'", now;
        CPPUNIT_ASSERT(!_results->refreshDue());
        CPPUNIT_ASSERT_EQUAL(4L, results().counts.openedUnique);
        session << "INSERT INTO mm_events (campaign_id, recipient_row, kind, at) VALUES (?, 5, 'open', "
                   "'2001-11-10 07:59:00')",
            use(campaign), now;
        _now += Poco::Timespan(5, 0);
        CPPUNIT_ASSERT(!_results->refreshDue()); // one was due, and it is done
        CampaignResults after = results();
        CPPUNIT_ASSERT_EQUAL(5L, after.counts.openedUnique);
        CPPUNIT_ASSERT_EQUAL(std::string("2001-11-10 08:00:05"), after.computedAt);

        // While it sends, again once the counts are FRESH_SECONDS old, events or not.
        setStatus("sending");
        session << "UPDATE mm_recipients SET clicks = 1 WHERE email = 'eve@yahoo.fr'", now;
        _results->refreshDue();
        CPPUNIT_ASSERT_EQUAL(2L, results().counts.clickedUnique);
        _now += Poco::Timespan(Results::FRESH_SECONDS + 1, 0);
        _results->refreshDue();
        CPPUNIT_ASSERT_EQUAL(3L, results().counts.clickedUnique);
        // Counts older than MAX_AGE_SECONDS (a host whose task does not run) are made again when
        // read if they may have missed something: the campaign sends, or an event came in.
        _now += Poco::Timespan(Results::MAX_AGE_SECONDS + 1, 0);
        session << "UPDATE mm_recipients SET clicks = 1 WHERE email = 'bob@example.org'", now;
        CPPUNIT_ASSERT_EQUAL(4L, results().counts.clickedUnique);
        setStatus("done");
        session << "INSERT INTO mm_events (campaign_id, recipient_row, kind, at) VALUES (?, 6, 'click', "
                   "'2001-11-10 08:10:00')",
            use(campaign), now;
        session << "UPDATE mm_recipients SET clicks = 1 WHERE email = 'gus@example.org'", now;
        _now += Poco::Timespan(Results::MAX_AGE_SECONDS + 1, 0);
        CPPUNIT_ASSERT_EQUAL(5L, results().counts.clickedUnique);
        // A finished campaign with nothing new keeps its counts however old (its page never waits
        // for a count of a million rows), and the task leaves them too: the orders' week is over.
        session << "UPDATE mm_recipients SET clicks = 1 WHERE clicks = 0", now;
        _now += Poco::Timespan(1, 0, 0, 0, 0);
        CPPUNIT_ASSERT(!_results->refreshDue());
        CPPUNIT_ASSERT_EQUAL(5L, results().counts.clickedUnique);
    }

    void testControlGroupsOrdersAreCountedAgainWhileTheirWeekLasts()
    {
        // Orders come in without events: while the week after the send lasts, the task counts
        // again counts older than MAX_AGE_SECONDS / 2, and so does a read of older ones.
        _now = Poco::DateTime(2001, 11, 3, 8, 0, 0);
        CampaignResults first = results();
        CPPUNIT_ASSERT(first.control.withOrders);
        const long ordered = first.control.sentOrdered;
        Poco::Data::Session session = _database->session();
        long person = 7; // Gus, sent, who had not ordered
        session << "INSERT INTO orders (group_id, person_id, catalogue_id, ordered_at) VALUES (1, ?, 1, "
                   "'2001-11-03 08:30:00')",
            use(person), now;
        _now += Poco::Timespan(Results::MAX_AGE_SECONDS / 2 - 10, 0);
        CPPUNIT_ASSERT(!_results->refreshDue());
        _now += Poco::Timespan(20, 0);
        CPPUNIT_ASSERT(!_results->refreshDue()); // one was due, and it is done
        CPPUNIT_ASSERT_EQUAL(ordered + 1, results().control.sentOrdered);
        CPPUNIT_ASSERT(results().computedAt > first.computedAt);
    }

    void testCsvHasAHeaderAndOneLinePerRecipientInKeysetPages()
    {
        std::vector<std::string> seen;
        std::size_t pages = 0;
        _results->eachRecipient(
            _fixture.campaignId,
            [&](const std::vector<MassMailing::RecipientResult>& page)
            {
                ++pages;
                CPPUNIT_ASSERT(page.size() <= 5);
                for (const auto& row : page)
                    seen.push_back(row.email);
            },
            5);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), pages);
        CPPUNIT_ASSERT(seen == _fixture.emails);

        std::ostringstream out;
        _results->writeCsv(_fixture.campaignId, out);
        std::string csv = out.str();
        CPPUNIT_ASSERT_EQUAL(
            std::string("address,first_name,last_name,status,reason,detail,bounce,bounce_text,"
                        "sent_at,first_open_at,opens,machine_opens,first_click_at,clicks,"
                        "machine_clicks,unsubscribed_at,complained_at\r\n"),
            csv.substr(0, csv.find('\n') + 1));
        CPPUNIT_ASSERT_MESSAGE(csv, csv.find("anne@example.org,Anne,Martin,sent,,,,,2001-11-02 09:01:00,"
                                             "2001-11-02 09:20:00,3,1,2001-11-02 10:40:00,2,0,,\r\n") !=
                                        std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(csv, csv.find("ivy@example.org,Ivy,T\xC3\xA9moin,left_out,control_group,") !=
                                        std::string::npos);
    }

    void testCsvCellsAreQuotedAndFormulasDefused()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("plain"), CsvLine::cell("plain"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"a,b\""), CsvLine::cell("a,b"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"say \"\"hi\"\"\""), CsvLine::cell("say \"hi\""));
        CPPUNIT_ASSERT_EQUAL(std::string("\"two\nlines\""), CsvLine::cell("two\nlines"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"'=1+1\""), CsvLine::cell("=1+1"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"'+33 6\""), CsvLine::cell("+33 6"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"'-1\""), CsvLine::cell("-1"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"'@x\""), CsvLine::cell("@x"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"'=HYPERLINK(\"\"x\"\")\""), CsvLine::cell("=HYPERLINK(\"x\")"));
        CPPUNIT_ASSERT_EQUAL(std::string("Chlo\xC3\xA9"), CsvLine::cell("Chlo\xC3\xA9"));
        CPPUNIT_ASSERT_EQUAL(std::string("a,,\"b\r\nc\"\r\n"), CsvLine::of({"a", "", "b\r\nc"}));
    }

private:
    MassMailing::Campaign campaign() { return *_campaigns->find(_fixture.campaignId); }
    CampaignResults results() { return _results->of(campaign()); }
    void setStatus(const std::string& status)
    {
        Poco::Data::Session session = _database->session();
        std::string s = status;
        session << "UPDATE mm_campaigns SET status = ?", use(s), now;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<Results> _results;
    std::unique_ptr<MassMailing::Campaigns> _campaigns;
    ResultsFixture _fixture;
    Poco::DateTime _now;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResultsTest);
