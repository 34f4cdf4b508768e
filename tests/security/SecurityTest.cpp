// What an outside review found (issue "Hardening"), kept fixed against the real crmhost binary
// over HTTP: the authorization matrix (every route of one campaign, for each right of the module,
// for someone of another group and for a member without any), the group of a campaign deciding
// wherever its id comes from (finding 5), a refused change of plan leaving the approved plan as
// it was (finding 4), nothing of a refused composition stored (finding 4), one validation of a
// plan for the API and the form (finding 8), and finished campaigns offered for "exclude the
// recipients of" (finding 12).
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <sstream>
#include <tuple>

using CrmHostTests::apiRequest;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;
using CrmHostTests::objectOf;

namespace
{
const char* const PASSWORD = "security-password-1";

/// The people of the matrix: one right each in the campaigns' group, all three in another
/// group only, and a member of the group without any right of the module.
const char* const PEOPLE[] = {"composer", "sender", "approver", "outsider", "nobody"};
const std::map<std::string, std::string> RIGHT_OF = {
    {"composer", "compose"}, {"sender", "send"}, {"approver", "approve"}, {"gdpr", "admin"}};

/// What a person of the matrix gets from a route that needs right ("" for any of the module's):
/// 0 when they get past the door, else the refusal's status. Another right of the module there:
/// 403; no right there at all: the campaign does not exist for them, 404.
int expectedFor(const std::string& login, const std::string& right)
{
    auto held = RIGHT_OF.find(login);
    if (held == RIGHT_OF.end())
        return 404;
    return right.empty() || held->second == right ? 0 : 403;
}

struct Site
{
    std::unique_ptr<CrmHostServer> server;
    std::string group;                         // the campaigns' group
    std::string other;                         // another group with the module (switched off during one test)
    std::map<std::string, std::string> tokens; // by login; "admin" may do everything
};
std::unique_ptr<Site> site;

void startSite()
{
    site = std::make_unique<Site>();
    site->server = std::make_unique<CrmHostServer>("crmhost_test_security");
    CrmHostServer& server = *site->server;
    server.runOrFail({"seed-demo", "--people", "100"});
    std::vector<std::string> food = server.groupsOf("food", 2);
    site->group = food[0];
    site->other = food[1];
    for (const auto& group : food)
        server.runOrFail({"module", "enable", "massmailing", "--group", group});
    const std::pair<const char*, const char*> oneRight[] = {{"composer", "massmailing.compose"},
                                                            {"sender", "massmailing.send"},
                                                            {"approver", "massmailing.approve"}};
    for (const auto& [login, right] : oneRight)
        server.runOrFail({"user", "add", "--login", login, "--password", PASSWORD, "--group", site->group,
                          "--right", right});
    server.runOrFail({"user", "add", "--login", "outsider", "--password", PASSWORD, "--group", site->other,
                      "--right", "massmailing.compose", "--right", "massmailing.send", "--right",
                      "massmailing.approve"});
    server.runOrFail({"user", "add", "--login", "planner", "--password", PASSWORD, "--group", site->group,
                      "--right", "massmailing.send", "--right", "massmailing.compose"});
    server.runOrFail({"user", "add", "--login", "nobody", "--password", PASSWORD, "--group", site->group});
    // A group's administrator only (X2: export and erase a person's data), outside the campaigns' matrix.
    server.runOrFail({"user", "add", "--login", "gdpr", "--password", PASSWORD, "--group", site->group,
                      "--right", "massmailing.admin"});
    for (const std::string login : {"admin", "composer", "sender", "approver", "outsider", "nobody", "gdpr"})
        site->tokens[login] = Poco::trim(server.runOrFail({"user", "token", "--login", login}));
    server.start();
}

void stopSite()
{
    if (site && site->server)
        site->server->stop();
    site.reset();
}

HttpAnswer api(const std::string& login, const std::string& method, const std::string& path,
               const std::string& body = "")
{
    return apiRequest(site->server->port(), method, path, site->tokens.at(login), body);
}

std::string createCampaign(const std::string& group, const std::string& name)
{
    HttpAnswer created =
        api("admin", "POST", "campaigns",
            "{\"group\": " + group +
                ", \"channel\": \"email\", \"recipient_type\": \"members\", "
                "\"name\": \"" +
                name +
                "\", \"sender_name\": \"AMAP\", \"sender_email\": "
                "\"paniers@example.org\", \"subject\": \"Les paniers\", \"html\": \"<p>Bonjour "
                "{{first_name}}</p>\", \"dedupe\": \"address\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
    return std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
}

std::string statusOf(const std::string& id)
{
    HttpAnswer answer = api("admin", "GET", "campaigns/" + id);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
    return objectOf(answer)->getValue<std::string>("status");
}

void addAddresses(const std::string& id, const std::string& addresses)
{
    HttpAnswer answer =
        api("admin", "POST", "campaigns/" + id + "/audience", "{\"addresses\": [" + addresses + "]}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
}

/// A campaign of the group, with two planned recipients, scheduled for later by the
/// administrator (who may approve): scheduled and approved.
std::string scheduledCampaign(const std::string& name)
{
    std::string id = createCampaign(site->group, name);
    addAddresses(id, "\"a@example.org\", \"b@example.org\"");
    HttpAnswer scheduled =
        api("admin", "POST", "campaigns/" + id + "/schedule", "{\"at\": \"2099-01-01T09:00:00+01:00\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
    CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(scheduled)->getValue<std::string>("status"));
    return id;
}

Browser loggedIn(const std::string& login)
{
    Browser browser(site->server->port());
    HttpAnswer answer = browser.logIn(login, PASSWORD);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 303, answer.status);
    return browser;
}

std::string page(const std::string& id, const std::string& step)
{
    return "/g/" + site->group + "/massmailing/campaigns/" + id + "/" + step;
}
} // namespace

class SecurityTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SecurityTest);
    CPPUNIT_TEST(testEveryRouteOfACampaignAnswersEachRightAsTheMatrixSays);
    CPPUNIT_TEST(testEveryPageOfACampaignAnswersEachRightAsTheMatrixSays);
    CPPUNIT_TEST(testModuleSwitchedOffInTheCampaignsGroupHidesItWhereverTheIdComesFrom);
    CPPUNIT_TEST(testRefusedChangeOfPlanLeavesTheApprovedPlanAndAnEditIsRefused);
    CPPUNIT_TEST(testRefusedCompositionStoresNoImage);
    CPPUNIT_TEST(testTheApiRefusesEveryBadPlanNamingItsFieldAndChangesNothing);
    CPPUNIT_TEST(testFinishedCampaignsAreOfferedToExcludeTheirRecipients);
    CPPUNIT_TEST_SUITE_END();

