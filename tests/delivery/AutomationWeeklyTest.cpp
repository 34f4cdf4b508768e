#include "DispatchFixture.h"
#include "FieldException.h"
#include "HostEvents.h"
#include "NotificationSettings.h"
#include "audience/Audience.h"
#include "audience/TargetsLoader.h"
#include "automation/Automations.h"
#include "automation/RecurringSchedule.h"
#include "content/Campaigns.h"
#include "content/MessageReader.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timespan.h>
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <set>
#include <thread>

using namespace Poco::Data::Keywords;
using MassMailing::Automation;
using MassMailing::AutomationOccurrence;
using MassMailing::Automations;

namespace DeliveryTests
{
/// Automatic messages (M4) on the delivery engine, with the clock the test sets: the weekly
/// reminder "every Tuesday at 18:00, Paris time, to the members who have not ordered for the
/// next distribution" over eight weeks across the change to winter time (25 October 2026),
/// through crashes, a stopped host and two nodes; distribution.upcoming driving a summary.
class AutomationWeeklyTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(AutomationWeeklyTest);
    CPPUNIT_TEST(testNextOccurrencesKeepTheirLocalTimeAcrossWinterTime);
    CPPUNIT_TEST(testWeeklyReminderReachesEachWeekThoseWhoHaveNotOrderedOnce);
    CPPUNIT_TEST(testCrashesAStoppedHostAndTwoNodesChangeNothing);
    CPPUNIT_TEST(testTwoNodesAtTheSameMomentMakeOneCampaign);
    CPPUNIT_TEST(testOccurrenceMissedBeyondItsWindowIsSkippedWithItsReason);
    CPPUNIT_TEST(testOccurrenceWithNobodyToSendToIsRecordedAndSendsNothing);
    CPPUNIT_TEST(testPausedRuleAndSkippedOccurrenceSendNothing);
    CPPUNIT_TEST(testDistributionUpcomingDrivesOneSummaryPerMemberWhoOrdered);
    CPPUNIT_TEST(testBuiltInNotificationsFollowEachMembersChoice);
    CPPUNIT_TEST(testOrderSummaryListsEachMembersOwnLines);
    CPPUNIT_TEST_SUITE_END();

public:
    static const int MEMBERS = 5;

    /// What the rules' campaigns hold besides their recipients, which the fixture does not
    /// empty before it deletes the campaigns.
    static void forgetAutomations()
    {
        Poco::Data::Session session = testDatabase().session();
        for (const char* table :
             {"mm_automation_occurrences", "mm_automations", "mm_audience_sources", "mm_audience_unchecked",
              "mm_audience_exclusions", "mm_campaign_versions", "host_events", "notification_settings"})
            session << std::string("DELETE FROM ") + table, now;
    }

