#include "FieldException.h"
#include "TestDatabase.h"
#include "audience/Audience.h"
#include "audience/TargetsLoader.h"
#include "delivery/Deliveries.h"
#include <Poco/Data/Session.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using MassMailing::Audience;
using MassMailing::AudienceOwner;
using MassMailing::Deliveries;
using MassMailing::FieldException;

// A11: "those who did not open campaign X" and "those whose delivery of campaign X failed or
// bounced", as targets and as exclusions of a new campaign, with delivery's own words for what
// delivered means (Deliveries::delivered, undelivered), on the database CRMHOST_TEST_DB names.
class AudienceCampaignRowsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AudienceCampaignRowsTest);
    CPPUNIT_TEST(testThoseWhoDidNotOpenAreLoadedMachinesOpensNotCounting);
    CPPUNIT_TEST(testThoseWhoseDeliveryFailedOrBouncedAreLoaded);
    CPPUNIT_TEST(testThoseWhoDidNotOpenAreExcluded);
    CPPUNIT_TEST(testThoseWhoseDeliveryFailedAreExcluded);
    CPPUNIT_TEST(testSourceIsShownWithTheCampaignNameAndCanBeRemoved);
    CPPUNIT_TEST(testCampaignThatHasNotSentIsRefused);
    CPPUNIT_TEST(testCampaignOfAnotherGroupIsNotFound);
    CPPUNIT_TEST(testNotOpenedOfACampaignSentWithoutTrackingIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_audience_campaign_rows");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP'), ('food', 'Autre')", now;
        std::vector<Poco::Int64> groups;
        session << "SELECT id FROM host_groups ORDER BY id", into(groups), now;
        _amap = long(groups.at(0));
        _other = long(groups.at(1));
        for (const char* name : {"opened", "quiet", "proxied", "failed", "bounced", "unsubscribed"})
        {
            std::string first = name, email = std::string(name) + "@example.org";
            session << "INSERT INTO people (first_name, email) VALUES (?, ?)", use(first), use(email), now;
            session << "INSERT INTO memberships (group_id, person_id) SELECT ?, MAX(id) FROM people",
                use(_amap), now;
            Poco::Int64 id = 0;
            session << "SELECT MAX(id) FROM people", into(id), now;
            _people[name] = long(id);
        }
        _loader = std::make_unique<MassMailing::TargetsLoader>(*_database);
        _audience = std::make_unique<Audience>(
            *_database, *_loader, [](long) { return 0L; },
            MassMailing::PastDeliveries{&Deliveries::hasSent, &Deliveries::delivered,
                                        &Deliveries::undelivered});

        // Campaign X, sent: who opened, who did not (one opened only by a privacy proxy), who
        // failed, who bounced after the server's 250, who was left out, and a typed address.
        _x = campaign(_amap, "Octobre", "done");
        row(_x, "opened", "sent", "", 2, 0);
        row(_x, "quiet", "sent", "", 0, 0);
        row(_x, "proxied", "sent", "", 0, 3);
        row(_x, "failed", "failed", "", 0, 0);
        row(_x, "bounced", "bounced", "hard", 0, 0); // as Deliveries::bounced leaves it
        row(_x, "unsubscribed", "left_out", "", 0, 0);
        row(_x, "typed", "sent", "", 0, 0);
    }

    void tearDown() override
    {
        _audience.reset();
        _loader.reset();
        _database.reset();
    }

    void testThoseWhoDidNotOpenAreLoadedMachinesOpensNotCounting()
    {
        AudienceOwner owner = newOwner();
        _audience->addCampaignRows(owner, Audience::NOT_OPENED, _x, false);
        _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("proxied quiet typed"), planned(owner.campaignId));
    }

    void testThoseWhoseDeliveryFailedOrBouncedAreLoaded()
    {
        AudienceOwner owner = newOwner();
        _audience->addCampaignRows(owner, Audience::UNDELIVERED, _x, false);
        _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced failed"), planned(owner.campaignId));
    }

    void testThoseWhoDidNotOpenAreExcluded()
    {
        AudienceOwner owner = newOwner();
        _audience->addTarget(owner, "members.all", {}, false);
        _audience->addCampaignRows(owner, Audience::NOT_OPENED, _x, true);
        auto summary = _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced failed opened unsubscribed"), planned(owner.campaignId));
        CPPUNIT_ASSERT_EQUAL(2L, summary.count("excluded"));
    }

    void testThoseWhoseDeliveryFailedAreExcluded()
    {
        AudienceOwner owner = newOwner();
        _audience->addTarget(owner, "members.all", {}, false);
        _audience->addCampaignRows(owner, Audience::UNDELIVERED, _x, true);
        auto summary = _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("opened proxied quiet unsubscribed"), planned(owner.campaignId));
        CPPUNIT_ASSERT_EQUAL(2L, summary.count("excluded"));
    }

    void testSourceIsShownWithTheCampaignNameAndCanBeRemoved()
    {
        AudienceOwner owner = newOwner();
        _audience->addCampaignRows(owner, Audience::UNDELIVERED, _x, false);
        _audience->resolve(owner, 0);
        auto sources = _audience->sources(owner.campaignId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), sources.size());
        CPPUNIT_ASSERT_EQUAL(std::string("undelivered"), sources[0].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("Octobre"), sources[0].label);
        CPPUNIT_ASSERT_EQUAL(2L, sources[0].rows);
        _audience->removeSource(owner, sources[0].id);
        _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string(""), planned(owner.campaignId));
    }

    void testCampaignThatHasNotSentIsRefused()
    {
        long draft = campaign(_amap, "Brouillon", "draft");
        AudienceOwner owner = newOwner();
        for (const std::string kind : {Audience::NOT_OPENED, Audience::UNDELIVERED})
        {
            try
            {
                _audience->addCampaignRows(owner, kind, draft, false);
                CPPUNIT_FAIL("the rows of a campaign never sent were loaded");
            }
            catch (const FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("campaign"), error.field());
                CPPUNIT_ASSERT_EQUAL(std::string("not_sent"), error.code());
            }
        }
        CPPUNIT_ASSERT_THROW(_audience->addCampaignRows(owner, "everyone", _x, false), FieldException);
        CPPUNIT_ASSERT(_audience->sources(owner.campaignId).empty());
    }

    void testCampaignOfAnotherGroupIsNotFound()
    {
        long elsewhere = campaign(_other, "Ailleurs", "done");
        AudienceOwner owner = newOwner();
        CPPUNIT_ASSERT_THROW(_audience->addCampaignRows(owner, Audience::UNDELIVERED, elsewhere, false),
                             Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(
            _audience->addCampaignRows(owner, Audience::UNDELIVERED, owner.campaignId, false),
            Poco::NotFoundException);
    }

    void testNotOpenedOfACampaignSentWithoutTrackingIsRefused()
    {
        Poco::Data::Session session = _database->session();
        session << "UPDATE mm_campaigns SET tracking = 0 WHERE id = ?", use(_x), now;
        AudienceOwner owner = newOwner();
        try
        {
            _audience->addCampaignRows(owner, Audience::NOT_OPENED, _x, false);
            CPPUNIT_FAIL("opens of a campaign without tracking were trusted");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("not_tracked"), error.code());
        }
        _audience->addCampaignRows(owner, Audience::UNDELIVERED, _x, false); // failures are known
    }

