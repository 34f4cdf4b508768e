// Step 5 of the campaign wizard, "Send", seen from a browser against the real crmhost binary serving
// demo data: the summary and the checklist, a form without its CSRF token, a send planned for later
// in Europe/Paris (shown as typed, stored in UTC with the offset of that date, winter and summer), a
// refused time shown next to its field with what was typed, a change the state no longer allows,
// and a sender without the approve right whose send waits for an approver, who sees it on the home
// screen and approves it.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;
using CrmHostTests::unescapeHtml;

namespace
{
/// One seeded server for the suite; every test makes its own campaigns.
struct Demo
{
    std::unique_ptr<CrmHostServer> server;
    std::string password; // the administrator's, who may approve
    std::string food;
};
std::unique_ptr<Demo> demo;

const char* const SENDER_PASSWORD = "sender-password-1";

void startDemo()
{
    demo = std::make_unique<Demo>();
    demo->server = std::make_unique<CrmHostServer>("crmhost_test_send_screen");
    CrmHostServer& server = *demo->server;
    std::string seeded = server.runOrFail({"seed-demo", "--people", "200"});
    demo->password = match(seeded, "^Administrator: login admin, password (\\S+)$");
    demo->food = server.groupsOf("food").front();
    server.runOrFail({"module", "enable", "massmailing", "--group", demo->food});
    // Someone who may write and send in the group, but not approve.
    server.runOrFail({"user", "add", "--login", "sender", "--password", SENDER_PASSWORD, "--group",
                      demo->food, "--right", "massmailing.compose", "--right", "massmailing.send"});
    server.start();
}

void stopDemo()
{
    if (demo && demo->server)
        demo->server->stop();
    demo.reset();
}

std::string base()
{
    return "/g/" + demo->food + "/massmailing/";
}

std::string sendPage(const std::string& id)
{
    return base() + "campaigns/" + id + "/send";
}

/// What the page says of the campaign's state: its data-status.
std::string statusOf(const std::string& page)
{
    return match(page, "id=\"campaign-status\" data-status=\"([a-z_]+)\"");
}
} // namespace

class SendScreenTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SendScreenTest);
    CPPUNIT_TEST(testPageShowsTheSummaryAndTheChecklist);
    CPPUNIT_TEST(testFormWithoutTheCsrfTokenChangesNothing);
    CPPUNIT_TEST(testSendLaterInParisShowsTheTimeAsTypedAndIsScheduledAtTheUtcOfThatDate);
    CPPUNIT_TEST(testTimeThatDoesNotExistIsRefusedNextToItsFieldKeepingWhatWasTyped);
    CPPUNIT_TEST(testChangeTheStateNoLongerAllowsIsRefusedInWords);
    CPPUNIT_TEST(testPausedSendResumesAndItsPaceChangesLive);
    CPPUNIT_TEST(testSenderWithoutApproveRightWaitsForTheApproverWhoSeesItOnTheHomeScreen);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPageShowsTheSummaryAndTheChecklist()
    {
        Browser admin = loggedIn("admin", demo->password);
        std::string id = readyCampaign(admin, "Résumé avant envoi");
        std::string planned = match(admin.get(base() + "campaigns/" + id + "/recipients").body,
                                    "<tr data-count=\"planned\"[^>]*><th>[^<]*</th><td class=\"number\"><a "
                                    "[^>]*>([0-9]+)</a>");
        HttpAnswer page = admin.get(sendPage(id));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.body, 200, page.status);
        std::string text = unescapeHtml(page.body);
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "<li class=\"current\" data-step=\"5\">"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, ">5. Send</a>"));
        CPPUNIT_ASSERT_EQUAL(planned, match(text, "<tr data-count=\"planned\"[^>]*><th>[^<]*</th><td "
                                                  "class=\"number\">([0-9]+)</td>"));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "<tr data-count=\"monthly_limit\"><th>Monthly email limit"));
        // The checklist: each point ready, with what it checked.
        std::string checklist = match(text, "(<ul class=\"mm-checklist\">[\\s\\S]*?</ul>)");
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, "<li data-check=\"sender\" class=\"ok\">"));
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, "AMAP <paniers@example.org>"));
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, "Commandez avant jeudi, {{first_name}}"));
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, planned + " recipients planned"));
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, "<li data-check=\"variables\" class=\"ok\">"));
        CPPUNIT_ASSERT_MESSAGE(checklist, contains(checklist, "<li data-check=\"size\" class=\"ok\">"));
        CPPUNIT_ASSERT_MESSAGE(checklist, !contains(checklist, "not-ok"));
        // Send now, or later in a zone, Paris unless told otherwise.
        CPPUNIT_ASSERT_MESSAGE(
            text, contains(text, "<option value=\"Europe/Paris\" selected>Europe/Paris</option>"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "id=\"when-now\" checked"));
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(page.body));

        // In French, the same page in French.
        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=fr").status);
        std::string french = unescapeHtml(admin.get(sendPage(id)).body);
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, ">5. Envoi</a>"));
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, "Programmer l'envoi</button>"));
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, planned + " destinataires prévus"));
        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=en").status);
    }

    void testFormWithoutTheCsrfTokenChangesNothing()
    {
        Browser admin = loggedIn("admin", demo->password);
        std::string id = readyCampaign(admin, "Sans jeton");
        HttpAnswer forged = admin.post(sendPage(id), {{"action", "schedule"}, {"when", "now"}});
        CPPUNIT_ASSERT_EQUAL(403, forged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(admin.get(sendPage(id)).body));
    }

    void testSendLaterInParisShowsTheTimeAsTypedAndIsScheduledAtTheUtcOfThatDate()
    {
        Browser admin = loggedIn("admin", demo->password);
        // Winter: Paris is at UTC+01:00.
        std::string winter = readyCampaign(admin, "Envoi d'hiver");
        HttpAnswer scheduled = later(admin, winter, "2030-01-15", "09:30", "Europe/Paris");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 303, scheduled.status);
        CPPUNIT_ASSERT_MESSAGE(scheduled.location, contains(scheduled.location, "/send?done=schedule"));
        HttpAnswer page = admin.get(scheduled.location.substr(scheduled.location.find("/g/")));
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(page.body));
        std::string text = unescapeHtml(page.body);
        CPPUNIT_ASSERT_EQUAL(
            std::string("2030-01-15 08:30:00"),
            match(text, "<span id=\"plan\" data-utc=\"([^\"]+)\" data-zone=\"Europe/Paris\">"));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "Planned for 2030-01-15 09:30 (Europe/Paris, UTC+01:00)."));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "id=\"notice\">The send is scheduled. Planned for 2030-01-15 "
                                              "09:30 (Europe/Paris, UTC+01:00)."));
        // The form to change the plan holds the time as it was typed.
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "name=\"send_date\" value=\"2030-01-15\""));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "name=\"send_time\" value=\"09:30\""));

        // Summer: UTC+02:00, and the pace of "finish within 2 hours" from the planned count.
        std::string summer = readyCampaign(admin, "Envoi d'été");
        HttpAnswer july = later(admin, summer, "2030-07-15", "09:30", "Europe/Paris",
                                {{"pacing", "within"}, {"within_hours", "2"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(july.body, 303, july.status);
        std::string summerText = unescapeHtml(admin.get(sendPage(summer)).body);
        CPPUNIT_ASSERT_EQUAL(std::string("2030-07-15 07:30:00"),
                             match(summerText, "<span id=\"plan\" data-utc=\"([^\"]+)\""));
        CPPUNIT_ASSERT_MESSAGE(summerText,
                               contains(summerText, "2030-07-15 09:30 (Europe/Paris, UTC+02:00)"));
        long planned = std::stol(match(summerText, "<tr data-count=\"planned\"[^>]*><th>[^<]*</th><td "
                                                   "class=\"number\">([0-9]+)</td>"));
        CPPUNIT_ASSERT_MESSAGE(
            summerText,
            contains(summerText, "At most " + std::to_string((planned + 1) / 2) + " messages an hour."));

        // A new plan refused (a deadline before its start) is said next to the deadline, and
        // the plan stays as it was.
        HttpAnswer refused =
            later(admin, winter, "2030-01-16", "10:00", "Europe/Paris",
                  {{"action", "reschedule"}, {"deadline_date", "2030-01-16"}, {"deadline_time", "08:00"}});
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(
            refused.body,
            contains(refused.body,
                     "id=\"error-deadline\" data-field=\"deadline\">The deadline must come after the start"));
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               contains(refused.body, "name=\"send_date\" value=\"2030-01-16\""));
        std::string kept = unescapeHtml(admin.get(sendPage(winter)).body);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(kept));
        CPPUNIT_ASSERT_MESSAGE(kept, contains(kept, "data-utc=\"2030-01-15 08:30:00\""));
        // Accepted, the new plan replaces it.
        HttpAnswer changed =
            later(admin, winter, "2030-01-16", "10:00", "Europe/Paris", {{"action", "reschedule"}});
        CPPUNIT_ASSERT_EQUAL(303, changed.status);
        std::string now = unescapeHtml(admin.get(changed.location.substr(changed.location.find("/g/"))).body);
        CPPUNIT_ASSERT_MESSAGE(
            now, contains(now, "id=\"notice\">The new plan is saved. Planned for 2030-01-16 10:00"));
        CPPUNIT_ASSERT_MESSAGE(now, contains(now, "data-utc=\"2030-01-16 09:00:00\""));
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(now));
        CPPUNIT_ASSERT_EQUAL(
            303,
            later(admin, winter, "2030-01-15", "09:30", "Europe/Paris", {{"action", "reschedule"}}).status);

        // The home screen lists both scheduled sends, each with its time as typed, Edit and Cancel.
        std::string home = unescapeHtml(admin.get(base()).body);
        std::string row =
            match(home, "(<tr data-campaign=\"" + winter + "\" data-status=\"scheduled\">[\\s\\S]*?</tr>)");
        CPPUNIT_ASSERT_MESSAGE(row, contains(row, "2030-01-15 09:30 (Europe/Paris, UTC+01:00)"));
        CPPUNIT_ASSERT_MESSAGE(row,
                               contains(row, "href=\"" + sendPage(winter) + "\" class=\"mm-edit\">Edit</a>"));
        CPPUNIT_ASSERT_MESSAGE(row, contains(row, "name=\"action\" value=\"cancel\""));

        // Cancel from the home screen: back to it, the campaign cancelled.
        HttpAnswer cancelled =
            admin.post(sendPage(winter),
                       {{"csrf", admin.get(base()).csrfToken()}, {"action", "cancel"}, {"from", "home"}});
        CPPUNIT_ASSERT_EQUAL(303, cancelled.status);
        CPPUNIT_ASSERT_MESSAGE(cancelled.location, contains(cancelled.location, base() + "?done=cancel"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), statusOf(admin.get(sendPage(winter)).body));
    }

    void testTimeThatDoesNotExistIsRefusedNextToItsFieldKeepingWhatWasTyped()
    {
        Browser admin = loggedIn("admin", demo->password);
        std::string id = readyCampaign(admin, "Heure inexistante");
        // 02:30 on the last Sunday of March 2030: Paris's clocks go from 02:00 to 03:00.
        HttpAnswer refused = later(admin, id, "2030-03-31", "02:30", "Europe/Paris",
                                   {{"pacing", "per_hour"}, {"per_hour", "120"}});
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        std::string text = unescapeHtml(refused.body);
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "id=\"error-send-at\" data-field=\"send_at\">This time does "
                                              "not exist in this zone on that date"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "name=\"send_date\" value=\"2030-03-31\""));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "name=\"send_time\" value=\"02:30\""));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "id=\"when-later\" checked"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "id=\"pacing-per-hour\" checked"));
        CPPUNIT_ASSERT_MESSAGE(
            text, contains(text, "name=\"per_hour\" id=\"per_hour\" min=\"1\" step=\"1\" value=\"120\""));
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(refused.body));

        // A time already past, and a bad pace, each in words next to its field.
        HttpAnswer past = later(admin, id, "2020-01-01", "09:00", "Europe/Paris");
        CPPUNIT_ASSERT_EQUAL(422, past.status);
        CPPUNIT_ASSERT_MESSAGE(past.body,
                               contains(past.body, "data-field=\"send_at\">This time has already passed"));
        HttpAnswer pace = later(admin, id, "2030-01-15", "09:00", "Europe/Paris",
                                {{"pacing", "per_hour"}, {"per_hour", "beaucoup"}});
        CPPUNIT_ASSERT_EQUAL(422, pace.status);
        CPPUNIT_ASSERT_MESSAGE(pace.body,
                               contains(pace.body, "data-field=\"pacing\">Write how many messages an hour"));
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(admin.get(sendPage(id)).body));
    }

    void testChangeTheStateNoLongerAllowsIsRefusedInWords()
    {
        Browser admin = loggedIn("admin", demo->password);
        std::string id = readyCampaign(admin, "Annulée deux fois");
        CPPUNIT_ASSERT_EQUAL(303, later(admin, id, "2030-01-15", "09:30", "Europe/Paris").status);
        CPPUNIT_ASSERT_EQUAL(303, act(admin, id, {{"action", "cancel"}}).status);
        HttpAnswer again = act(admin, id, {{"action", "pause"}});
        CPPUNIT_ASSERT_EQUAL(409, again.status);
        CPPUNIT_ASSERT_MESSAGE(
            again.body, contains(unescapeHtml(again.body),
                                 "id=\"error\">This send is now \"Cancelled\", which does not allow that"));
    }

    void testPausedSendResumesAndItsPaceChangesLive()
    {
        Browser admin = loggedIn("admin", demo->password);
        std::string id = readyCampaign(admin, "Pause et rythme");
        CPPUNIT_ASSERT_EQUAL(303, later(admin, id, "2030-01-15", "09:30", "Europe/Paris").status);
        HttpAnswer paused = act(admin, id, {{"action", "pause"}});
        CPPUNIT_ASSERT_EQUAL(303, paused.status);
        std::string page = unescapeHtml(admin.get(paused.location.substr(paused.location.find("/g/"))).body);
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(page));
        CPPUNIT_ASSERT_MESSAGE(page, contains(page, "id=\"notice\">The send is paused"));
        CPPUNIT_ASSERT_MESSAGE(page, contains(page, "id=\"pause-reason\">Paused: paused by a user</p>"));
        CPPUNIT_ASSERT_MESSAGE(page, contains(page, "id=\"resume\""));

        // The pace, changed while it is under way; a bad one is refused next to its box, kept.
        HttpAnswer bad = act(admin, id, {{"action", "pacing"}, {"max_per_hour", "-3"}});
        CPPUNIT_ASSERT_EQUAL(422, bad.status);
        CPPUNIT_ASSERT_MESSAGE(
            bad.body, contains(bad.body, "data-field=\"max_per_hour\">Write the pace as a whole number"));
        CPPUNIT_ASSERT_MESSAGE(bad.body,
                               contains(bad.body, "name=\"max_per_hour\" min=\"0\" step=\"1\" value=\"-3\""));
        CPPUNIT_ASSERT_EQUAL(303, act(admin, id, {{"action", "pacing"}, {"max_per_hour", "250"}}).status);
        CPPUNIT_ASSERT_MESSAGE(
            "pace", contains(unescapeHtml(admin.get(sendPage(id)).body), "At most 250 messages an hour."));

        CPPUNIT_ASSERT_EQUAL(303, act(admin, id, {{"action", "resume"}}).status);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(admin.get(sendPage(id)).body));
        // The progress route the page polls says where it stands, in words.
        HttpAnswer progress = admin.get(base() + "campaigns/" + id + "/progress");
        CPPUNIT_ASSERT_EQUAL(200, progress.status);
        CPPUNIT_ASSERT_MESSAGE(progress.body, contains(progress.body, "\"status\":\"scheduled\""));
        CPPUNIT_ASSERT_MESSAGE(progress.body, contains(progress.body, "\"sent\":\"0\""));
        CPPUNIT_ASSERT_MESSAGE(progress.body, contains(progress.body, "\"statusText\":\"Scheduled\""));
    }

    void testSenderWithoutApproveRightWaitsForTheApproverWhoSeesItOnTheHomeScreen()
    {
        Browser sender = loggedIn("sender", SENDER_PASSWORD);
        std::string id = readyCampaign(sender, "À valider");
        std::string form = sender.get(sendPage(id)).body;
        CPPUNIT_ASSERT_MESSAGE(form, contains(form, "id=\"needs-approval\""));
        CPPUNIT_ASSERT_EQUAL(303, later(sender, id, "2030-02-01", "18:00", "Europe/Paris").status);
        std::string waiting = sender.get(sendPage(id)).body;
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(waiting));
        CPPUNIT_ASSERT_MESSAGE(waiting, contains(waiting, "id=\"waiting-approval\""));
        CPPUNIT_ASSERT_MESSAGE(waiting, !contains(waiting, "id=\"approve\""));
        // The sender may not approve it themself.
        HttpAnswer self = act(sender, id, {{"action", "approve"}});
        CPPUNIT_ASSERT_EQUAL(403, self.status);
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"), statusOf(sender.get(sendPage(id)).body));

        // The approver sees it on the home screen, opens it, and approves it.
        Browser admin = loggedIn("admin", demo->password);
        std::string home = unescapeHtml(admin.get(base()).body);
        std::string approvals = match(home, "(<section [^>]*id=\"approvals\">[\\s\\S]*?</section>)");
        CPPUNIT_ASSERT_MESSAGE(approvals, contains(approvals, "<li data-campaign=\"" + id + "\">"));
        CPPUNIT_ASSERT_MESSAGE(approvals, contains(approvals, "À valider"));
        CPPUNIT_ASSERT_MESSAGE(approvals, contains(approvals, "2030-02-01 18:00 (Europe/Paris, UTC+01:00)"));
        std::string page = admin.get(sendPage(id)).body;
        CPPUNIT_ASSERT_MESSAGE(page, contains(page, "id=\"approve\""));
        // A rejection needs a reason, said next to its box.
        HttpAnswer noReason = act(admin, id, {{"action", "reject"}, {"reason", "  "}});
        CPPUNIT_ASSERT_EQUAL(422, noReason.status);
        CPPUNIT_ASSERT_MESSAGE(noReason.body,
                               contains(noReason.body, "data-field=\"reason\">Say why you reject"));
        HttpAnswer approved = act(admin, id, {{"action", "approve"}});
        CPPUNIT_ASSERT_EQUAL(303, approved.status);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(admin.get(sendPage(id)).body));
        std::string after = unescapeHtml(admin.get(base()).body);
        CPPUNIT_ASSERT_MESSAGE(after, !contains(after, "<li data-campaign=\"" + id + "\">"));
        // The sender sees the same plan: the time as they typed it.
        CPPUNIT_ASSERT_MESSAGE("planned time", contains(unescapeHtml(sender.get(sendPage(id)).body),
                                                        "2030-02-01 18:00 (Europe/Paris"));
    }

