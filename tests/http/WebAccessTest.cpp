// The host's web access control, seen from a browser and an API client, against the real
// crmhost binary serving demo data: login, sessions, CSRF, rights, and the module switch.
#include "CrmHost/ModuleEntry.h"
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using CrmHostTests::apiGet;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;

namespace
{
struct Group
{
    std::string id;
    std::string name;
};

/// One server for the whole suite (seeding and starting it takes a few seconds). The tests
/// change nothing that another test looks at: each switch of the module uses its own group.
struct Demo
{
    std::unique_ptr<CrmHostServer> server;
    std::map<std::string, std::string> passwords; // login -> password
    Group food, otherFood, crm, studio;           // massmailing is enabled in food only, at first
    std::string moduleVersion;
    std::string adminToken, coordinatorToken, memberToken;
};
std::unique_ptr<Demo> demo;

void startDemo()
{
    demo = std::make_unique<Demo>();
    demo->server = std::make_unique<CrmHostServer>("crmhost_test_http");
    CrmHostServer& server = *demo->server;

    std::string seeded = server.runOrFail({"seed-demo", "--people", "300"});
    demo->passwords["admin"] = match(seeded, "^Administrator: login admin, password (\\S+)$");
    demo->passwords["coordinator"] = match(seeded, "login coordinator, password (\\S+)$");
    demo->passwords["member"] = match(seeded, "login member, password (\\S+)$");

    std::vector<Group> foods;
    std::string groups = server.runOrFail({"group", "list"});
    Poco::StringTokenizer lines(groups, "\n",
                                Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    for (const auto& line : lines)
    {
        Poco::StringTokenizer fields(line, "\t");
        if (fields.count() != 3)
            continue;
        Group group{fields[0], fields[2]};
        if (fields[1] == "food")
            foods.push_back(group);
        else if (fields[1] == "crm" && demo->crm.id.empty())
            demo->crm = group;
        else if (fields[1] == "studio" && demo->studio.id.empty())
            demo->studio = group;
    }
    if (foods.size() < 2 || demo->crm.id.empty() || demo->studio.id.empty())
        throw Poco::DataFormatException("group list lacks two food groups, a crm and a studio:\n" + groups);
    demo->food = foods[0];
    demo->otherFood = foods[1];

    server.runOrFail({"module", "enable", "massmailing", "--group", demo->food.id});
    demo->moduleVersion = match(server.runOrFail({"module", "list"}), "^massmailing\\t([^\\t]+)\\t");
    demo->adminToken = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    demo->coordinatorToken = Poco::trim(server.runOrFail({"user", "token", "--login", "coordinator"}));
    demo->memberToken = Poco::trim(server.runOrFail({"user", "token", "--login", "member"}));

    server.start();
}

void stopDemo()
{
    if (demo && demo->server)
        demo->server->stop();
    demo.reset();
}

Poco::JSON::Object::Ptr parseJson(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

const std::string MENU_ENTRY = "data-menu=\"massmailing\"";
} // namespace

class WebAccessTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebAccessTest);
    CPPUNIT_TEST(testWrongPasswordIsRefusedAndLogsNobodyIn);
    CPPUNIT_TEST(testRightPasswordLogsInWithAnHttpOnlyLaxSessionCookie);
    CPPUNIT_TEST(testLoginFormWithoutOrWithAWrongCsrfTokenIsRefused);
    CPPUNIT_TEST(testModulesFormWithoutOrWithAWrongCsrfTokenIsRefusedAndChangesNothing);
    CPPUNIT_TEST(testLoggingOutEndsTheSession);
    CPPUNIT_TEST(testPlainMemberIsForbiddenTheModulePage);
    CPPUNIT_TEST(testPlainMemberIsForbiddenTheStatusApiWithAJsonError);
    CPPUNIT_TEST(testCoordinatorOpensTheModulePageAndItsStatus);
    CPPUNIT_TEST(testModuleIsNotFoundInAGroupWhereItIsNotEnabled);
    CPPUNIT_TEST(testAdministratorSeesMassmailingWithItsVersionAndApiOnTheModulesPage);
    CPPUNIT_TEST(testOnlyTheAdministratorOpensTheModulesPage);
    CPPUNIT_TEST(testEnablingOnTheModulesPageAddsTheMenuEntryInThatGroupOnly);
    CPPUNIT_TEST(testApiWithoutAValidTokenIsUnauthorized);
    CPPUNIT_TEST(testUnknownGroupOrModuleIsNotFound);
    CPPUNIT_TEST(testUnknownApiRoutesAreNotFoundWithAJsonError);
    CPPUNIT_TEST(testFrenchBrowserGetsFrenchPagesAndTheLanguageSwitchSticks);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWrongPasswordIsRefusedAndLogsNobodyIn()
    {
        Browser browser(port());
        HttpAnswer form = browser.get("/login");
        CPPUNIT_ASSERT_EQUAL(200, form.status);
        HttpAnswer refused = browser.post(
            "/login",
            {{"csrf", form.csrfToken()}, {"login", "admin"}, {"password", demo->passwords["admin"] + "x"}});
        CPPUNIT_ASSERT_EQUAL(401, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "Wrong login or password."));
        CPPUNIT_ASSERT_MESSAGE("a refused login must not set a session cookie: " +
                                   refused.setCookie("crmhost_session"),
                               refused.setCookie("crmhost_session").empty());
        HttpAnswer home = browser.get("/");
        CPPUNIT_ASSERT_EQUAL(303, home.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/login"), home.location);

        Browser stranger(port());
        CPPUNIT_ASSERT_EQUAL(401, stranger.logIn("nobody", "whatever-password").status);
    }

