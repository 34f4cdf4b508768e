// A campaign's life through its real paths (finding 16): sent by `crmhost task run
// massmailing.send` into the outbox, the message read back from the outbox file; its
// List-Unsubscribe link followed over HTTP as a mailbox's one-click does (RFC 8058); an earlier
// campaign that was sent, excluded from a new one; a send time in a time zone, as the JSON API
// stores it; and each message signed with DKIM over its List-Unsubscribe headers, checked
// by python3-dkim.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

using CrmHostTests::Browser;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::objectOf;

namespace
{
/// One seeded server for the suite, sending into its outbox.
struct Site
{
    std::unique_ptr<CrmHostServer> server;
    std::string group; // a food group with the module enabled
    std::string token; // the administrator's API token
};
std::unique_ptr<Site> site;

const char* const DKIM_DOMAIN = "example.org";
const char* const DKIM_SELECTOR = "mm2099";

/// Runs a program, its output into OUTPUT; returns its exit code.
int run(const std::string& program, const std::vector<std::string>& args, std::string* output = nullptr)
{
    Poco::Pipe out;
    Poco::ProcessHandle process = Poco::Process::launch(program, args, nullptr, &out, &out);
    Poco::PipeInputStream in(out);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    int code = process.wait();
    if (output)
        *output = text;
    else if (code != 0)
        throw Poco::RuntimeException(program + " exited with " + std::to_string(code) + ":\n" + text);
    return code;
}

void startSite()
{
    site = std::make_unique<Site>();
    site->server = std::make_unique<CrmHostServer>("crmhost_test_flow");
    CrmHostServer& server = *site->server;
    server.runOrFail({"seed-demo", "--people", "100"});
    site->group = server.groupsOf("food").front();
    server.runOrFail({"module", "enable", "massmailing", "--group", site->group});
    site->token = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    server.configure("massmailing.transport", "outbox");
    // Every message of the suite is signed, as a production host's would be (before the server
    // starts: its scheduler sends too).
    run("/usr/bin/openssl", {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                             server.file("dkim.key")});
    run("/usr/bin/openssl",
        {"pkey", "-in", server.file("dkim.key"), "-pubout", "-out", server.file("dkim.pub")});
    server.configure("massmailing.dkim.domain", DKIM_DOMAIN);
    server.configure("massmailing.dkim.selector", DKIM_SELECTOR);
    server.configure("massmailing.dkim.key", server.file("dkim.key"));
    server.start();
}

void stopSite()
{
    if (site && site->server)
        site->server->stop();
    site.reset();
}

HttpAnswer api(const std::string& method, const std::string& path, const std::string& body = "")
{
    return CrmHostTests::apiRequest(site->server->port(), method, path, site->token, body);
}

std::string quoted(const std::string& text)
{
    return "\"" + text + "\"";
}
} // namespace

class CampaignFlowTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CampaignFlowTest);
    CPPUNIT_TEST(testSentMessageCarriesListUnsubscribeAndItsOneClickLinkUnsubscribesOverHttp);
    CPPUNIT_TEST(testSentMessageIsDkimSignedOverItsListUnsubscribeHeaders);
    CPPUNIT_TEST(testRecipientsOfAnEarlierSentCampaignAreLeftOutAsExcluded);
    CPPUNIT_TEST(testSendTimeInParisIsStoredAsTheUtcOfThatDateInSummerAndInWinter);
    CPPUNIT_TEST(testScheduleTakesALocalTimeAndACalendarAndRefusesABadOneNamingTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSentMessageCarriesListUnsubscribeAndItsOneClickLinkUnsubscribesOverHttp()
    {
        const std::string reader = "one-click-reader@example.net";
        std::string id = createCampaign("Désinscription en un clic");
        loadAddresses(id, {reader, "one-click-other@example.net"});
        sendAndWait(id);

        // The message as it was written to the outbox, its headers parsed by a MIME reader.
        Poco::Net::MessageHeader header = outboxHeaderFor(reader);
        CPPUNIT_ASSERT_EQUAL(std::string("List-Unsubscribe=One-Click"),
                             header.get("List-Unsubscribe-Post", ""));
        std::string list = Poco::trim(header.get("List-Unsubscribe", ""));
        CPPUNIT_ASSERT_MESSAGE(list, list.size() > 2 && list.front() == '<' && list.back() == '>');
        Poco::URI link(list.substr(1, list.size() - 2));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list, std::string("127.0.0.1"), link.getHost());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list, site->server->port(), link.getPort());

        // A mailbox provider's POST to that very URL: no cookie, no login, the RFC 8058 body.
        Browser mailbox(site->server->port());
        HttpAnswer done = mailbox.post(link.getPathAndQuery(), {{"List-Unsubscribe", "One-Click"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 200, done.status);

        // The next campaign to that address leaves it out as unsubscribed.
        std::string next = createCampaign("Après la désinscription");
        Poco::JSON::Object::Ptr summary = loadAddresses(next, {reader, "one-click-third@example.net"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(stringify(summary), Poco::Int64(1),
                                     summary->getValue<Poco::Int64>("unsubscribed"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(stringify(summary), Poco::Int64(1),
                                     summary->getValue<Poco::Int64>("planned"));
        CPPUNIT_ASSERT_EQUAL(reader, addressesOf(next, "left_out", "unsubscribed"));
        // The other recipient of the first message is still subscribed.
        CPPUNIT_ASSERT_EQUAL(std::string("one-click-third@example.net"), addressesOf(next, "planned", ""));
    }

    void testSentMessageIsDkimSignedOverItsListUnsubscribeHeaders()
    {
        const std::string reader = "dkim-reader@example.net";
        std::string id = createCampaign("Signée");
        loadAddresses(id, {reader});
        sendAndWait(id);
        // python3-dkim verifies the outbox file against the public key, as a receiving server would.
        std::string output;
        int code = run("/usr/bin/python3",
                       {CRMHOST_RESOURCE_DIR "/tests/http/check_sent_dkim.py", outboxFileFor(reader),
                        site->server->file("dkim.pub"), DKIM_DOMAIN, DKIM_SELECTOR},
                       &output);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, code);
    }

    void testRecipientsOfAnEarlierSentCampaignAreLeftOutAsExcluded()
    {
        std::string earlier = createCampaign("La première lettre");
        loadAddresses(earlier, {"earlier-a@example.net", "earlier-b@example.net", "earlier-c@example.net"});
        sendAndWait(earlier);
        CPPUNIT_ASSERT_EQUAL(3, countsOf(earlier)["sent"]);

        std::string next = createCampaign("La relance");
        loadAddresses(next, {"earlier-a@example.net", "earlier-b@example.net", "earlier-c@example.net",
                             "new-d@example.net", "new-e@example.net"});
        HttpAnswer excluded = api("POST", "campaigns/" + next + "/audience?wait=true",
                                  "{\"exclude\": [{\"campaign\": " + earlier + "}]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(excluded.body, 200, excluded.status);
        Poco::JSON::Object::Ptr summary = objectOf(api("GET", "campaigns/" + next + "/summary"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(stringify(summary), Poco::Int64(2),
                                     summary->getValue<Poco::Int64>("planned"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(stringify(summary), Poco::Int64(3),
                                     summary->getObject("left_out")->getValue<Poco::Int64>("excluded"));
        CPPUNIT_ASSERT_EQUAL(std::string("earlier-a@example.net earlier-b@example.net earlier-c@example.net"),
                             addressesOf(next, "left_out", "excluded"));
        CPPUNIT_ASSERT_EQUAL(std::string("new-d@example.net new-e@example.net"),
                             addressesOf(next, "planned", ""));
    }

    void testSendTimeInParisIsStoredAsTheUtcOfThatDateInSummerAndInWinter()
    {
        // Summer time (UTC+2) and winter time (UTC+1), the offset as a browser in Paris sends it.
        for (const auto& [typed, utc] : std::vector<std::pair<std::string, std::string>>{
                 {"2099-07-01T09:30:00+02:00", "2099-07-01 07:30:00"},
                 {"2099-12-01T09:30:00+01:00", "2099-12-01 08:30:00"}})
        {
            std::string id = createCampaign("Heure de Paris " + typed);
            loadAddresses(id, {"paris@example.net"});
            HttpAnswer scheduled = api("POST", "campaigns/" + id + "/schedule",
                                       "{\"at\": " + quoted(typed) + ", \"timezone\": \"Europe/Paris\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
            HttpAnswer shown = api("GET", "campaigns/" + id);
            Poco::JSON::Object::Ptr plan = objectOf(shown)->getObject("plan");
            CPPUNIT_ASSERT_MESSAGE(shown.body, !plan.isNull());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, utc, sqlTime(plan->getValue<std::string>("at")));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("Europe/Paris"),
                                         plan->getValue<std::string>("timezone"));
            CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(shown)->getValue<std::string>("status"));
            CPPUNIT_ASSERT_EQUAL(200, api("POST", "campaigns/" + id + "/cancel").status);
        }
    }

    void testScheduleTakesALocalTimeAndACalendarAndRefusesABadOneNamingTheField()
    {
        // D12: "at 9:00 in each recipient's zone, Monday to Friday, 8:00 to 18:00".
        std::string id = createCampaign("Heure locale");
        loadAddresses(id, {"local@example.net"});
        HttpAnswer refused =
            api("POST", "campaigns/" + id + "/schedule",
                "{\"at\": \"2099-12-01T00:00:00Z\", \"timezone\": \"Europe/Paris\", \"local_time\": "
                "\"09:00\", \"calendar\": {\"days\": \"12345\", \"from\": \"18:00\", \"to\": \"08:00\"}}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 400, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, refused.body.find("\"calendar.to\"") != std::string::npos);
        HttpAnswer scheduled =
            api("POST", "campaigns/" + id + "/schedule",
                "{\"at\": \"2099-12-01T00:00:00Z\", \"timezone\": \"Europe/Paris\", \"local_time\": "
                "\"09:00\", \"calendar\": {\"days\": \"12345\", \"from\": \"08:00\", \"to\": \"18:00\"}}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
        HttpAnswer shown = api("GET", "campaigns/" + id);
        Poco::JSON::Object::Ptr plan = objectOf(shown)->getObject("plan");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("09:00"),
                                     plan->getValue<std::string>("local_time"));
        Poco::JSON::Object::Ptr calendar = plan->getObject("calendar");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("12345"),
                                     calendar->getValue<std::string>("days"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("08:00"),
                                     calendar->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("18:00"), calendar->getValue<std::string>("to"));
        CPPUNIT_ASSERT_EQUAL(200, api("POST", "campaigns/" + id + "/cancel").status);
    }

private:
    static std::string stringify(const Poco::JSON::Object::Ptr& object)
    {
        std::ostringstream out;
        object->stringify(out);
        return out.str();
    }

    /// "2099-07-01T07:30:00Z" and "2099-07-01 07:30:00" alike as the latter.
    static std::string sqlTime(std::string time)
    {
        if (time.size() >= 19 && time[10] == 'T')
            time[10] = ' ';
        return time.substr(0, 19);
    }

    static std::string createCampaign(const std::string& name)
    {
        std::string body =
            "{\"group\": " + site->group +
            ", \"channel\": \"email\", \"recipient_type\": \"members\", \"name\": " + quoted(name) +
            ", \"sender_name\": \"AMAP\", \"sender_email\": \"paniers@example.org\", "
            "\"subject\": \"Les paniers de jeudi\", \"html\": \"<p>Bonjour,</p>"
            "<p>Les paniers arrivent jeudi.</p>\", \"dedupe\": \"address\"}";
        HttpAnswer created = api("POST", "campaigns", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        return std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
    }

    /// Types these addresses into the campaign's audience; the summary.
    static Poco::JSON::Object::Ptr loadAddresses(const std::string& id,
                                                 const std::vector<std::string>& addresses)
    {
        std::string body = "{\"addresses\": [";
        for (std::size_t n = 0; n < addresses.size(); ++n)
            body += (n ? "," : "") + quoted(addresses[n]);
        body += "]}";
        HttpAnswer answer = api("POST", "campaigns/" + id + "/audience?wait=true", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        return objectOf(api("GET", "campaigns/" + id + "/summary"));
    }

    /// Schedules the campaign for now and sends it by hand, as `crmhost task run` does.
    static void sendAndWait(const std::string& id)
    {
        HttpAnswer scheduled = api("POST", "campaigns/" + id + "/schedule", "{\"at\": null}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});
        HttpAnswer shown = api("GET", "campaigns/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, std::string("done"),
                                     objectOf(shown)->getValue<std::string>("status"));
    }

    static std::map<std::string, int> countsOf(const std::string& id)
    {
        std::map<std::string, int> counts;
        Poco::JSON::Object::Ptr object = objectOf(api("GET", "campaigns/" + id))->getObject("counts");
        for (const auto& [name, value] : *object)
            counts[name] = value.convert<int>();
        return counts;
    }

    /// The addresses of the campaign's rows with this status (and reason), sorted, joined by spaces.
    static std::string addressesOf(const std::string& id, const std::string& status,
                                   const std::string& reason)
    {
        HttpAnswer answer = api("GET", "campaigns/" + id + "/recipients?status=" + status +
                                           (reason.empty() ? "" : "&reason=" + reason) + "&limit=100");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        Poco::JSON::Array::Ptr rows =
            Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Array::Ptr>();
        std::vector<std::string> addresses;
        for (std::size_t n = 0; n < rows->size(); ++n)
            addresses.push_back(rows->getObject(unsigned(n))->getValue<std::string>("email"));
        std::sort(addresses.begin(), addresses.end());
        return Poco::cat(std::string(" "), addresses.begin(), addresses.end());
    }

    /// The headers of the one outbox message addressed to this recipient.
    static Poco::Net::MessageHeader outboxHeaderFor(const std::string& recipient)
    {
        Poco::FileInputStream in(outboxFileFor(recipient));
        Poco::Net::MessageHeader header;
        header.read(in);
        return header;
    }

    /// The path of the one outbox message addressed to this recipient.
    static std::string outboxFileFor(const std::string& recipient)
    {
        std::string dir = site->server->file("data/massmailing/outbox");
        std::vector<std::string> found;
        for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        {
            if (!it->isFile())
                continue;
            Poco::FileInputStream in(it->path());
            Poco::Net::MessageHeader header;
            header.read(in);
            if (Poco::trim(header.get("X-Outbox-Envelope-To", "")) == recipient)
                found.push_back(it->path());
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("messages to " + recipient + " in " + dir, std::size_t(1), found.size());
        return found.front();
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]()
                 { return new CrmHostTests::SuiteSetup(CampaignFlowTest::suite(), startSite, stopSite); });
} // namespace