private:
    static Browser loggedIn(const std::string& login, const std::string& password)
    {
        Browser browser(demo->server->port());
        HttpAnswer answer = browser.logIn(login, password);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + login, 303, answer.status);
        return browser;
    }

    /// A campaign for members with a sender, a subject, a message and the group's administrators
    /// as recipients, made through steps 1 to 3; returns its id.
    static std::string readyCampaign(Browser& browser, const std::string& name)
    {
        HttpAnswer created = browser.post(base() + "campaigns/new",
                                          {{"csrf", browser.get(base() + "campaigns/new").csrfToken()},
                                           {"name", name},
                                           {"recipient_type", "members"},
                                           {"sender_name", "AMAP"},
                                           {"sender_local", "paniers"},
                                           {"sender_domain", "example.org"},
                                           {"reply_to", ""},
                                           {"subject_prefix", ""},
                                           {"dedupe", "address"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 303, created.status);
        std::string id = match(created.location, "/campaigns/(\\d+)/composition$");
        std::string composition = base() + "campaigns/" + id + "/composition";
        HttpAnswer saved = browser.post(composition, {{"csrf", browser.get(composition).csrfToken()},
                                                      {"mode", "html"},
                                                      {"subject", "Commandez avant jeudi, {{first_name}}"},
                                                      {"html", "<p>Les commandes ferment jeudi.</p>"},
                                                      {"action", "save"}});
        CPPUNIT_ASSERT_MESSAGE(saved.body, saved.status == 303 || saved.status == 200);
        std::string recipients = base() + "campaigns/" + id + "/recipients";
        HttpAnswer loaded = browser.post(
            recipients,
            {{"csrf", browser.get(recipients).csrfToken()}, {"action", "load"}, {"target", "members.all"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 303, loaded.status);
        return id;
    }

    /// Posts one of the send page's forms with its CSRF token.
    static HttpAnswer act(Browser& browser, const std::string& id, std::map<std::string, std::string> fields)
    {
        fields["csrf"] = browser.get(sendPage(id)).csrfToken();
        return browser.post(sendPage(id), fields);
    }

    static HttpAnswer later(Browser& browser, const std::string& id, const std::string& date,
                            const std::string& time, const std::string& zone,
                            const std::map<std::string, std::string>& more = {})
    {
        std::map<std::string, std::string> fields{{"action", "schedule"}, {"when", "later"},
                                                  {"send_date", date},    {"send_time", time},
                                                  {"time_zone", zone},    {"pacing", "none"}};
        for (const auto& [name, value] : more)
            fields[name] = value;
        return act(browser, id, fields);
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(SendScreenTest::suite(), startDemo, stopDemo); });
} // namespace