    void setUp() override
    {
        DispatchFixture::setUp();
        Poco::Data::Session session = testDatabase().session();
        Poco::Int64 group = 0;
        session << "SELECT COALESCE(MAX(id), 0) FROM host_groups WHERE name = 'Automation tests'",
            into(group), now;
        if (group == 0)
        {
            session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'Automation tests')", now;
            session << "SELECT MAX(id) FROM host_groups", into(group), now;
            session << "INSERT INTO verified_domains (group_id, domain) VALUES (?, 'example.org')",
                use(group), now;
            for (int k = 1; k <= MEMBERS; ++k)
            {
                std::string email = "member" + std::to_string(k) + "@example.org";
                std::string first = "Member" + std::to_string(k);
                session << "INSERT INTO people (first_name, last_name, email, consent_email) VALUES (?, "
                           "'Test', ?, 1)",
                    use(first), use(email), now;
                Poco::Int64 person = 0;
                session << "SELECT MAX(id) FROM people", into(person), now;
                session
                    << "INSERT INTO memberships (group_id, person_id, joined_at) VALUES (?, ?, '2026-01-01 "
                       "00:00:00')",
                    use(group), use(person), now;
            }
            session << "INSERT INTO catalogues (group_id, name) VALUES (?, 'Vegetables')", use(group), now;
        }
        food = long(group);
        session << "SELECT id FROM catalogues WHERE group_id = ?", use(group), into(catalogue), now;
        session << "DELETE FROM orders WHERE group_id = ?", use(group), now;
        session << "DELETE FROM distributions WHERE group_id = ?", use(group), now;
        // A distribution every Friday at 16:00 UTC, from 9 October to 4 December 2026.
        Poco::DateTime friday(2026, 10, 9, 16, 0, 0);
        for (int w = 0; w < 9; ++w, friday += Poco::Timespan(7, 0, 0, 0, 0))
        {
            std::string starts = MassMailing::sqlTime(friday);
            std::string ends = MassMailing::sqlTime(friday + Poco::Timespan(0, 2, 0, 0, 0));
            session
                << "INSERT INTO distributions (group_id, starts_at, ends_at, place) VALUES (?, ?, ?, 'Hall')",
                use(group), use(starts), use(ends), now;
        }
        session << "SELECT id FROM distributions WHERE group_id = ? ORDER BY starts_at", use(group),
            into(distributions), now;
        loader = std::make_unique<MassMailing::TargetsLoader>(testDatabase(), testClock());
        campaigns = std::make_unique<MassMailing::Campaigns>(testDatabase());
        audience = std::make_unique<MassMailing::Audience>(
            testDatabase(), *loader, [this](long g) { return deliveries().sentThisMonth(g); });
        setClock("2026-10-05 00:00:00");
    }

    void tearDown() override
    {
        nodes.clear();
        forgetAutomations();
        audience.reset();
        campaigns.reset();
        loader.reset();
        DispatchFixture::tearDown();
    }

    std::unique_ptr<Automations> node(const std::string& name, Automations::Step step = {})
    {
        return std::make_unique<Automations>(
            testDatabase(), *campaigns, *audience, deliveries(), testClock(), [] { return 0L; }, name, step);
    }

    long weeklyReminder(Automations& automations, long window = 120)
    {
        Automation rule;
        rule.groupId = food;
        rule.name = "Reminder";
        rule.trigger.cron = "0 18 * * 2";
        rule.trigger.timeZone = "Europe/Paris";
        rule.windowMinutes = window;
        MassMailing::Campaign message;
        message.recipientType = "members";
        message.senderName = "The food group";
        message.senderEmail = "news@example.org";
        message.subject = "Orders close on Wednesday";
        message.html = "<p>Hello {{first_name}}, you have not ordered yet.</p>";
        return automations.create(rule, message, {{"members.not_ordered_next_distribution", {}, false}});
    }

    void order(int member, int week)
    {
        Poco::Data::Session session = testDatabase().session();
        std::string email = "member" + std::to_string(member) + "@example.org", at = clock();
        Poco::Int64 distribution = distributions.at(std::size_t(week)), group = food, from = catalogue.at(0);
        session << "INSERT INTO orders (group_id, person_id, catalogue_id, distribution_id, ordered_at) "
                   "SELECT ?, "
                   "id, ?, ?, ? FROM people WHERE email = ?",
            use(group), use(from), use(distribution), use(at), use(email), now;
    }

    /// Who orders before the reminder of week w (Monday 10:00 UTC): (member + w) % 3 == 0. Member 5
    /// also orders on the Wednesday of week 2 for the distribution of week 3.
    static bool ordersEarly(int member, int week) { return (member + week) % 3 == 0; }
    static std::set<std::string> expectedFor(int week)
    {
        std::set<std::string> expected;
        for (int k = 1; k <= MEMBERS; ++k)
            if (!ordersEarly(k, week) && !(k == 5 && week == 3))
                expected.insert("member" + std::to_string(k) + "@example.org");
        return expected;
    }

    /// Eight weeks, hour by hour: the members order, then each node's task runs (a node may be
    /// down: running() says), then the dispatchers send.
    void runEightWeeks(const std::function<void(const std::string& hour)>& eachHour)
    {
        for (int hour = 0; hour < 8 * 7 * 24; ++hour)
        {
            int week = hour / (7 * 24), inWeek = hour % (7 * 24);
            if (inWeek == 10)
                for (int k = 1; k <= MEMBERS; ++k)
                    if (ordersEarly(k, week))
                        order(k, week);
            if (week == 2 && inWeek == 2 * 24 + 12)
                order(5, 3);
            eachHour(clock());
            advance(60);
        }
    }

    std::vector<AutomationOccurrence> recorded(Automations& automations, long rule)
    {
        std::vector<AutomationOccurrence> all = automations.occurrences(rule, 100, 0);
        return std::vector<AutomationOccurrence>(all.rbegin(), all.rend()); // oldest first
    }

    std::set<std::string> sentTo(long campaign)
    {
        Poco::Data::Session session = testDatabase().session();
        std::vector<std::string> emails;
        session << "SELECT email FROM mm_recipients WHERE campaign_id = ? AND status = 'sent'", use(campaign),
            into(emails), now;
        return std::set<std::string>(emails.begin(), emails.end());
    }

    void assertEightWeeksAsPlanned(Automations& automations, long rule,
                                   const std::map<std::string, int>& mail)
    {
        std::vector<AutomationOccurrence> occurrences = recorded(automations, rule);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), occurrences.size());
        const char* expectedAt[] = {"2026-10-06 16:00:00", "2026-10-13 16:00:00", "2026-10-20 16:00:00",
                                    "2026-10-27 17:00:00", "2026-11-03 17:00:00", "2026-11-10 17:00:00",
                                    "2026-11-17 17:00:00", "2026-11-24 17:00:00"};
        std::map<std::string, int> expectedMail;
        std::set<long> seen;
        for (int w = 0; w < 8; ++w)
        {
            const AutomationOccurrence& o = occurrences[std::size_t(w)];
            CPPUNIT_ASSERT_EQUAL(std::string(expectedAt[w]), o.at);
            CPPUNIT_ASSERT_EQUAL(std::string("occurrence"), campaigns->find(o.campaign)->automatic);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(o.reason, std::string("sent"), o.status);
            CPPUNIT_ASSERT(o.campaign != 0 && seen.insert(o.campaign).second);
            std::set<std::string> expected = expectedFor(w);
            CPPUNIT_ASSERT(expected == sentTo(o.campaign));
            CPPUNIT_ASSERT_EQUAL(long(expected.size()), o.planned);
            for (const std::string& address : expected)
                ++expectedMail[address];
        }
        CPPUNIT_ASSERT(expectedMail == mail);
    }

    void testNextOccurrencesKeepTheirLocalTimeAcrossWinterTime()
    {
        MassMailing::RecurringSchedule tuesday("0 18 * * 2", "Europe/Paris");
        std::vector<std::string> next = tuesday.next("2026-10-14 00:00:00", 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), next.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-20 16:00:00"), next[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-27 17:00:00"), next[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-03 17:00:00"), next[2]);

        std::unique_ptr<Automations> automations = node("a");
        long rule = weeklyReminder(*automations);
        setClock("2026-10-21 08:00:00"); // Wednesday: the distribution of the 23rd is next
        std::vector<AutomationOccurrence> coming = automations->occurrences(rule, 10, 5);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), coming.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-27 17:00:00"), coming[0].at);
        CPPUNIT_ASSERT_EQUAL(std::string("planned"), coming[0].status);
        // The planned size is the audience now: all five members, nobody has ordered yet.
        CPPUNIT_ASSERT_EQUAL(long(MEMBERS), coming[0].planned);
        // The rule's own campaign is its message, marked as such, never sent itself.
        long model = automations->find(rule)->modelCampaign;
        CPPUNIT_ASSERT_EQUAL(std::string("model"), campaigns->find(model)->automatic);
        try
        {
            sendNow(model);
            CPPUNIT_FAIL("a rule's model was scheduled");
        }
        catch (const MassMailing::FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("automatic_model"), error.code());
            CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(model));
        }
        try
        {
            MassMailing::RecurringSchedule("0 25 * * 2", "Europe/Paris");
            CPPUNIT_FAIL("an hour of 25 was taken");
        }
        catch (const MassMailing::FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("trigger.cron"), error.field());
        }
    }

    void testWeeklyReminderReachesEachWeekThoseWhoHaveNotOrderedOnce()
    {
        std::unique_ptr<Automations> automations = node("a");
        long rule = weeklyReminder(*automations);
        runEightWeeks(
            [&](const std::string&)
            {
                automations->runOnce();
                while (runOnce())
                    ;
            });
        assertEightWeeksAsPlanned(*automations, rule, outbox());
    }

    void testCrashesAStoppedHostAndTwoNodesChangeNothing()
    {
        // Node a stops in the middle of an occurrence once at each step; node b runs beside it;
        // in week 4 both are down from 15:00 to 18:00 UTC, around the occurrence of 17:00.
        std::string crashAt;
        auto crashing = [&](const std::string& step)
        {
            if (step == crashAt)
            {
                crashAt.clear();
                throw Poco::RuntimeException("killed at " + step);
            }
        };
        std::unique_ptr<Automations> a = node("a", crashing), b = node("b");
        std::unique_ptr<MassMailing::Dispatcher> other = otherNodeWithItsOwnOutbox();
        long rule = weeklyReminder(*a);
        int crashes = 0;
        runEightWeeks(
            [&](const std::string& hour)
            {
                // The Tuesdays of weeks 0 to 3 each lose node a at one step of their occurrence.
                const char* steps[] = {"claimed", "created", "resolved", "scheduled"};
                const char* tuesdays[] = {"2026-10-06 16:00:00", "2026-10-13 16:00:00", "2026-10-20 16:00:00",
                                          "2026-10-27 17:00:00"};
                for (int w = 0; w < 4; ++w)
                    if (hour == tuesdays[w])
                        crashAt = steps[w];
                bool down = hour >= "2026-11-03 15:00:00" && hour < "2026-11-03 18:00:00";
                if (down)
                    return;
                try
                {
                    a->runOnce();
                }
                catch (const Poco::RuntimeException&)
                {
                    ++crashes;
                    a = node("a", crashing); // the host restarts
                }
                b->runOnce();
                while (runOnce() || other->runOnce())
                    ;
            });
        CPPUNIT_ASSERT_EQUAL(4, crashes);
        std::map<std::string, int> mail = outbox();
        for (const auto& [address, times] : otherOutbox())
            mail[address] += times;
        assertEightWeeksAsPlanned(*b, rule, mail);
        // Found an hour late after the stop, within the two hours of its window.
        CPPUNIT_ASSERT_EQUAL(std::string("sent 60 minutes late"), recorded(*b, rule)[4].reason);
    }

    void testTwoNodesAtTheSameMomentMakeOneCampaign()
    {
        // Each Tuesday of four weeks, both nodes' tasks fire at the same moment, in two threads.
        std::unique_ptr<Automations> a = node("a"), b = node("b");
        long rule = weeklyReminder(*a);
        const char* tuesdays[] = {"2026-10-06 16:00:30", "2026-10-13 16:00:30", "2026-10-20 16:00:30",
                                  "2026-10-27 17:00:30"};
        for (const char* tuesday : tuesdays)
        {
            setClock(tuesday);
            std::atomic<int> failures{0};
            auto run = [&failures](Automations& automations)
            {
                try
                {
                    automations.runOnce();
                }
                catch (const Poco::Exception&)
                {
                    ++failures; // a busy database: the task fires again at its next time
                }
            };
            std::thread first(run, std::ref(*a)), second(run, std::ref(*b));
            first.join();
            second.join();
            if (failures > 0)
                a->runOnce();
            while (runOnce())
                ;
        }
        std::vector<AutomationOccurrence> occurrences = recorded(*a, rule);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), occurrences.size());
        for (const AutomationOccurrence& o : occurrences)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(o.reason, std::string("sent"), o.status);
        Poco::Data::Session session = testDatabase().session();
        Poco::Int64 copies = 0;
        session << "SELECT COUNT(*) FROM mm_campaigns WHERE automatic = 'occurrence'", into(copies), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), copies);
        // Five members a week, one message each: 20 in all, none twice in a week.
        CPPUNIT_ASSERT_EQUAL(long(4 * MEMBERS), outboxCount());
    }

    void testOccurrenceMissedBeyondItsWindowIsSkippedWithItsReason()
    {
        std::unique_ptr<Automations> automations = node("a");
        long rule = weeklyReminder(*automations, 60);
        setClock("2026-10-06 15:00:00");
        automations->runOnce();
        setClock("2026-10-06 18:30:00"); // back 150 minutes after 16:00 UTC
        automations->runOnce();
        while (runOnce())
            ;
        std::vector<AutomationOccurrence> occurrences = recorded(*automations, rule);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), occurrences.size());
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), occurrences[0].status);
        CPPUNIT_ASSERT_EQUAL(
            std::string("missed: found 150 minutes after its time, the rule's window is 60 minutes"),
            occurrences[0].reason);
        CPPUNIT_ASSERT_EQUAL(0L, occurrences[0].campaign);
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
        // The clock going back (a corrected clock) brings no second try.
        setClock("2026-10-06 16:10:00");
        automations->runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), recorded(*automations, rule)[0].status);
    }

    void testOccurrenceWithNobodyToSendToIsRecordedAndSendsNothing()
    {
        std::unique_ptr<Automations> automations = node("a");
        long rule = weeklyReminder(*automations);
        setClock("2026-10-05 10:00:00");
        for (int k = 1; k <= MEMBERS; ++k)
            order(k, 0);
        setClock("2026-10-06 16:00:00");
        automations->runOnce();
        while (runOnce())
            ;
        std::vector<AutomationOccurrence> occurrences = recorded(*automations, rule);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), occurrences.size());
        CPPUNIT_ASSERT_EQUAL(std::string("empty"), occurrences[0].status);
        CPPUNIT_ASSERT_EQUAL(std::string("nobody to send to at that moment"), occurrences[0].reason);
        CPPUNIT_ASSERT_EQUAL(0L, occurrences[0].planned);
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());
    }

    void testPausedRuleAndSkippedOccurrenceSendNothing()
    {
        std::unique_ptr<Automations> automations = node("a");
        long rule = weeklyReminder(*automations);
        AutomationOccurrence skipped = automations->skipNext(rule);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-06 16:00:00"), skipped.at);
        // The next five start after the skipped one.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-13 16:00:00"),
                             automations->occurrences(rule, 0, 5).at(0).at);
        setClock("2026-10-06 16:00:00");
        automations->runOnce();
        automations->setPaused(rule, true);
        setClock("2026-10-13 16:00:00");
        automations->runOnce();
        automations->setPaused(rule, false);
        setClock("2026-10-20 16:00:00");
        automations->runOnce();
        while (runOnce())
            ;
        std::vector<AutomationOccurrence> occurrences = recorded(*automations, rule);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), occurrences.size());
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), occurrences[0].reason);
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), occurrences[1].reason);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), occurrences[2].status);
        CPPUNIT_ASSERT_EQUAL(long(MEMBERS), outboxCount());
    }

    void testDistributionUpcomingDrivesOneSummaryPerMemberWhoOrdered()
    {
        std::unique_ptr<Automations> a = node("a"), b = node("b");
        Automation rule;
        rule.groupId = food;
        rule.name = "Order summary";
        rule.trigger.event = "distribution.upcoming";
        rule.trigger.delayMinutes = 24 * 60;
        MassMailing::Campaign message;
        message.recipientType = "members";
        message.senderName = "The food group";
        message.senderEmail = "news@example.org";
        message.subject = "Your order for tomorrow";
        message.html = "<p>Hello {{first_name}}, see you tomorrow.</p>";
        long id = a->create(rule, message, {{"members.ordered_next_distribution", {}, false}});
        setClock("2026-10-05 10:00:00");
        order(1, 0);
        order(2, 0);
        // The host offers its events to both nodes' modules, twice (a restart before its record).
        CrmHost::HostEvents events(testDatabase(),
                                   [&](const CrmHost::HostEvent& event)
                                   {
                                       a->onEvent(event);
                                       b->onEvent(event);
                                   },
                                   testClock(), {48, 168});
        setClock("2026-10-07 17:00:00"); // the distribution of the 9th at 16:00 comes within 48 h
        CPPUNIT_ASSERT_EQUAL(1, events.emit());
        CPPUNIT_ASSERT_EQUAL(0, events.emit());
        for (const CrmHost::HostEvent& event :
             CrmHost::HostEvents(testDatabase(), {}, testClock(), {48, 24 * 30}).due())
            a->onEvent(event); // offered again
        a->runOnce();
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount()); // due 24 h before: the 8th at 16:00
        setClock("2026-10-08 16:00:00");
        a->runOnce();
        b->runOnce();
        while (runOnce())
            ;
        std::map<std::string, int> expected = {{"member1@example.org", 1}, {"member2@example.org", 1}};
        CPPUNIT_ASSERT(expected == outbox());
        std::vector<AutomationOccurrence> occurrences = recorded(*a, id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), occurrences.size());
        CPPUNIT_ASSERT_EQUAL(std::string("distribution.upcoming:") + std::to_string(distributions[0]),
                             occurrences[0].key);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-08 16:00:00"), occurrences[0].at);
    }

    long personOf(int member)
    {
        Poco::Data::Session session = testDatabase().session();
        std::string email = "member" + std::to_string(member) + "@example.org";
        Poco::Int64 person = 0;
        session << "SELECT id FROM people WHERE email = ?", use(email), into(person), now;
        return long(person);
    }

    void testBuiltInNotificationsFollowEachMembersChoice()
    {
        // Members 1, 2 and 3 ordered for the distribution of Friday 9 October at 16:00 UTC, whose
        // orders open on the 7th at 16:30. In "My account → Notifications": member 2 switched the
        // summary off, member 3 chose it 4 h before, member 4 switched "orders open" off.
        setClock("2026-10-05 10:00:00");
        for (int k = 1; k <= 3; ++k)
            order(k, 0);
        CrmHost::NotificationSettings choices(testDatabase());
        choices.choose(personOf(2), food, "order_summary", false, 24, clock());
        choices.choose(personOf(3), food, "order_summary", true, 4, clock());
        choices.choose(personOf(4), food, "orders_opened", false, 24, clock());
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-05 10:00:00"), choices.of(personOf(3)).at(1).changedAt);
        execute("UPDATE distributions SET orders_open_at = '2026-10-07 16:30:00' WHERE id = " +
                std::to_string(distributions[0]));

        std::unique_ptr<Automations> automations = node("a");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), automations->setUpNotifications(food, 0).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), automations->setUpNotifications(food, 0).size()); // once
        CrmHost::HostEvents events(testDatabase(),
                                   [&](const CrmHost::HostEvent& event) { automations->onEvent(event); },
                                   testClock(), {48, 168});
        auto hour = [&](const std::string& at)
        {
            setClock(at);
            events.emit();
            automations->runOnce();
            while (runOnce())
                ;
        };
        hour("2026-10-07 17:00:00"); // orders open; the distribution comes within 48 h
        std::map<std::string, int> opened = {{"member1@example.org", 1},
                                             {"member2@example.org", 1},
                                             {"member3@example.org", 1},
                                             {"member5@example.org", 1}};
        CPPUNIT_ASSERT(opened == outbox());
        hour("2026-10-08 16:00:00"); // 24 h before: member 1 only
        hour("2026-10-09 12:00:00"); // 4 h before: member 3 only
        std::map<std::string, int> all = {{"member1@example.org", 2},
                                          {"member2@example.org", 1},
                                          {"member3@example.org", 2},
                                          {"member5@example.org", 1}};
        CPPUNIT_ASSERT(all == outbox());
    }

    /// An order line of a member for the distribution of a week, in a catalogue of the group.
    void orderLine(int member, int week, Poco::Int64 from, int quantity, int cents)
    {
        Poco::Data::Session session = testDatabase().session();
        std::string email = "member" + std::to_string(member) + "@example.org", at = clock();
        Poco::Int64 distribution = distributions.at(std::size_t(week)), group = food;
        session << "INSERT INTO orders (group_id, person_id, catalogue_id, distribution_id, ordered_at, "
                   "quantity, amount_cents) SELECT ?, id, ?, ?, ?, ?, ? FROM people WHERE email = ?",
            use(group), use(from), use(distribution), use(at), use(quantity), use(cents), use(email), now;
    }

    void testOrderSummaryListsEachMembersOwnLines()
    {
        // Member 1 ordered vegetables and cheese for Friday 9 October, and more for the week
        // after; member 2, who reads English, vegetables only. A catalogue's name holds HTML.
        Poco::Data::Session session = testDatabase().session();
        Poco::Int64 group = food, cheese = 0;
        session
            << "SELECT COALESCE(MAX(id), 0) FROM catalogues WHERE group_id = ? AND name = 'Fromage & <Brie>'",
            use(group), into(cheese), now;
        if (cheese == 0)
        {
            session << "INSERT INTO catalogues (group_id, name) VALUES (?, 'Fromage & <Brie>')", use(group),
                now;
            session << "SELECT MAX(id) FROM catalogues", into(cheese), now;
        }
        setClock("2026-10-05 10:00:00");
        orderLine(1, 0, catalogue.at(0), 2, 700);
        orderLine(1, 0, cheese, 1, 1250);
        orderLine(1, 1, catalogue.at(0), 5, 1500);
        orderLine(2, 0, catalogue.at(0), 3, 900);
        execute("UPDATE people SET locale = 'en' WHERE email = 'member2@example.org'");

        std::unique_ptr<Automations> automations = node("a");
        automations->setUpNotifications(food, 0);
        CrmHost::HostEvents events(testDatabase(),
                                   [&](const CrmHost::HostEvent& event) { automations->onEvent(event); },
                                   testClock(), {48, 168});
        for (const char* at : {"2026-10-07 17:00:00", "2026-10-08 16:00:00"}) // 24 h before the 9th
        {
            setClock(at);
            events.emit();
            automations->runOnce();
            while (runOnce())
                ;
        }
        execute("UPDATE people SET locale = 'fr' WHERE email = 'member2@example.org'");

        std::map<std::string, MassMailing::ReadMessage> summaries;
        for (const auto& [to, bytes] : outboxMessages())
        {
            MassMailing::ReadMessage message = MassMailing::MessageReader::read(bytes);
            std::string subject = message.header("Subject");
            if (subject == "Votre commande pour demain" || subject == "Your order for tomorrow")
                summaries[to] = message;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), summaries.size()); // those who ordered, once each
        const MassMailing::ReadMessage& first = summaries.at("member1@example.org");
        CPPUNIT_ASSERT_MESSAGE(first.text, first.text.find("09/10/2026 16:00 (Hall)") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(first.html, first.html.find("<li>2 × Vegetables à 3,50 € : 7,00 €</li>") !=
                                               std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            first.html, first.html.find("<li>1 × Fromage &amp; &lt;Brie&gt; à 12,50 € : 12,50 €</li>") !=
                            std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(first.html, first.html.find("<Brie>") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(first.html, first.html.find("5 ×") ==
                                               std::string::npos); // the next week's order is not this one
        CPPUNIT_ASSERT_EQUAL(std::string::size_type(2), timesIn(first.html, "<li>"));
        CPPUNIT_ASSERT_MESSAGE(first.text,
                               first.text.find("2 × Vegetables à 3,50 € : 7,00 €") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(first.text, first.text.find("1 × Fromage & <Brie> à 12,50 € : 12,50 €") !=
                                               std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(first.text, first.text.find("5 ×") == std::string::npos);
        const MassMailing::ReadMessage& second = summaries.at("member2@example.org");
        CPPUNIT_ASSERT_MESSAGE(second.html, second.html.find("<li>3 × Vegetables at €3.00: €9.00</li>") !=
                                                std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string::size_type(1), timesIn(second.html, "<li>"));
        CPPUNIT_ASSERT_MESSAGE(second.text,
                               second.text.find("3 × Vegetables at €3.00: €9.00") != std::string::npos);
    }

    static std::string::size_type timesIn(const std::string& text, const std::string& part)
    {
        std::string::size_type n = 0;
        for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
            ++n;
        return n;
    }

    long food = 0;
    std::vector<Poco::Int64> distributions, catalogue;
    std::unique_ptr<MassMailing::TargetsLoader> loader;
    std::unique_ptr<MassMailing::Campaigns> campaigns;
    std::unique_ptr<MassMailing::Audience> audience;
    std::vector<std::unique_ptr<Automations>> nodes;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(AutomationWeeklyTest, "dispatch");
} // namespace DeliveryTests
