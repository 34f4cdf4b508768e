// The results of a campaign against the real crmhost binary (issue 13, points 6 and 9): the JSON
// with the fields of interfaces.md, the CSV streamed and read back by Python's csv module, the
// page (funnel, chart, links, domains, versions, control group) and who may see them. The
// campaign's events are written straight into the server's database (tests/tracking/ResultsFixture).
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "ResultsFixture.h"
#include "SqlDatabase.h"
#include "SuiteSetup.h"
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::objectOf;
using CrmHostTests::unescapeHtml;

namespace
{
const char* const PASSWORD = "results-password-1";

struct Site
{
    std::unique_ptr<CrmHostServer> server;
    std::string group, other;
    std::string campaign;
    std::map<std::string, std::string> tokens;
};
std::unique_ptr<Site> site;

void startSite()
{
    site = std::make_unique<Site>();
    site->server = std::make_unique<CrmHostServer>("crmhost_test_results_screen");
    CrmHostServer& server = *site->server;
    server.runOrFail({"seed-demo", "--people", "100"});
    std::vector<std::string> food = server.groupsOf("food", 2);
    site->group = food[0];
    site->other = food[1];
    for (const auto& group : food)
        server.runOrFail({"module", "enable", "massmailing", "--group", group});
    server.runOrFail({"user", "add", "--login", "composer", "--password", PASSWORD, "--group", site->group,
                      "--right", "massmailing.compose"});
    server.runOrFail({"user", "add", "--login", "sender", "--password", PASSWORD, "--group", site->group,
                      "--right", "massmailing.send"});
    server.runOrFail({"user", "add", "--login", "outsider", "--password", PASSWORD, "--group", site->other,
                      "--right", "massmailing.compose", "--right", "massmailing.send"});
    for (const std::string login : {"composer", "sender", "outsider"})
        site->tokens[login] = Poco::trim(server.runOrFail({"user", "token", "--login", login}));

    CrmHost::SqlDatabase database(server.database().connector, server.database().connect, 2);
    Poco::Data::Session session = database.session();
    Poco::Int64 group = 0;
    Poco::NumberParser::tryParse64(site->group, group);
    std::vector<Poco::Int64> members;
    std::vector<long> people;
    session << "SELECT person_id FROM memberships WHERE group_id = ? ORDER BY person_id", use(group),
        into(members), limit(12), now;
    for (auto id : members)
        people.push_back(long(id));
    Poco::Int64 catalogue = 0;
    session << "SELECT MIN(id) FROM catalogues WHERE group_id = ?", use(group), into(catalogue), now;
    site->campaign = std::to_string(
        CrmHostTests::ResultsFixture::write(session, long(group), people, long(catalogue)).campaignId);
    server.start();
}

void stopSite()
{
    if (site && site->server)
        site->server->stop();
    site.reset();
}

HttpAnswer api(const std::string& login, const std::string& path)
{
    return CrmHostTests::apiRequest(site->server->port(), "GET", path, site->tokens.at(login));
}

Browser loggedIn(const std::string& login)
{
    Browser browser(site->server->port());
    HttpAnswer answer = browser.logIn(login, PASSWORD);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + login, 303, answer.status);
    return browser;
}

std::string pageOf(const std::string& rest)
{
    return "/g/" + site->group + "/massmailing/campaigns/" + site->campaign + "/" + rest;
}

Poco::Int64 numberAt(Poco::JSON::Object::Ptr object, const std::string& path)
{
    auto dot = path.find('.');
    if (dot == std::string::npos)
        return object->getValue<Poco::Int64>(path);
    return numberAt(object->getObject(path.substr(0, dot)), path.substr(dot + 1));
}
} // namespace

class ResultsScreenTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ResultsScreenTest);
    CPPUNIT_TEST(testJsonHasTheFieldsOfTheInterface);
    CPPUNIT_TEST(testCsvIsStreamedAndReadsBackInPythonsCsvModule);
    CPPUNIT_TEST(testPageShowsTheFunnelTheChartTheLinksAndTheControlGroup);
    CPPUNIT_TEST(testPageIsReachableFromTheListAndTheSendStep);
    CPPUNIT_TEST(testOnlyComposersOfTheCampaignsGroupSeeItsResults);
    CPPUNIT_TEST_SUITE_END();