private:
    long campaign(long group, const std::string& name, const std::string& status)
    {
        Poco::Data::Session session = _database->session();
        std::string n = name, s = status;
        session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, status, html, text_body) "
                   "VALUES (?, "
                   "'members', ?, ?, '', '')",
            use(group), use(n), use(s), now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
        return long(id);
    }

    AudienceOwner newOwner() { return {campaign(_amap, "Novembre", "draft"), _amap, "members", "address"}; }

    void row(long campaignId, const std::string& name, const std::string& status, const std::string& bounce,
             int opens, int machineOpens)
    {
        Poco::Data::Session session = _database->session();
        long person = _people.count(name) ? _people[name] : 0;
        std::string email = name + "@example.org", s = status, b = bounce;
        std::string reason = status == "left_out" ? "unsubscribed" : "";
        std::string key = person ? "person:" + std::to_string(person) : email;
        session
            << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
               "dedupe_key, status, reason, bounce, opens, machine_opens) VALUES (?, 1, 'person', ?, ?, ?, "
               "?, ?, "
               "?, ?, ?, ?)",
            use(campaignId), use(person), use(email), bind(name), use(key), use(s), use(reason), use(b),
            use(opens), use(machineOpens), now;
    }

    // The first names of the campaign's planned rows, in order, separated by spaces.
    std::string planned(long campaignId)
    {
        Poco::Data::Session session = _database->session();
        std::vector<std::string> emails;
        session
            << "SELECT email FROM mm_recipients WHERE campaign_id = ? AND status = 'planned' ORDER BY email",
            use(campaignId), into(emails), now;
        std::string out;
        for (const auto& email : emails)
            out += (out.empty() ? "" : " ") + email.substr(0, email.find('@'));
        return out;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<MassMailing::TargetsLoader> _loader;
    std::unique_ptr<Audience> _audience;
    std::map<std::string, long> _people;
    long _amap = 0, _other = 0, _x = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AudienceCampaignRowsTest);
