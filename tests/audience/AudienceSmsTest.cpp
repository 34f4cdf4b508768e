#include "TestDatabase.h"
#include "audience/Audience.h"
#include "audience/PhoneNumber.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include "delivery/Deliveries.h"
#include <Poco/Data/Session.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using MassMailing::Audience;
using MassMailing::AudienceOwner;
using MassMailing::PhoneNumber;

// An SMS campaign's audience (issue 15, A6): each row's address is the person's number in E.164,
// the group's country applying to numbers written without their prefix (libphonenumber); people
// without a number and invalid numbers are counted and listed, not planned; one SMS per number;
// a number that answered STOP is left out as unsubscribed. On the database CRMHOST_TEST_DB names.
class AudienceSmsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AudienceSmsTest);
    CPPUNIT_TEST(testNumbersAreNormalisedWithTheGroupsCountry);
    CPPUNIT_TEST(testMissingAndInvalidNumbersAreCountedAndListed);
    CPPUNIT_TEST(testOneSmsPerNumberAndStopIsRespected);
    CPPUNIT_TEST(testEmailCampaignsStillUseTheAddress);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_audience_sms");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('studio', 'Studio')", now;
        Poco::Int64 group = 0;
        session << "SELECT MAX(id) FROM host_groups", into(group), now;
        _group = long(group);
        // name, phone as the member typed it (NULL: none)
        const std::vector<std::pair<std::string, std::string>> people{{"national", "06 12 34 56 78"},
                                                                      {"international", "+33 6 98 76 54 32"},
                                                                      {"same", "+33612345678"},
                                                                      {"belgian", "+32 470 12 34 56"},
                                                                      {"short", "0612"},
                                                                      {"letters", "appelez-moi"},
                                                                      {"none", ""},
                                                                      {"stopped", "07 81 22 33 44"}};
        for (const auto& [name, phone] : people)
        {
            std::string first = name, email = name + "@example.org", number = phone;
            if (phone.empty())
                session << "INSERT INTO people (first_name, email) VALUES (?, ?)", use(first), use(email),
                    now;
            else
                session << "INSERT INTO people (first_name, email, phone) VALUES (?, ?, ?)", use(first),
                    use(email), use(number), now;
            session << "INSERT INTO memberships (group_id, person_id) SELECT ?, MAX(id) FROM people",
                use(_group), now;
        }
        _loader = std::make_unique<MassMailing::TargetsLoader>(*_database);
        _audience = std::make_unique<Audience>(
            *_database, *_loader, [](long) { return 0L; },
            MassMailing::PastDeliveries{&MassMailing::Deliveries::hasSent,
                                        &MassMailing::Deliveries::delivered,
                                        &MassMailing::Deliveries::undelivered},
            [](long) { return std::string("FR"); });
    }

    void tearDown() override
    {
        _audience.reset();
        _loader.reset();
        _database.reset();
    }

    void testNumbersAreNormalisedWithTheGroupsCountry()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("+33612345678"), PhoneNumber::toE164("06 12 34 56 78", "FR"));
        CPPUNIT_ASSERT_EQUAL(std::string("+32470123456"), PhoneNumber::toE164("0470 12 34 56", "BE"));
        CPPUNIT_ASSERT_EQUAL(std::string("+33612345678"), PhoneNumber::toE164("33612345678", ""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), PhoneNumber::toE164("06 12 34 56 78", "")); // no country
        CPPUNIT_ASSERT_EQUAL(std::string(""), PhoneNumber::toE164("0612", "FR"));
        CPPUNIT_ASSERT(PhoneNumber::isE164("+33612345678"));
        CPPUNIT_ASSERT(!PhoneNumber::isE164("0612345678"));

        AudienceOwner owner = smsCampaign();
        _audience->addTarget(owner, "members.all", {}, false);
        _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(std::string("+32470123456 +33612345678 +33698765432 +33781223344"),
                             addresses(owner.campaignId, "planned"));
    }

    void testMissingAndInvalidNumbersAreCountedAndListed()
    {
        AudienceOwner owner = smsCampaign();
        _audience->addTarget(owner, "members.all", {}, false);
        auto summary = _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(2L, summary.count("invalid"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("no_address"));
        auto invalid = _audience->rows(owner.campaignId, "left_out", "invalid", 10, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), invalid.size());
        std::string written;
        for (const auto& row : invalid)
            written += row.email + ";";
        CPPUNIT_ASSERT(written.find("0612;") != std::string::npos);
        CPPUNIT_ASSERT(written.find("appelez-moi;") != std::string::npos);
    }

    void testOneSmsPerNumberAndStopIsRespected()
    {
        MassMailing::Suppressions(*_database)
            .unsubscribe(_group, "+33781223344", 0, MassMailing::UnsubscribeMethod::SmsStop);
        AudienceOwner owner = smsCampaign();
        _audience->addTarget(owner, "members.all", {}, false);
        auto summary = _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("duplicate")); // "national" and "same"
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("unsubscribed"));
        CPPUNIT_ASSERT_EQUAL(3L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(std::string("+32470123456 +33612345678 +33698765432"),
                             addresses(owner.campaignId, "planned"));
    }

    void testEmailCampaignsStillUseTheAddress()
    {
        AudienceOwner owner{campaign("email"), _group, "members", "address"};
        _audience->addTarget(owner, "members.all", {}, false);
        auto summary = _audience->resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(8L, summary.planned);
        CPPUNIT_ASSERT(addresses(owner.campaignId, "planned").find("national@example.org") !=
                       std::string::npos);
    }

private:
    long campaign(const std::string& channel)
    {
        Poco::Data::Session session = _database->session();
        std::string c = channel;
        session
            << "INSERT INTO mm_campaigns (group_id, channel, recipient_type, name, html, text_body) VALUES "
               "(?, ?, 'members', 'SMS', '', 'Bonjour')",
            use(_group), use(c), now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
        return long(id);
    }

    AudienceOwner smsCampaign() { return AudienceOwner{campaign("sms"), _group, "members", "address"}; }

    std::string addresses(long campaignId, const std::string& status)
    {
        Poco::Data::Session session = _database->session();
        std::vector<std::string> found;
        std::string s = status;
        session << "SELECT email FROM mm_recipients WHERE campaign_id = ? AND status = ? ORDER BY email",
            use(campaignId), use(s), into(found), now;
        std::string joined;
        for (const auto& one : found)
            joined += (joined.empty() ? "" : " ") + one;
        return joined;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<MassMailing::TargetsLoader> _loader;
    std::unique_ptr<Audience> _audience;
    long _group = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AudienceSmsTest);
