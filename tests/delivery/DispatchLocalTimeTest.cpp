// Local-time sending and the sending calendar (D12), with the clock the test sets: each
// recipient at 9:00 of their own zone, and nothing outside the days and hours a campaign may send.
#include "DispatchFixture.h"
#include "FieldException.h"
#include <Poco/Data/Session.h>
#include <Poco/Timespan.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;

namespace DeliveryTests
{
class DispatchLocalTimeTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchLocalTimeTest);
    CPPUNIT_TEST(testEachRecipientGetsItAtNineTheirTime);
    CPPUNIT_TEST(testALocalTimeCampaignWaitsForTheCalendarsDaysInEachZone);
    CPPUNIT_TEST(testNothingIsSentOutsideTheCalendarWhateverThePaceOrTheDeadline);
    CPPUNIT_TEST(testABadCalendarIsRefusedNamingItsField);
    CPPUNIT_TEST(testOptimisedHourIsWhenEachPersonOpenedMostElseTheGroups);
    CPPUNIT_TEST_SUITE_END();

public:
    /// People of the host with these zones ("" for a person without one), made afresh.
    void addPeople(const std::vector<std::pair<std::string, std::string>>& people)
    {
        Poco::Data::Session session = testDatabase().session();
        for (const auto& [address, zone] : people)
        {
            std::string email = address, in = zone;
            session << "DELETE FROM people WHERE email = ?", use(email), now;
            session << "INSERT INTO people (first_name, email, time_zone) VALUES ('Local', ?, ?)", use(email),
                use(in), now;
        }
    }

    /// A draft to these people of the host (addPeople).
    long campaignFor(const std::vector<std::string>& addresses)
    {
        long campaign = newCampaign(addresses);
        execute("UPDATE mm_recipients SET recipient_id = (SELECT MAX(p.id) FROM people p WHERE p.email = "
                "mm_recipients.email) WHERE campaign_id = " +
                std::to_string(campaign));
        return campaign;
    }

    long campaignTo(const std::vector<std::pair<std::string, std::string>>& people)
    {
        addPeople(people);
        std::vector<std::string> addresses;
        for (const auto& person : people)
            addresses.push_back(person.first);
        return campaignFor(addresses);
    }

    /// Runs the dispatcher every step minutes until the clock reaches the end, and says when
    /// (UTC, the test's clock) each address got its message; each address must get one.
    std::map<std::string, std::string> sendUntil(const std::string& end, int step = 15)
    {
        std::map<std::string, std::string> when;
        while (clock() <= end)
        {
            while (runOnce())
                ;
            for (const auto& [address, times] : outbox())
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
                when.emplace(address, clock());
            }
            advance(step);
        }
        return when;
    }

    void testEachRecipientGetsItAtNineTheirTime()
    {
        long campaign = campaignTo({{"paris@local.example", "Europe/Paris"},
                                    {"newyork@local.example", "America/New_York"},
                                    {"tokyo@local.example", "Asia/Tokyo"},
                                    {"nozone@local.example", ""}});
        setClock("2026-11-30 12:00:00"); // Monday
        MassMailing::SendPlan plan;
        plan.localTime = "09:00";
        plan.timeZone = "Europe/London"; // the group's, for those the host gives no zone
        plan.calendar = {"12345", "08:00", "18:00"};
        deliveries().schedule(campaign, plan, false, 0);
        CPPUNIT_ASSERT(!runOnce()); // nobody's 9:00 has come: no work for now
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-30 14:00:00"), progressOf(campaign).nextDue);
        CPPUNIT_ASSERT_EQUAL(std::string("09:00"), progressOf(campaign).localTime);

        std::map<std::string, std::string> when = sendUntil("2026-12-01 12:00:00");
        std::map<std::string, std::string> expected = {
            {"newyork@local.example", "2026-11-30 14:00:00"}, // 9:00 in New York (UTC-5)
            {"tokyo@local.example", "2026-12-01 00:00:00"},   // 9:00 on Tuesday in Tokyo (UTC+9)
            {"paris@local.example", "2026-12-01 08:00:00"},   // 9:00 on Tuesday in Paris (UTC+1)
            {"nozone@local.example", "2026-12-01 09:00:00"}}; // 9:00 in London, the group's zone
        CPPUNIT_ASSERT(expected == when);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
    }

    void testALocalTimeCampaignWaitsForTheCalendarsDaysInEachZone()
    {
        // Sent on Friday at 20:00 UTC, Monday to Friday only: it is already Saturday 5:00 in Tokyo,
        // whose 9:00 is then on Monday; New York's Friday 9:00 has passed, so Monday too.
        long campaign = campaignTo(
            {{"newyork@local.example", "America/New_York"}, {"tokyo@local.example", "Asia/Tokyo"}});
        setClock("2026-12-04 20:00:00");
        MassMailing::SendPlan plan;
        plan.localTime = "09:00";
        plan.timeZone = "Europe/Paris";
        plan.calendar = {"12345", "", ""};
        deliveries().schedule(campaign, plan, false, 0);
        std::map<std::string, std::string> when = sendUntil("2026-12-07 15:00:00", 60);
        std::map<std::string, std::string> expected = {{"tokyo@local.example", "2026-12-07 00:00:00"},
                                                       {"newyork@local.example", "2026-12-07 14:00:00"}};
        CPPUNIT_ASSERT(expected == when);
    }

    void testNothingIsSentOutsideTheCalendarWhateverThePaceOrTheDeadline()
    {
        // From 9:00 to 10:00, Paris time, Monday to Friday, two an hour, until Wednesday 7:00 UTC:
        // two on Monday at 9:00, none at 10:00 although the pace would allow two more, two on
        // Tuesday, and the last is still waiting when the deadline passes.
        long campaign = newCampaign(5);
        setClock("2026-12-05 10:00:00"); // Saturday
        MassMailing::SendPlan plan;
        plan.timeZone = "Europe/Paris";
        plan.maxPerHour = 2;
        plan.deadline = "2026-12-09 07:00:00";
        plan.calendar = {"12345", "09:00", "10:00"};
        deliveries().schedule(campaign, plan, false, 0);
        CPPUNIT_ASSERT(!runOnce());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        CPPUNIT_ASSERT(progressOf(campaign).waitingForCalendar);
        std::map<std::string, long> sentBy; // UTC time: how many had gone
        for (; clock() <= "2026-12-09 12:00:00"; advance(30))
        {
            // A pace that allows no more this hour is work left (runOnce() says true): a few rounds.
            for (int round = 0; round < 3 && runOnce(); ++round)
                ;
            sentBy[clock()] = outboxCount();
        }
        long before = 0;
        for (const auto& [at, sent] : sentBy)
        {
            if (sent != before) // something went out in the half hour: within 9:00-10:00 Paris
                CPPUNIT_ASSERT_MESSAGE(at, at.substr(11) == "08:00:00" || at.substr(11) == "08:30:00");
            before = sent;
        }
        CPPUNIT_ASSERT_EQUAL(2L, sentBy.at("2026-12-07 08:00:00"));
        CPPUNIT_ASSERT_EQUAL(2L, sentBy.at("2026-12-07 09:30:00"));
        CPPUNIT_ASSERT_EQUAL(4L, sentBy.at("2026-12-08 08:30:00"));
        CPPUNIT_ASSERT_EQUAL(4L, sentBy.at("2026-12-09 12:00:00"));
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "skipped"));
    }

    void testOptimisedHourIsWhenEachPersonOpenedMostElseTheGroups()
    {
        // Three earlier campaigns of the group: Anne (Paris) opened them at 18:10, 18:10 and 07:10
        // UTC; Chiyo (Tokyo) each at 06:10 UTC; Bruno (Paris) none. The group's best hour is 06 UTC.
        addPeople({{"anne@local.example", "Europe/Paris"},
                   {"bruno@local.example", "Europe/Paris"},
                   {"chiyo@local.example", "Asia/Tokyo"}});
        const char* anne[] = {"2026-11-02 18:10:00", "2026-11-09 18:10:00", "2026-11-16 07:10:00"};
        for (int k = 0; k < 3; ++k)
        {
            long earlier = campaignFor({"anne@local.example", "bruno@local.example", "chiyo@local.example"});
            std::string id = std::to_string(earlier);
            execute("UPDATE mm_recipients SET status = 'sent' WHERE campaign_id = " + id);
            execute("UPDATE mm_recipients SET first_open_at = '" + std::string(anne[k]) +
                    "' WHERE email = 'anne@local.example' AND campaign_id = " + id);
            execute("UPDATE mm_recipients SET first_open_at = '2026-11-0" + std::to_string(k + 3) +
                    " 06:10:00' WHERE email = 'chiyo@local.example' AND campaign_id = " + id);
            execute("UPDATE mm_campaigns SET status = 'done' WHERE id = " + id);
        }
        long campaign = campaignFor({"anne@local.example", "bruno@local.example", "chiyo@local.example"});
        setClock("2026-11-30 12:00:00");
        MassMailing::SendPlan plan;
        plan.localTime = "09:00";
        plan.optimisedHour = true;
        plan.timeZone = "Europe/Paris";
        deliveries().schedule(campaign, plan, false, 0);
        std::map<std::string, std::string> when = sendUntil("2026-12-01 12:00:00");
        std::map<std::string, std::string> expected = {
            {"anne@local.example", "2026-11-30 18:00:00"},   // her hour: 19:00 in Paris
            {"chiyo@local.example", "2026-12-01 06:00:00"},  // hers: 15:00 in Tokyo
            {"bruno@local.example", "2026-12-01 06:00:00"}}; // the group's: 07:00 in Paris
        CPPUNIT_ASSERT(expected == when);
    }

    void testABadCalendarIsRefusedNamingItsField()
    {
        long campaign = newCampaign(1);
        setClock("2026-12-01 08:00:00");
        auto refused = [&](const MassMailing::SendPlan& plan, const std::string& field)
        {
            try
            {
                deliveries().schedule(campaign, plan, false, 0);
                CPPUNIT_FAIL("a plan refused on " + field + " was taken");
            }
            catch (const MassMailing::FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(field, error.field());
            }
            CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(campaign));
        };
        MassMailing::SendPlan plan;
        plan.calendar = {"1238", "", ""};
        refused(plan, "calendar.days");
        plan.calendar = {"12345", "9h", ""};
        refused(plan, "calendar.from");
        plan.calendar = {"12345", "18:00", "08:00"};
        refused(plan, "calendar.to");
        plan.calendar = {"12345", "08:00", "18:00"};
        plan.localTime = "07:30";
        refused(plan, "local_time");
        plan.localTime = "25:00";
        refused(plan, "local_time");
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchLocalTimeTest, "dispatch");
} // namespace DeliveryTests
