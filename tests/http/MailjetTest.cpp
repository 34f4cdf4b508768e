// Mailjet as the host's transport (issue 17, D5) with the real crmhost binary and the stand-in of
// tests/mailjet: a campaign sent through Mailjet's Send API (a refused address failed with
// Mailjet's error), the host settings screen's connection test and webhook URL (the secret never
// in the page), and the events the stand-in posts to that webhook on the results page.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "MailjetStandIn.h"
#include "SqlDatabase.h"
#include "SuiteSetup.h"
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <sstream>

using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::MailjetStandIn;
using CrmHostTests::objectOf;
using CrmHostTests::unescapeHtml;
using namespace Poco::Data::Keywords;

namespace
{
struct Site
{
    std::unique_ptr<MailjetStandIn> mailjet;
    std::unique_ptr<CrmHostServer> server;
    std::string group, token, adminPassword, campaign;
    std::map<std::string, long> rows; // by address
};
std::unique_ptr<Site> site;

HttpAnswer api(const std::string& method, const std::string& path, const std::string& body = "")
{
    return CrmHostTests::apiRequest(site->server->port(), method, path, site->token, body);
}

void startSite()
{
    site = std::make_unique<Site>();
    site->server = std::make_unique<CrmHostServer>("crmhost_test_mailjet");
    CrmHostServer& server = *site->server;
    site->mailjet = std::make_unique<MailjetStandIn>(server.file("mailjet"));
    const std::string seeded = server.runOrFail({"seed-demo", "--people", "100"});
    site->adminPassword = CrmHostTests::match(seeded, "^Administrator: login admin, password (\\S+)$");
    site->group = server.groupsOf("food").front();
    server.runOrFail({"module", "enable", "massmailing", "--group", site->group});
    site->token = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    server.configure("massmailing.transport", "mailjet");
    server.configure("massmailing.mailjet.url", site->mailjet->url());
    server.configure("massmailing.mailjet.api_key", MailjetStandIn::KEY);
    server.configure("massmailing.mailjet.api_secret", MailjetStandIn::SECRET);
    server.configure("massmailing.tracking.machine_seconds", "0");
    server.start();
}

void stopSite()
{
    if (site && site->server)
        site->server->stop();
    site.reset();
}
} // namespace

class MailjetTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailjetTest);
    CPPUNIT_TEST(testCampaignGoesThroughMailjetAndARefusedAddressFailsWithItsError);
    CPPUNIT_TEST(testHostSettingsTestTheCredentialsAndShowTheWebhookNeverTheSecret);
    CPPUNIT_TEST(testEventsPostedToTheWebhookAppearInTheResults);
    CPPUNIT_TEST(testWebhookRefusesAWrongTokenAndABodyThatIsNotEvents);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCampaignGoesThroughMailjetAndARefusedAddressFailsWithItsError()
    {
        std::string body =
            "{\"group\": " + site->group +
            ", \"channel\": \"email\", \"recipient_type\": \"members\", \"name\": \"Mailjet\", "
            "\"sender_name\": \"AMAP\", \"sender_email\": \"paniers@example.org\", "
            "\"subject\": \"Les paniers de jeudi\", \"html\": \"<p>Bonjour,</p><p><a "
            "href=\\\"https://example.org/panier\\\">Le panier</a></p>\", \"dedupe\": \"address\"}";
        HttpAnswer created = api("POST", "campaigns", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        site->campaign = std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
        HttpAnswer loaded =
            api("POST", "campaigns/" + site->campaign + "/audience?wait=true",
                "{\"addresses\": [\"ann@example.net\", \"bob@example.net\", \"cat@example.net\", "
                "\"reject1@example.net\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 200, loaded.status);
        HttpAnswer scheduled = api("POST", "campaigns/" + site->campaign + "/schedule", "{\"at\": null}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});

        Poco::JSON::Object::Ptr shown = objectOf(api("GET", "campaigns/" + site->campaign));
        CPPUNIT_ASSERT_EQUAL(std::string("done"), shown->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(3, shown->getObject("counts")->getValue<int>("sent"));
        CPPUNIT_ASSERT_EQUAL(1, shown->getObject("counts")->getValue<int>("failed"));
        HttpAnswer failed = api("GET", "campaigns/" + site->campaign + "/recipients?status=failed");
        CPPUNIT_ASSERT_MESSAGE(failed.body, contains(failed.body, "reject1@example.net"));
        // The row keeps Mailjet's error (what the recipients' list shows as its detail).
        CrmHost::SqlDatabase database(site->server->database().connector, site->server->database().connect,
                                      1);
        Poco::Data::Session session = database.session();
        std::string detail;
        session << "SELECT detail FROM mm_recipients WHERE email = 'reject1@example.net'", into(detail), now;
        CPPUNIT_ASSERT_MESSAGE(detail,
                               contains(detail, "mj-0013 400 \"reject1@example.net\" is an invalid email"));

        // What Mailjet got: one call, our rows as CustomID, Mailjet's tracking asked, links as written.
        Poco::JSON::Object::Ptr state = site->mailjet->state();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), state->getArray("calls")->size());
        Poco::JSON::Array::Ptr messages = state->getArray("messages");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), messages->size());
        for (std::size_t i = 0; i < messages->size(); ++i)
        {
            Poco::JSON::Object::Ptr message = messages->getObject(i);
            site->rows[message->getValue<std::string>("Email")] =
                std::stol(message->getValue<std::string>("CustomID"));
            CPPUNIT_ASSERT_EQUAL(std::string("enabled"), message->getValue<std::string>("TrackOpens"));
            const std::string html = message->getValue<std::string>("HTMLPart");
            CPPUNIT_ASSERT_MESSAGE(html, contains(html, "href=\"https://example.org/panier\""));
            CPPUNIT_ASSERT_MESSAGE(html, !contains(html, "/p/massmailing/o/"));
            CPPUNIT_ASSERT(message->getObject("Headers")->has("List-Unsubscribe"));
        }
    }

    void testHostSettingsTestTheCredentialsAndShowTheWebhookNeverTheSecret()
    {
        Browser admin(site->server->port());
        CPPUNIT_ASSERT_EQUAL(303, admin.logIn("admin", site->adminPassword).status);
        const std::string page = "/g/" + site->group + "/massmailing/settings?scope=host";
        HttpAnswer shown = admin.get(page);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, 200, shown.status);
        CPPUNIT_ASSERT_MESSAGE(shown.body, contains(shown.body, "data-setting=\"mailjet.api_secret\""));
        CPPUNIT_ASSERT_MESSAGE(shown.body, !contains(shown.body, MailjetStandIn::SECRET));
        CPPUNIT_ASSERT_MESSAGE(shown.body,
                               contains(unescapeHtml(shown.body), "/p/massmailing/mailjet/events/"));
        const std::string csrf = CrmHostTests::match(shown.body, "name=\"csrf\" value=\"([^\"]+)\"");
        HttpAnswer tested = admin.post("/g/" + site->group + "/massmailing/settings/test?scope=host",
                                       {{"csrf", csrf}, {"sender", "paniers@example.org"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tested.body, 200, tested.status);
        CPPUNIT_ASSERT_MESSAGE(tested.body, contains(tested.body, "id=\"connection-test\" data-step=\"\""));
        CPPUNIT_ASSERT_MESSAGE(tested.body, !contains(tested.body, MailjetStandIn::SECRET));
    }

    void testEventsPostedToTheWebhookAppearInTheResults()
    {
        CPPUNIT_ASSERT_MESSAGE("the campaign was sent first", !site->rows.empty());
        const std::string url = webhookUrl();
        const std::string ann = std::to_string(site->rows.at("ann@example.net"));
        const std::string bob = std::to_string(site->rows.at("bob@example.net"));
        const std::string cat = std::to_string(site->rows.at("cat@example.net"));
        const std::string agent =
            "\"agent\": \"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\", \"ip\": \"192.0.2.7\"";
        // Grouped, as Mailjet posts them when its account groups events, then one by one.
        Poco::JSON::Object::Ptr posted =
            site->mailjet->postEvents("{\"url\": \"" + url +
                                      "\", \"grouped\": true, \"events\": ["
                                      "{\"event\": \"sent\", \"CustomID\": \"" +
                                      ann +
                                      "\"},"
                                      "{\"event\": \"open\", \"CustomID\": \"" +
                                      ann + "\", " + agent +
                                      "},"
                                      "{\"event\": \"open\", \"CustomID\": \"" +
                                      bob + "\", " + agent +
                                      "},"
                                      "{\"event\": \"click\", \"CustomID\": \"" +
                                      ann + "\", \"url\": \"https://example.org/panier\", " + agent + "}]}");
        CPPUNIT_ASSERT_EQUAL(200, posted->getArray("statuses")->getElement<int>(0));
        posted =
            site->mailjet->postEvents("{\"url\": \"" + url +
                                      "\", \"events\": ["
                                      "{\"event\": \"bounce\", \"CustomID\": \"" +
                                      cat +
                                      "\", \"hard_bounce\": true, "
                                      "\"error_related_to\": \"recipient\", \"error\": \"user unknown\"},"
                                      "{\"event\": \"unsub\", \"CustomID\": \"" +
                                      bob +
                                      "\"},"
                                      "{\"event\": \"open\", \"CustomID\": \"999999999\", " +
                                      agent + "}]}");
        for (std::size_t i = 0; i < 3; ++i)
            CPPUNIT_ASSERT_EQUAL(200, posted->getArray("statuses")->getElement<int>(i));

        site->server->runOrFail({"task", "run", "massmailing.results"});
        Poco::JSON::Object::Ptr results;
        for (int attempt = 0; attempt < 50; ++attempt) // the recorder writes within 200 ms
        {
            results = objectOf(api("GET", "campaigns/" + site->campaign + "/results"));
            if (results->getObject("opened")->getValue<int>("unique") == 2 &&
                results->getObject("clicked")->getValue<int>("unique") == 1)
                break;
            Poco::Thread::sleep(100);
            site->server->runOrFail({"task", "run", "massmailing.results"});
        }
        std::ostringstream shown;
        results->stringify(shown);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 2, results->getObject("opened")->getValue<int>("unique"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 1, results->getObject("clicked")->getValue<int>("unique"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 1, results->getObject("bounced")->getValue<int>("hard"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 1, results->getValue<int>("unsubscribed"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 2, results->getValue<int>("delivered"));
        Poco::JSON::Array::Ptr links = results->getArray("links");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), std::size_t(1), links->size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://example.org/panier"),
                             links->getObject(0)->getValue<std::string>("url"));
        // The bounced address is suppressed in the group, as for a mailed bounce.
        HttpAnswer suppressions = api("GET", "suppressions?group=" + site->group);
        CPPUNIT_ASSERT_MESSAGE(suppressions.body, contains(suppressions.body, "cat@example.net"));
        CPPUNIT_ASSERT_MESSAGE(suppressions.body, contains(suppressions.body, "bob@example.net"));
    }

    void testWebhookRefusesAWrongTokenAndABodyThatIsNotEvents()
    {
        const std::string url = webhookUrl();
        Poco::JSON::Object::Ptr posted =
            site->mailjet->postEvents("{\"url\": \"" + url.substr(0, url.size() - 1) +
                                      "0\", \"events\": [{\"event\": \"open\", \"CustomID\": \"1\"}]}");
        CPPUNIT_ASSERT_EQUAL(404, posted->getArray("statuses")->getElement<int>(0));
        Poco::Net::HTTPClientSession session("127.0.0.1", site->server->port());
        Poco::Net::HTTPRequest request("POST", Poco::URI(url).getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength(8);
        session.sendRequest(request) << "not json";
        Poco::Net::HTTPResponse response;
        std::string answer;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer, 400, int(response.getStatus()));
    }

private:
    static std::string webhookUrl()
    {
        Browser admin(site->server->port());
        admin.logIn("admin", site->adminPassword);
        HttpAnswer shown = admin.get("/g/" + site->group + "/massmailing/settings?scope=host");
        std::string url = CrmHostTests::match(
            unescapeHtml(shown.body), "<code>(http[^<]+/p/massmailing/mailjet/events/[0-9a-f]+)</code>");
        CPPUNIT_ASSERT(!url.empty());
        return url;
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(MailjetTest::suite(), startSite, stopSite); });
} // namespace