public:
    void testJsonHasTheFieldsOfTheInterface()
    {
        HttpAnswer answer = api("composer", "campaigns/" + site->campaign + "/results");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        Poco::JSON::Object::Ptr r = objectOf(answer);
        const std::pair<const char*, Poco::Int64> expected[] = {{"planned", 9},
                                                                {"sent", 8},
                                                                {"delivered", 6},
                                                                {"bounced.hard", 1},
                                                                {"bounced.soft", 1},
                                                                {"opened.unique", 4},
                                                                {"opened.total", 7},
                                                                {"opened.machine", 3},
                                                                {"clicked.unique", 2},
                                                                {"clicked.total", 3},
                                                                {"clicked.machine", 1},
                                                                {"unsubscribed", 1},
                                                                {"complained", 1},
                                                                {"control_group.size", 2},
                                                                {"control_group.ordered.sent", 2},
                                                                {"control_group.ordered.control", 1}};
        for (const auto& [field, value] : expected)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(field) + " in " + answer.body, value,
                                         numberAt(r, field));
        Poco::JSON::Array::Ptr links = r->getArray("links");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), links->size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://example.org/panier?x=1&y=<2>"),
                             links->getObject(0)->getValue<std::string>("url"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), links->getObject(0)->getValue<Poco::Int64>("unique"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), links->getObject(0)->getValue<Poco::Int64>("total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r->getArray("hours")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("example.org"),
                             r->getArray("domains")->getObject(0)->getValue<std::string>("domain"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.6667, r->getObject("rates")->getValue<double>("opened"), 1e-9);
    }

    void testCsvIsStreamedAndReadsBackInPythonsCsvModule()
    {
        HttpAnswer answer = api("composer", "campaigns/" + site->campaign + "/results.csv");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/csv; charset=utf-8"), answer.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("chunked"), answer.header("Transfer-Encoding"));
        std::string file = site->server->file("results.csv");
        {
            Poco::FileOutputStream out(file);
            out << answer.body;
        }
        std::vector<std::string> args{CRMHOST_RESOURCE_DIR "/tests/http/check_results_csv.py", file};
        Poco::Pipe pipe;
        Poco::ProcessHandle process = Poco::Process::launch("/usr/bin/python3", args, nullptr, &pipe, &pipe);
        Poco::PipeInputStream in(pipe);
        std::string output;
        Poco::StreamCopier::copyToString(in, output);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, process.wait());

        // The page's link gives the same file.
        Browser composer = loggedIn("composer");
        HttpAnswer download = composer.get(pageOf("results.csv"));
        CPPUNIT_ASSERT_EQUAL(200, download.status);
        CPPUNIT_ASSERT_EQUAL(answer.body, download.body);
    }

    void testPageShowsTheFunnelTheChartTheLinksAndTheControlGroup()
    {
        Browser composer = loggedIn("composer");
        HttpAnswer page = composer.get(pageOf("results"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.body, 200, page.status);
        const std::string& html = page.body;
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<td class=\"number\" data-count=\"planned\">9</td>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<td class=\"number\" data-count=\"delivered\">6</td>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<td class=\"number\" data-count=\"opened\">4</td>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(unescapeHtml(html), "data-rate=\"opened\">66.7\xC2\xA0%"));
        // The chart: two series told apart by their pattern and markers, and its table.
        CPPUNIT_ASSERT_MESSAGE(
            html, contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mm-chart\""));
        CPPUNIT_ASSERT_MESSAGE(
            html, contains(html, "data-series=\"clicks\"><polyline fill=\"none\" stroke=\"#b34700\" "
                                 "stroke-width=\"2\" stroke-dasharray=\"6 4\""));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<rect class=\"marker\""));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<circle class=\"marker\""));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "id=\"hours-table\""));
        // Links as text, escaped; the control group beside the sent group.
        CPPUNIT_ASSERT_MESSAGE(
            html, contains(html, "https:&#x2F;&#x2F;example.org&#x2F;panier?x=1&amp;y=&lt;2&gt;"));
        CPPUNIT_ASSERT_MESSAGE(html, !contains(html, "y=<2>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<td class=\"number\" id=\"control-size\">2</td>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<td class=\"number\" id=\"control-ordered\">1</td>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(unescapeHtml(html), "id=\"control-share\">50.0\xC2\xA0%"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(unescapeHtml(html), "id=\"sent-share\">25.0\xC2\xA0%"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<th scope=\"row\">gmail.com</th>"));
        CPPUNIT_ASSERT_MESSAGE(html, contains(html, "<th scope=\"row\">English</th>"));
        // A finished campaign does not reload itself.
        CPPUNIT_ASSERT_MESSAGE(html, !contains(html, "data-live=\"1\""));

        // In French, in French.
        CPPUNIT_ASSERT_EQUAL(303, composer.get("/lang?to=fr").status);
        std::string french = unescapeHtml(composer.get(pageOf("results")).body);
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, "Groupe témoin"));
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, "66,7\xC2\xA0%"));
    }

    void testPageIsReachableFromTheListAndTheSendStep()
    {
        Browser composer = loggedIn("composer");
        std::string home = unescapeHtml(composer.get("/g/" + site->group + "/massmailing/").body);
        CPPUNIT_ASSERT_MESSAGE(
            home, contains(home, "href=\"" + pageOf("results") + "\" class=\"mm-results-link\""));
        std::string send = unescapeHtml(composer.get(pageOf("send")).body);
        CPPUNIT_ASSERT_MESSAGE(send,
                               contains(send, "href=\"" + pageOf("results") + "\" id=\"results-link\""));
    }

    void testOnlyComposersOfTheCampaignsGroupSeeItsResults()
    {
        for (const std::string route : {"/results", "/results.csv"})
        {
            const std::string path = "campaigns/" + site->campaign + route;
            // A sender of the group sees the campaign but may not read its results: 403 naming the right.
            HttpAnswer sender = api("sender", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(sender.body, 403, sender.status);
            CPPUNIT_ASSERT_MESSAGE(sender.body, contains(sender.body, "massmailing.compose"));
            // Someone of another group: no such campaign, and nothing of it in the answer.
            HttpAnswer outsider = api("outsider", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(outsider.body, 404, outsider.status);
            CPPUNIT_ASSERT_MESSAGE(outsider.body, !contains(outsider.body, "example.org"));
        }
        Browser outsider = loggedIn("outsider");
        CPPUNIT_ASSERT_EQUAL(404, outsider.get(pageOf("results")).status);
        CPPUNIT_ASSERT_EQUAL(
            404,
            outsider.get("/g/" + site->other + "/massmailing/campaigns/" + site->campaign + "/results.csv")
                .status);
        Browser sender = loggedIn("sender");
        CPPUNIT_ASSERT_EQUAL(403, sender.get(pageOf("results")).status);
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]()
                 { return new CrmHostTests::SuiteSetup(ResultsScreenTest::suite(), startSite, stopSite); });
} // namespace