    void testRightPasswordLogsInWithAnHttpOnlyLaxSessionCookie()
    {
        Browser browser(port());
        HttpAnswer form = browser.get("/login");
        std::string anonymous = browser.cookie("crmhost_session");
        HttpAnswer loggedIn = browser.post(
            "/login",
            {{"csrf", form.csrfToken()}, {"login", "admin"}, {"password", demo->passwords["admin"]}});
        CPPUNIT_ASSERT_EQUAL(303, loggedIn.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/"), loggedIn.location);
        std::string cookie = Poco::toLower(loggedIn.setCookie("crmhost_session"));
        CPPUNIT_ASSERT_MESSAGE("no session cookie at login", !cookie.empty());
        CPPUNIT_ASSERT_MESSAGE(cookie, contains(cookie, "; httponly"));
        CPPUNIT_ASSERT_MESSAGE(cookie, contains(cookie, "; samesite=lax"));
        CPPUNIT_ASSERT_MESSAGE("the session id must change at login",
                               browser.cookie("crmhost_session") != anonymous);

        HttpAnswer home = browser.get("/");
        CPPUNIT_ASSERT_EQUAL(200, home.status);
        CPPUNIT_ASSERT_MESSAGE(home.body, contains(home.body, "Your groups"));
        CPPUNIT_ASSERT_MESSAGE(home.body, contains(home.body, demo->food.name));
    }

    void testLoginFormWithoutOrWithAWrongCsrfTokenIsRefused()
    {
        Browser browser(port());
        std::string csrf = browser.get("/login").csrfToken();
        CPPUNIT_ASSERT(!csrf.empty());
        std::map<std::string, std::string> fields{{"login", "admin"}, {"password", demo->passwords["admin"]}};

        HttpAnswer without = browser.post("/login", fields);
        CPPUNIT_ASSERT_EQUAL(403, without.status);
        CPPUNIT_ASSERT_MESSAGE(without.body, contains(without.body, "security token"));
        fields["csrf"] = std::string(csrf.rbegin(), csrf.rend());
        HttpAnswer wrong = browser.post("/login", fields);
        CPPUNIT_ASSERT_EQUAL(403, wrong.status);
        CPPUNIT_ASSERT(wrong.setCookie("crmhost_session").empty());
        CPPUNIT_ASSERT_EQUAL(303, browser.get("/").status);
    }

    void testModulesFormWithoutOrWithAWrongCsrfTokenIsRefusedAndChangesNothing()
    {
        Browser admin = loggedIn("admin");
        std::string csrf = admin.get("/admin/modules").csrfToken();
        CPPUNIT_ASSERT(!csrf.empty());
        std::map<std::string, std::string> fields{
            {"module", "massmailing"}, {"group", demo->otherFood.id}, {"action", "enable"}};

        CPPUNIT_ASSERT_EQUAL(403, admin.post("/admin/modules", fields).status);
        fields["csrf"] = csrf.substr(1) + "0";
        CPPUNIT_ASSERT_EQUAL(403, admin.post("/admin/modules", fields).status);
        // A token of another session is no better.
        fields["csrf"] = loggedIn("admin").get("/admin/modules").csrfToken();
        CPPUNIT_ASSERT_EQUAL(403, admin.post("/admin/modules", fields).status);

        CPPUNIT_ASSERT_EQUAL(404, admin.get("/g/" + demo->otherFood.id + "/massmailing/").status);
        CPPUNIT_ASSERT(!contains(admin.get("/g/" + demo->otherFood.id).body, MENU_ENTRY));
    }

    void testLoggingOutEndsTheSession()
    {
        Browser coordinator = loggedIn("coordinator");
        HttpAnswer home = coordinator.get("/");
        CPPUNIT_ASSERT_EQUAL(200, home.status);
        HttpAnswer out = coordinator.post("/logout", {{"csrf", home.csrfToken()}});
        CPPUNIT_ASSERT_EQUAL(303, out.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/login"), out.location);
        CPPUNIT_ASSERT_EQUAL(303, coordinator.get("/g/" + demo->food.id + "/massmailing/").status);
    }

    void testPlainMemberIsForbiddenTheModulePage()
    {
        Browser member = loggedIn("member");
        HttpAnswer page = member.get("/g/" + demo->food.id + "/massmailing/");
        CPPUNIT_ASSERT_EQUAL(403, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "massmailing.compose"));
        HttpAnswer group = member.get("/g/" + demo->food.id);
        CPPUNIT_ASSERT_EQUAL(200, group.status);
        CPPUNIT_ASSERT_MESSAGE("a member without the right sees the module in the menu",
                               !contains(group.body, MENU_ENTRY));
    }

    void testPlainMemberIsForbiddenTheStatusApiWithAJsonError()
    {
        HttpAnswer answer =
            apiGet(port(), "/api/v1/massmailing/status?group=" + demo->food.id, demo->memberToken);
        CPPUNIT_ASSERT_EQUAL(403, answer.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), answer.contentType);
        auto error = parseJson(answer.body)->getObject("error");
        CPPUNIT_ASSERT_MESSAGE(answer.body, error);
        CPPUNIT_ASSERT_EQUAL(std::string("forbidden"), error->getValue<std::string>("code"));
        CPPUNIT_ASSERT_MESSAGE(answer.body,
                               contains(error->getValue<std::string>("message"), "massmailing.compose"));
        CPPUNIT_ASSERT_MESSAGE(answer.body, error->has("field"));
    }

