// Sending later at a time of a chosen zone (D1): stored in UTC, sent on the minute.
#include "DispatchFixture.h"
#include "content/ContentException.h"
#include "delivery/TimeZones.h"

using MassMailing::TimeZones;

namespace DeliveryTests
{
class DispatchTimeZoneTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchTimeZoneTest);
    CPPUNIT_TEST(testWinterMorningInParisIsSentAtHalfPastEightUtc);
    CPPUNIT_TEST(testSummerMorningInParisIsSentAtHalfPastSevenUtc);
    CPPUNIT_TEST(testSameParisTimeMovesAnHourInUtcWhenTheClocksGoForward);
    CPPUNIT_TEST(testOnlyWholeDatesAndTimesAreRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOnlyWholeDatesAndTimesAreRead()
    {
        // Found by fuzz/time_zones: "0-1-1" gave "-1-12-31 23:53:39", and "09:30xyz" was 09:30.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 08:05:00"),
                             TimeZones::utcOf("2026-12-01", "9:05", "Europe/Paris", "at"));
        const std::pair<const char*, const char*> refused[] = {
            {"0-1-1", "09:30"},       {"1969-12-31", "09:30"},    {"2026-1-01", "09:30"},
            {"2026-12-01x", "09:30"}, {"2026-12-01", "09:30xyz"}, {"2026-12-01", "9:5"},
            {"2026-12-01", "24:00"},  {"2026-12-01", ""}};
        for (const auto& [date, time] : refused)
        {
            try
            {
                TimeZones::utcOf(date, time, "Europe/Paris", "at");
                CPPUNIT_FAIL(std::string(date) + " " + time + " was read");
            }
            catch (const MassMailing::FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("at"), error.field());
            }
        }
    }

    void testWinterMorningInParisIsSentAtHalfPastEightUtc()
    {
        plannedFor("2026-12-01T09:30:00+01:00", "2026-12-01 08:30:00");
    }

    void testSummerMorningInParisIsSentAtHalfPastSevenUtc()
    {
        plannedFor("2026-07-01T09:30:00+02:00", "2026-07-01 07:30:00");
    }

    void testSameParisTimeMovesAnHourInUtcWhenTheClocksGoForward()
    {
        // The clocks go forward on the night of 28 to 29 March 2026 in Paris.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-28 08:30:00"),
                             TimeZones::utcOf("2026-03-28", "09:30", "Europe/Paris", "at"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-29 07:30:00"),
                             TimeZones::utcOf("2026-03-29", "09:30", "Europe/Paris", "at"));
        setClock("2026-03-29 06:00:00");
        long campaign = newCampaign(2);
        sendAt(campaign, TimeZones::utcOf("2026-03-29", "09:30", "Europe/Paris", "at"));
        setClock("2026-03-29 08:29:59"); // with winter's offset it would wait until 08:30
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-29 09:30:00"),
                             TimeZones::localOf(campaignText(campaign, "scheduled_at"), "Europe/Paris"));
    }

private:
    void plannedFor(const std::string& asEntered, const std::string& utc)
    {
        setClock(utc.substr(0, 10) + " 06:00:00");
        long campaign = newCampaign(3);
        // What the JSON API stores for a time with its offset (DeliveryApi calls the same).
        CPPUNIT_ASSERT_EQUAL(utc, TimeZones::utcOfInstant(asEntered, "at"));
        // The send screen's way (a date and a time in a named zone) gives the same instant.
        CPPUNIT_ASSERT_EQUAL(
            utc, TimeZones::utcOf(asEntered.substr(0, 10), asEntered.substr(11, 5), "Europe/Paris", "at"));
        sendAt(campaign, TimeZones::utcOfInstant(asEntered, "at"));
        CPPUNIT_ASSERT_EQUAL(utc, campaignText(campaign, "scheduled_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("Europe/Paris"), campaignText(campaign, "time_zone"));

        // A minute early: nothing.
        setClock(utc);
        advance(-1);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(0L, outboxCount());

        setClock(utc);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(utc, campaignText(campaign, "started_at"));
        CPPUNIT_ASSERT_EQUAL(asEntered.substr(0, 10) + " 09:30:00", TimeZones::localOf(utc, "Europe/Paris"));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchTimeZoneTest, "dispatch");
} // namespace DeliveryTests