public:
    /// One row of the matrix: a route, a body that the right holder gets past the door with
    /// (answered 2xx, or refused for the body or the state: 400, 409, 422), and the right it needs
    /// ("" for any of the module's three).
    struct Route
    {
        const char* method;
        const char* path; // {id}: the campaign
        const char* body;
        const char* right;
    };

    void testEveryRouteOfACampaignAnswersEachRightAsTheMatrixSays()
    {
        const Route routes[] = {
            {"GET", "campaigns/{id}", "", ""},
            {"PUT", "campaigns/{id}", "{\"name\": \"Renamed\"}", "compose"},
            {"GET", "campaigns/{id}/preview", "", ""},
            {"POST", "campaigns/{id}/test", "{\"to\": []}", "compose"},
            {"POST", "campaigns/{id}/audience", "{\"addresses\": []}", "compose"},
            {"POST", "campaigns/{id}/audience/csv", "", "compose"},
            {"GET", "campaigns/{id}/summary", "", ""},
            {"GET", "campaigns/{id}/recipients", "", ""},
            {"POST", "campaigns/{id}/schedule", "{\"at\": \"yesterday\"}", "send"},
            {"POST", "campaigns/{id}/approve", "{}", "approve"},
            {"POST", "campaigns/{id}/reject", "{}", "approve"},
            {"POST", "campaigns/{id}/pause", "{}", "send"},
            {"POST", "campaigns/{id}/resume", "{}", "send"},
            {"POST", "campaigns/{id}/cancel", "{}", "send"},
            {"POST", "campaigns/{id}/pacing", "{\"max_per_hour\": -1}", "send"},
            {"POST", "campaigns/{id}/recipients/1/resend", "{}", "send"},
            {"GET", "campaigns/{id}/results", "", "compose"},
            {"GET", "campaigns/{id}/results.csv", "", "compose"},
            {"POST", "campaigns/{id}/resend_to", "{\"address\": \"a@example.org\"}", "send"},
        };
        std::string id = createCampaign(site->group, "Matrice");
        std::ostringstream table, wrong;
        table << "route";
        for (const char* login : PEOPLE)
            table << " | " << login;
        table << "\n";
        for (const Route& route : routes)
        {
            std::string path = Poco::replace(std::string(route.path), std::string("{id}"), id);
            table << route.method << " " << route.path;
            for (const std::string login : PEOPLE)
            {
                HttpAnswer answer = api(login, route.method, path, route.body);
                int expected = expectedFor(login, route.right);
                bool ok = expected == 0 ? answer.status != 401 && answer.status != 403 &&
                                              answer.status != 404 && answer.status < 500
                                        : answer.status == expected;
                table << " | " << answer.status;
                if (!ok)
                    wrong << route.method << " " << route.path << " as " << login << ": " << answer.status
                          << " " << answer.body.substr(0, 200) << "\n";
            }
            table << "\n";
        }
        // The group's list: for any right of the module there.
        const std::pair<const char*, int> lists[] = {
            {"composer", 200}, {"sender", 200}, {"approver", 200}, {"outsider", 403}, {"nobody", 403}};
        for (const auto& [login, expected] : lists)
        {
            HttpAnswer answer = api(login, "GET", "campaigns?group=" + site->group);
            table << "GET campaigns?group=G as " << login << ": " << answer.status << "\n";
            if (answer.status != expected)
                wrong << "GET campaigns?group=G as " << login << ": " << answer.status << "\n";
        }
        // One address's log and the group's suppressions: compose to read, send to lift (R5); a
        // person's data: the group's administrator exports and erases it (X2; a confirmation that
        // is not the address is refused, so nothing is erased here).
        const std::string lift =
            "{\"group\": " + site->group + ", \"address\": \"a@example.org\", \"reason\": \"\"}";
        const std::string erase =
            "{\"group\": " + site->group + ", \"address\": \"a@example.org\", \"confirm\": \"\"}";
        const std::tuple<const char*, std::string, std::string, const char*> groupRoutes[] = {
            {"GET", "addresses/log?group=" + site->group + "&address=a@example.org", "", "compose"},
            {"GET", "suppressions?group=" + site->group, "", "compose"},
            {"POST", "suppressions/lift", lift, "send"},
            {"GET", "addresses/export?group=" + site->group + "&address=a@example.org", "", "admin"},
            {"GET", "addresses/export?group=" + site->group + "&address=a@example.org&format=csv", "",
             "admin"},
            {"POST", "addresses/erase", erase, "admin"},
            {"GET", "erasures?group=" + site->group, "", "admin"},
            // The inbox (issue 15, points 5 and 6): compose to read the group's conversations.
            {"GET", "inbox/conversations?group=" + site->group, "", "compose"},
            {"GET", "inbox/history?group=" + site->group, "", "compose"},
            {"GET", "inbox/unmatched?group=" + site->group, "", "compose"}};
        std::vector<std::string> everyone(std::begin(PEOPLE), std::end(PEOPLE));
        everyone.push_back("gdpr");
        for (const auto& [method, path, body, right] : groupRoutes)
            for (const std::string& login : everyone)
            {
                HttpAnswer answer = api(login, method, path, body);
                auto held = RIGHT_OF.find(login);
                bool holds = held != RIGHT_OF.end() && held->second == right;
                table << method << " " << path << " as " << login << ": " << answer.status << "\n";
                if (holds ? (answer.status == 403 || answer.status == 404 || answer.status >= 500)
                          : answer.status != 403)
                    wrong << method << " " << path << " as " << login << ": " << answer.status << " "
                          << answer.body.substr(0, 200) << "\n";
            }
        CPPUNIT_ASSERT_MESSAGE(table.str() + wrong.str(), wrong.str().empty());
        // Nobody of the matrix changed it: the composer's rename is the only write that went through.
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(id));
    }

    void testEveryPageOfACampaignAnswersEachRightAsTheMatrixSays()
    {
        std::string id = createCampaign(site->group, "Pages");
        const std::pair<const char*, const char*> pages[] = {{"details", "compose"},
                                                             {"composition", "compose"},
                                                             {"recipients", "compose"},
                                                             {"preview", "compose"},
                                                             {"send", ""},
                                                             {"progress", ""},
                                                             {"results", "compose"},
                                                             {"results.csv", "compose"}};
        std::ostringstream wrong;
        for (const std::string login : {"composer", "sender", "approver", "nobody"})
        {
            Browser browser = loggedIn(login);
            for (const auto& [step, right] : pages)
            {
                int status = browser.get(page(id, step)).status;
                int expected = expectedFor(login, right);
                expected = expected == 0 ? 200 : expected;
                if (status != expected)
                    wrong << step << " as " << login << ": " << status << ", expected " << expected << "\n";
            }
        }
        // Someone of another group, in their own group's URL or in the campaign's: never there.
        Browser outsider = loggedIn("outsider");
        for (const auto& [step, right] : pages)
        {
            std::string theirs = "/g/" + site->other + "/massmailing/campaigns/" + id + "/" + step;
            for (const std::string& path : {theirs, page(id, step)})
            {
                int status = outsider.get(path).status;
                if (status != 404 && status != 403)
                    wrong << path << " as outsider: " << status << "\n";
            }
        }
        CPPUNIT_ASSERT_MESSAGE(wrong.str(), wrong.str().empty());
    }

    void testModuleSwitchedOffInTheCampaignsGroupHidesItWhereverTheIdComesFrom()
    {
        std::string id = createCampaign(site->other, "Module coupé");
        CPPUNIT_ASSERT_EQUAL(200, api("admin", "GET", "campaigns/" + id).status);
        site->server->runOrFail({"module", "disable", "massmailing", "--group", site->other});
        HttpAnswer get = api("admin", "GET", "campaigns/" + id);
        HttpAnswer put = api("admin", "PUT", "campaigns/" + id, "{\"subject\": \"Changed\"}");
        HttpAnswer test = api("admin", "POST", "campaigns/" + id + "/test", "{\"to\": [\"t@example.org\"]}");
        HttpAnswer schedule = api("admin", "POST", "campaigns/" + id + "/schedule", "{\"at\": null}");
        site->server->runOrFail({"module", "enable", "massmailing", "--group", site->other});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(get.body, 404, get.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 404, put.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(test.body, 404, test.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(schedule.body, 404, schedule.status);
        HttpAnswer after = api("admin", "GET", "campaigns/" + id);
        CPPUNIT_ASSERT_EQUAL(std::string("Les paniers"), objectOf(after)->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), objectOf(after)->getValue<std::string>("status"));
    }

    void testRefusedChangeOfPlanLeavesTheApprovedPlanAndAnEditIsRefused()
    {
        // Scheduled by someone who may not approve, then approved.
        std::string id = createCampaign(site->group, "Plan approuvé");
        addAddresses(id, "\"a@example.org\", \"b@example.org\"");
        HttpAnswer asked =
            api("sender", "POST", "campaigns/" + id + "/schedule", "{\"at\": \"2099-01-01T09:00:00+01:00\"}");
        CPPUNIT_ASSERT_EQUAL(std::string("pending_approval"),
                             objectOf(asked)->getValue<std::string>("status"));
        HttpAnswer approved = api("approver", "POST", "campaigns/" + id + "/approve", "{}");
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(approved)->getValue<std::string>("status"));
        HttpAnswer before = api("admin", "GET", "campaigns/" + id);
        // A new plan whose deadline comes before its start, from the send page of someone who may
        // not approve: refused as a whole.
        Browser planner = loggedIn("planner");
        HttpAnswer form = planner.get(page(id, "send"));
        HttpAnswer refused = planner.post(page(id, "send"), {{"csrf", form.csrfToken()},
                                                             {"action", "reschedule"},
                                                             {"when", "later"},
                                                             {"send_date", "2099-02-01"},
                                                             {"send_time", "09:00"},
                                                             {"time_zone", "Europe/Paris"},
                                                             {"deadline_date", "2099-01-15"},
                                                             {"deadline_time", "10:00"},
                                                             {"pacing", "none"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body.substr(0, 300), 422, refused.status);
        HttpAnswer after = api("admin", "GET", "campaigns/" + id);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(after)->getValue<std::string>("status"));
        Poco::JSON::Object::Ptr was = objectOf(before)->getObject("plan"),
                                is = objectOf(after)->getObject("plan");
        CPPUNIT_ASSERT(was->getValue<Poco::Int64>("reviewed_by") != 0);
        for (const char* field : {"at", "deadline", "reviewed_by"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(field, was->get(field).toString(), is->get(field).toString());
        // An edit of an approved campaign, by someone who may not approve: refused, nothing kept.
        HttpAnswer edit = api("composer", "PUT", "campaigns/" + id, "{\"subject\": \"Autre chose\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(edit.body, 409, edit.status);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(edit)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Les paniers"),
            objectOf(api("admin", "GET", "campaigns/" + id))->getValue<std::string>("subject"));
    }

    void testRefusedCompositionStoresNoImage()
    {
        std::string id = scheduledCampaign("Images refusées");
        Browser composer = loggedIn("composer");
        HttpAnswer form = composer.get(page(id, "composition"));
        CPPUNIT_ASSERT_EQUAL(200, form.status);
        CPPUNIT_ASSERT_MESSAGE(form.body, !contains(form.body, "data-file="));
        const std::string pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
                                  "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        HttpAnswer refused = composer.post(
            page(id, "composition"),
            {{"csrf", form.csrfToken()},
             {"action", "save"},
             {"subject", "Les paniers"},
             {"html", "<p>Bonjour</p><img src=\"data:image/png;base64," + pixel + "\" alt=\"\">"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body.substr(0, 300), 409, refused.status);
        HttpAnswer after = composer.get(page(id, "composition"));
        CPPUNIT_ASSERT_MESSAGE(after.body, !contains(after.body, "data-file="));
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(id));
    }

    void testTheApiRefusesEveryBadPlanNamingItsFieldAndChangesNothing()
    {
        std::string id = createCampaign(site->group, "Plans refusés");
        addAddresses(id, "\"c@example.org\"");
        const std::pair<const char*, const char*> bad[] = {
            {"{\"at\": \"yesterday\"}", "at"},
            {"{\"at\": true}", "at"},
            {"{\"at\": [\"x\"]}", "at"},
            {"{\"at\": \"2099-01-01T09:00:00\"}", "at"},       // no offset
            {"{\"at\": \"2099-01-01T09:00:00+99:00\"}", "at"}, // no such offset
            {"{\"at\": \"2099-02-30T09:00:00Z\"}", "at"},
            {"{\"at\": \"2020-01-01T09:00:00Z\"}", "at"}, // passed
            {"{\"at\": null, \"timezone\": \"../../../etc/passwd\"}", "timezone"},
            {"{\"at\": null, \"deadline\": \"2000-01-01T00:00:00Z\"}", "deadline"},
            {"{\"at\": null, \"max_per_hour\": -5}", "max_per_hour"},
            {"{\"at\": null, \"max_per_hour\": \"many\"}", "max_per_hour"},
        };
        std::ostringstream wrong;
        for (const auto& [body, field] : bad)
        {
            HttpAnswer answer = api("admin", "POST", "campaigns/" + id + "/schedule", body);
            std::string named;
            if (answer.status == 400)
                named = objectOf(answer)->getObject("error")->optValue<std::string>("field", "");
            if (answer.status != 400 || named != field)
                wrong << body << ": " << answer.status << " " << answer.body.substr(0, 200) << "\n";
        }
        std::string longZone(100 * 1024, 'x');
        HttpAnswer huge =
            api("admin", "POST", "campaigns/" + id + "/schedule", "{\"timezone\": \"" + longZone + "\"}");
        if (huge.status != 400 || huge.body.size() > 2000)
            wrong << "a 100 KB time zone: " << huge.status << ", " << huge.body.size() << " bytes\n";
        CPPUNIT_ASSERT_MESSAGE(wrong.str(), wrong.str().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("draft"), statusOf(id));
    }

    void testFinishedCampaignsAreOfferedToExcludeTheirRecipients()
    {
        std::string cancelled = scheduledCampaign("Annulée");
        CPPUNIT_ASSERT_EQUAL(200, api("admin", "POST", "campaigns/" + cancelled + "/cancel", "{}").status);
        std::string done = createCampaign(site->group, "Terminée");
        addAddresses(done, "\"d@example.org\"");
        CPPUNIT_ASSERT_EQUAL(
            200, api("admin", "POST", "campaigns/" + done + "/schedule", "{\"at\": null}").status);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(done));
        std::string draft = createCampaign(site->group, "Brouillon");

        Browser admin = loggedIn("composer");
        HttpAnswer recipients = admin.get(page(draft, "recipients"));
        CPPUNIT_ASSERT_EQUAL(200, recipients.status);
        std::string offered = match(recipients.body, "(<select[^>]*name=\"campaign\"[\\s\\S]*?</select>)");
        CPPUNIT_ASSERT_MESSAGE(offered, contains(offered, "value=\"" + done + "\""));
        CPPUNIT_ASSERT_MESSAGE(offered, contains(offered, "value=\"" + cancelled + "\""));
        CPPUNIT_ASSERT_MESSAGE(offered, !contains(offered, "value=\"" + draft + "\""));
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(SecurityTest::suite(), startSite, stopSite); });
} // namespace