    void testCoordinatorOpensTheModulePageAndItsStatus()
    {
        Browser coordinator = loggedIn("coordinator");
        HttpAnswer page = coordinator.get("/g/" + demo->food.id + "/massmailing/");
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "<h1>Mass mailing</h1>"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, MENU_ENTRY));

        HttpAnswer status =
            apiGet(port(), "/api/v1/massmailing/status?group=" + demo->food.id, demo->coordinatorToken);
        CPPUNIT_ASSERT_EQUAL(200, status.status);
        auto json = parseJson(status.body);
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing"), json->getValue<std::string>("module"));
        CPPUNIT_ASSERT_EQUAL(demo->food.id, json->get("group").toString());
    }

    void testModuleIsNotFoundInAGroupWhereItIsNotEnabled()
    {
        Browser admin = loggedIn("admin");
        CPPUNIT_ASSERT_EQUAL(200, admin.get("/g/" + demo->studio.id).status);
        HttpAnswer page = admin.get("/g/" + demo->studio.id + "/massmailing/");
        CPPUNIT_ASSERT_EQUAL(404, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Page not found"));

        HttpAnswer status =
            apiGet(port(), "/api/v1/massmailing/status?group=" + demo->studio.id, demo->adminToken);
        CPPUNIT_ASSERT_EQUAL(404, status.status);
        auto error = parseJson(status.body)->getObject("error");
        CPPUNIT_ASSERT_EQUAL(std::string("module_not_enabled"), error->getValue<std::string>("code"));
        CPPUNIT_ASSERT_EQUAL(std::string("group"), error->getValue<std::string>("field"));
    }

    void testAdministratorSeesMassmailingWithItsVersionAndApiOnTheModulesPage()
    {
        HttpAnswer page = loggedIn("admin").get("/admin/modules");
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "data-module=\"massmailing\""));
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "<h2>massmailing " + demo->moduleVersion + "</h2>"));
        std::string api =
            std::to_string(CrmHost::HOST_API_MAJOR) + "." + std::to_string(CrmHost::HOST_API_MINOR);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Host API " + api));
        CPPUNIT_ASSERT_MESSAGE(page.body, !contains(page.body, "Refused"));
    }

    void testOnlyTheAdministratorOpensTheModulesPage()
    {
        HttpAnswer page = loggedIn("coordinator").get("/admin/modules");
        CPPUNIT_ASSERT_EQUAL(403, page.status);
        CPPUNIT_ASSERT(!contains(page.body, "data-module="));
        CPPUNIT_ASSERT_EQUAL(303, Browser(port()).get("/admin/modules").status);
    }

    void testEnablingOnTheModulesPageAddsTheMenuEntryInThatGroupOnly()
    {
        Browser admin = loggedIn("admin");
        std::string crm = "/g/" + demo->crm.id, studio = "/g/" + demo->studio.id;
        CPPUNIT_ASSERT(!contains(admin.get(crm).body, MENU_ENTRY));

        HttpAnswer modules = admin.get("/admin/modules");
        HttpAnswer enabled = admin.post("/admin/modules", {{"csrf", modules.csrfToken()},
                                                           {"module", "massmailing"},
                                                           {"group", demo->crm.id},
                                                           {"action", "enable"}});
        CPPUNIT_ASSERT_EQUAL(303, enabled.status);
        HttpAnswer notice = admin.get(enabled.location);
        CPPUNIT_ASSERT_EQUAL(200, notice.status);
        CPPUNIT_ASSERT_MESSAGE(notice.body,
                               contains(notice.body, "Module massmailing enabled for " + demo->crm.name));

        HttpAnswer group = admin.get(crm);
        CPPUNIT_ASSERT_MESSAGE(group.body, contains(group.body, MENU_ENTRY));
        CPPUNIT_ASSERT_MESSAGE(group.body, contains(CrmHostTests::unescapeHtml(group.body),
                                                    "href=\"" + crm + "/massmailing/\""));
        CPPUNIT_ASSERT_EQUAL(200, admin.get(crm + "/massmailing/").status);
        CPPUNIT_ASSERT(!contains(admin.get(studio).body, MENU_ENTRY));
    }

    void testApiWithoutAValidTokenIsUnauthorized()
    {
        std::string path = "/api/v1/massmailing/status?group=" + demo->food.id;
        for (const std::string& token :
             {std::string(), std::string("not-a-token"), demo->coordinatorToken + "0"})
        {
            HttpAnswer answer = apiGet(port(), path, token);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("token \"" + token + "\"", 401, answer.status);
            CPPUNIT_ASSERT_EQUAL(std::string("unauthorized"),
                                 parseJson(answer.body)->getObject("error")->getValue<std::string>("code"));
        }
        // A browser session is no API token.
        Browser coordinator = loggedIn("coordinator");
        CPPUNIT_ASSERT_EQUAL(401, coordinator.get(path).status);
    }

    void testUnknownGroupOrModuleIsNotFound()
    {
        Browser admin = loggedIn("admin");
        CPPUNIT_ASSERT_EQUAL(404, admin.get("/g/987654/").status);
        CPPUNIT_ASSERT_EQUAL(404, admin.get("/g/" + demo->food.id + "/nosuchmodule/").status);
        CPPUNIT_ASSERT_EQUAL(404, admin.get("/g/" + demo->food.id + "/massmailing/nosuchpage").status);
        CPPUNIT_ASSERT_EQUAL(404, admin.get("/nowhere").status);
        // A member of one group does not see another group.
        CPPUNIT_ASSERT_EQUAL(404, loggedIn("member").get("/g/" + demo->crm.id).status);
    }

    void testUnknownApiRoutesAreNotFoundWithAJsonError()
    {
        for (const std::string& path :
             {"/api/v1/massmailing/nosuchroute?group=" + demo->food.id,
              std::string("/api/v1/nosuchmodule/status"), std::string("/api/v1/"), std::string("/api/v1"),
              std::string("/api/"), std::string("/api/v2/x")})
        {
            HttpAnswer api = apiGet(port(), path, demo->adminToken);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + api.body, 404, api.status);
            CPPUNIT_ASSERT_EQUAL(std::string("not_found"),
                                 parseJson(api.body)->getObject("error")->getValue<std::string>("code"));
        }
    }

    void testFrenchBrowserGetsFrenchPagesAndTheLanguageSwitchSticks()
    {
        Browser browser(port());
        browser.setAcceptLanguage("fr-FR,fr;q=0.9,en;q=0.8");
        HttpAnswer french = browser.get("/login");
        CPPUNIT_ASSERT_MESSAGE(french.body, contains(french.body, "<html lang=\"fr\">"));
        CPPUNIT_ASSERT_MESSAGE(french.body, contains(french.body, "Connexion"));
        HttpAnswer refused = browser.post(
            "/login", {{"csrf", french.csrfToken()}, {"login", "admin"}, {"password", "nope-nope"}});
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               contains(refused.body, "Identifiant ou mot de passe incorrect."));

        HttpAnswer switched = browser.get("/lang?to=en");
        CPPUNIT_ASSERT_EQUAL(303, switched.status);
        HttpAnswer english = browser.get("/login");
        CPPUNIT_ASSERT_MESSAGE(english.body, contains(english.body, "<html lang=\"en\">"));
        CPPUNIT_ASSERT_MESSAGE(english.body, contains(english.body, "Log in"));
    }

private:
    static Poco::UInt16 port() { return demo->server->port(); }

    static Browser loggedIn(const std::string& login)
    {
        Browser browser(port());
        HttpAnswer answer = browser.logIn(login, demo->passwords[login]);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + login, 303, answer.status);
        return browser;
    }
};

namespace
{
// The suite inside its server's set-up and tear-down, in the registry TestMain runs.
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(WebAccessTest::suite(), startDemo, stopDemo); });
} // namespace
