// Sending for real (D7, D9): the crmhost binary delivers campaigns through SMTP to a server on
// loopback that counts what it accepted, recipient by recipient (tests/http/counting_smtp.py).
// Twenty thousand recipients each received exactly once; a kill -9 in the middle of a send and
// a restart lose nobody and send nobody twice, and leave at most one recipient in doubt per
// connection, listed by the JSON API; three crmhost processes drain one campaign together. And
// through HTTP, a change the campaign's state does not allow answers 409 with that state, and a
// recipient the mail server refused is sent again ("send again") and received once.
//
// The three heavy tests run only against MariaDB (http.mysql), where several hosts share one
// database and claim with FOR UPDATE SKIP LOCKED; against SQLite they return at once. The 409
// test runs on both.
#include "CountingSmtpServer.h"
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "Skip.h"
#include "SuiteSetup.h"
#include "TestDatabase.h"
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberFormatter.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <signal.h>
#include <sys/wait.h>

using CrmHostTests::CountingSmtpServer;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::objectOf;

namespace
{
const int CONNECTIONS = 4; // massmailing.smtp.connections: the workers of each process

/// One seeded database for the suite; every test starts its own mail servers and crmhost.
struct Site
{
    std::unique_ptr<CrmHostServer> server;
    std::string group; // a food group with the module enabled
    std::string token; // the administrator's API token
};
std::unique_ptr<Site> site;

bool onMariaDb()
{
    return CrmHostTests::testDatabaseKind() == "mysql";
}

void startSite()
{
    site = std::make_unique<Site>();
    site->server = std::make_unique<CrmHostServer>("crmhost_test_sending");
    CrmHostServer& server = *site->server;
    server.runOrFail({"seed-demo", "--people", "100"});
    site->group = server.groupsOf("food").front();
    server.runOrFail({"module", "enable", "massmailing", "--group", site->group});
    site->token = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    server.configure("massmailing.transport", "smtp");
    server.configure("massmailing.smtp.host", "127.0.0.1");
    server.configure("massmailing.smtp.connections", std::to_string(CONNECTIONS));
    // After a kill -9 the dead process's rows are taken back once their lease runs out: a few
    // seconds here rather than the default five minutes.
    server.configure("massmailing.lease.seconds", "3");
    server.configure("massmailing.retry.seconds", "1");
}

void stopSite()
{
    if (site && site->server)
        site->server->stop();
    site.reset();
}

/// A JSON request of the administrator to the module's API.
HttpAnswer api(const std::string& method, const std::string& path, const std::string& body = "")
{
    return CrmHostTests::apiRequest(site->server->port(), method, path, site->token, body);
}

std::string quoted(const std::string& text)
{
    return "\"" + text + "\"";
}

/// The address of recipient n of a campaign: the prefix keeps each campaign's apart.
std::string address(const std::string& prefix, int n)
{
    return prefix + "-" + Poco::NumberFormatter::format0(n, 5) + "@example.net";
}

std::string tail(const std::string& path, std::size_t size = 3000)
{
    if (!Poco::File(path).exists())
        return "(no " + path + ")";
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text.size() <= size ? text : "..." + text.substr(text.size() - size);
}

void waitFor(const std::function<bool()>& done, int seconds, const std::string& what)
{
    Poco::Timestamp started;
    while (!done())
    {
        if (started.isElapsed(Poco::Timestamp::TimeDiff(seconds) * Poco::Timestamp::resolution()))
            CPPUNIT_FAIL("waited " + std::to_string(seconds) + " s for " + what + "; serve log:\n" +
                         tail(site->server->file("serve.log")));
        Poco::Thread::sleep(100);
    }
}
} // namespace

class SendingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SendingTest);
    CPPUNIT_TEST(testForbiddenChangeAnswers409WithTheCurrentState);
    CPPUNIT_TEST(testFailedRecipientSentAgainIsReceivedOnceMore);
    CPPUNIT_TEST(testTwentyThousandRecipientsAreEachReceivedExactlyOnce);
    CPPUNIT_TEST(testKillDuringSendThenRestartLosesNobodyAndSendsNobodyTwice);
    CPPUNIT_TEST(testThreeProcessesDrainOneCampaignWithoutSendingAnyoneTwice);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override
    {
        for (auto pid : _senders)
            if (pid > 0) // 0: already ended and waited for
            {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, nullptr, 0);
            }
        _senders.clear();
        // A campaign a failed test left behind must not go on sending into the next test.
        if (!_campaign.empty())
        {
            try
            {
                api("POST", "campaigns/" + _campaign + "/cancel");
            }
            catch (const Poco::Exception&)
            {
            }
            _campaign.clear();
        }
        site->server->stop();
        _mailServers.clear();
    }

    void testForbiddenChangeAnswers409WithTheCurrentState()
    {
        CountingSmtpServer& mail = mailServer();
        serveWith(mail);
        std::string id = createCampaign("Transitions interdites");
        loadAddresses(id, "forbidden", 3);

        HttpAnswer pause = api("POST", "campaigns/" + id + "/pause");
        assertRefused(pause, "draft", "cannot pause a campaign that is draft");
        assertRefused(api("POST", "campaigns/" + id + "/approve"), "draft", "cannot approve");

        // Far in the future: scheduled, and nothing is sent in this test.
        HttpAnswer scheduled =
            api("POST", "campaigns/" + id + "/schedule", "{\"at\": \"2099-06-01T09:00:00+02:00\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), objectOf(scheduled)->getValue<std::string>("status"));
        assertRefused(api("POST", "campaigns/" + id + "/approve"), "scheduled",
                      "cannot approve a campaign that is scheduled");
        assertRefused(api("POST", "campaigns/" + id + "/resume"), "scheduled", "cannot resume");
        assertRefused(api("POST", "campaigns/" + id + "/schedule", "{\"at\": null}"), "scheduled",
                      "cannot schedule");
        CPPUNIT_ASSERT_EQUAL(std::string("scheduled"), statusOf(id));

        HttpAnswer cancelled = api("POST", "campaigns/" + id + "/cancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(cancelled.body, 200, cancelled.status);
        assertRefused(api("POST", "campaigns/" + id + "/resume"), "cancelled", "cannot resume");
        assertRefused(api("POST", "campaigns/" + id + "/cancel"), "cancelled", "cannot cancel");
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), statusOf(id));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), mail.count());
    }

    void testFailedRecipientSentAgainIsReceivedOnceMore()
    {
        CountingSmtpServer& mail = mailServer();
        const std::string refused = address("again", 1);
        mail.refuse({refused}); // 550 at RCPT TO: a permanent failure
        serveWith(mail);
        std::string id = createCampaign("Encore une fois");
        loadAddresses(id, "again", 3);
        schedule(id);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});
        waitFor([&] { return statusOf(id) == "done"; }, 60, "the campaign to be done");
        auto counts = countsOf(id);
        CPPUNIT_ASSERT_EQUAL(2, counts["sent"]);
        CPPUNIT_ASSERT_EQUAL(1, counts["failed"]);
        std::set<std::string> failed = addressesWithStatus(id, "failed");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed.size());
        CPPUNIT_ASSERT_EQUAL(refused, *failed.begin());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), mail.count());

        // The mailbox exists now: "send again" on its row, through the API.
        mail.refuse({});
        std::string row = std::to_string(rowIdOf(id, refused));
        HttpAnswer again = api("POST", "campaigns/" + id + "/recipients/" + row + "/resend");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 200, again.status);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});
        waitFor([&] { return statusOf(id) == "done"; }, 60, "the campaign to be done again");

        auto times = CountingSmtpServer::tally(mail.received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), times.size());
        for (int n = 0; n < 3; ++n)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address("again", n), 1, times[address("again", n)]);
        counts = countsOf(id);
        CPPUNIT_ASSERT_EQUAL(3, counts["sent"]);
        CPPUNIT_ASSERT_EQUAL(0, counts["failed"]);
        // Sent now: not again.
        assertRefused(api("POST", "campaigns/" + id + "/recipients/" + row + "/resend"), "done",
                      "cannot send again to a recipient who is not failed or in doubt");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), mail.count());
    }

    void testTwentyThousandRecipientsAreEachReceivedExactlyOnce()
    {
        if (!onMariaDb())
            CrmHostTests::skip("heavy: MariaDB only (http.SendingTest.mysql)");
        const int total = 20000;
        CountingSmtpServer& mail = mailServer();
        serveWith(mail);
        std::string id = createCampaign("Vingt mille");
        loadAddresses(id, "twenty", total);
        schedule(id);

        // The server's own scheduler sends it; timed from the first message received.
        Poco::Timestamp first(0), last(0);
        waitFor(
            [&]
            {
                if (first.epochMicroseconds() == 0 && mail.count() > 0)
                    first.update();
                return statusOf(id) == "done";
            },
            240, "the campaign of " + std::to_string(total) + " to be done");
        last.update();

        std::vector<std::string> received = mail.received();
        auto times = CountingSmtpServer::tally(received);
        CPPUNIT_ASSERT_EQUAL(std::size_t(total), received.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(total), times.size());
        for (int n = 0; n < total; ++n)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address("twenty", n), 1, times[address("twenty", n)]);
        auto counts = countsOf(id);
        CPPUNIT_ASSERT_EQUAL(total, counts["sent"]);
        for (const char* other : {"queued", "in_flight", "failed", "skipped", "in_doubt"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(other, 0, counts[other]);

        double seconds = double(last - first) / double(Poco::Timestamp::resolution());
        std::cerr << "\nSendingTest: " << total << " messages through SMTP (" << CONNECTIONS
                  << " connections) in " << seconds << " s, " << long(total / seconds) << " messages/s\n";
    }

    void testKillDuringSendThenRestartLosesNobodyAndSendsNobodyTwice()
    {
        if (!onMariaDb())
            CrmHostTests::skip("heavy: MariaDB only (http.SendingTest.mysql)");
        const int total = 6000;
        CountingSmtpServer& mail = mailServer();
        serveWith(mail);
        std::string id = createCampaign("Coupure");
        loadAddresses(id, "crash", total);
        schedule(id);

        waitFor([&] { return mail.count() >= 2000; }, 120, "2000 messages at the mail server");
        site->server->crash();
        std::size_t atKill = mail.count();
        CPPUNIT_ASSERT_MESSAGE("the send was over before the kill", atKill < std::size_t(total));
        site->server->start();
        waitFor([&] { return statusOf(id) == "done"; }, 120, "the campaign to be done after the restart");

        auto times = CountingSmtpServer::tally(mail.received());
        for (const auto& [recipient, count] : times)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(recipient + " received twice", 1, count);
        auto counts = countsOf(id);
        std::set<std::string> inDoubt = addressesWithStatus(id, "in_doubt");
        CPPUNIT_ASSERT_EQUAL(int(inDoubt.size()), counts["in_doubt"]);
        // At most the message each connection was handing over when the process died.
        CPPUNIT_ASSERT_MESSAGE(std::to_string(inDoubt.size()) + " in doubt",
                               int(inDoubt.size()) <= CONNECTIONS);
        CPPUNIT_ASSERT_EQUAL(total, counts["sent"] + counts["in_doubt"]);
        for (const char* other : {"queued", "in_flight", "failed", "skipped"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(other, 0, counts[other]);
        // Nobody lost: each one received, or in doubt (the server may or may not have it).
        for (int n = 0; n < total; ++n)
        {
            std::string recipient = address("crash", n);
            CPPUNIT_ASSERT_MESSAGE(recipient + " lost", times.count(recipient) || inDoubt.count(recipient));
        }
        CPPUNIT_ASSERT(int(times.size()) >= counts["sent"]);
        CPPUNIT_ASSERT(int(times.size()) <= counts["sent"] + counts["in_doubt"]);
        std::cerr << "\nSendingTest: killed with " << atKill << " received, after the restart "
                  << times.size() << " received, " << inDoubt.size() << " in doubt\n";
    }

    void testThreeProcessesDrainOneCampaignWithoutSendingAnyoneTwice()
    {
        if (!onMariaDb())
            CrmHostTests::skip("heavy: MariaDB only (http.SendingTest.mysql)");
        const int total = 9000;
        // A mail server for each process, to see that each one took its share; the serve
        // process (for the API) sends too when its scheduler comes round, into its own.
        CountingSmtpServer& serveMail = mailServer();
        serveWith(serveMail);
        std::string id = createCampaign("Trois hôtes");
        loadAddresses(id, "three", total);
        std::vector<CountingSmtpServer*> mails;
        for (int n = 0; n < 3; ++n)
            mails.push_back(&mailServer());
        schedule(id);
        Poco::Timestamp started;
        for (int n = 0; n < 3; ++n)
            _senders.push_back(site->server->launch(
                {"task", "run", "massmailing.send", "--until-idle"},
                {{"massmailing.smtp.port", std::to_string(mails[std::size_t(n)]->port())}},
                "sender" + std::to_string(n)));

        for (int n = 0; n < 3; ++n)
        {
            int status = 0;
            waitFor([&] { return ::waitpid(_senders[std::size_t(n)], &status, WNOHANG) > 0; }, 240,
                    "sender " + std::to_string(n) + " to end");
            std::string log = site->server->file("sender" + std::to_string(n) + ".log");
            CPPUNIT_ASSERT_MESSAGE(tail(log), WIFEXITED(status) && WEXITSTATUS(status) == 0);
            _senders[std::size_t(n)] = 0;
        }
        _senders.clear();
        double seconds = double(started.elapsed()) / double(Poco::Timestamp::resolution());
        waitFor([&] { return statusOf(id) == "done"; }, 30, "the campaign to be done");

        std::vector<std::string> received = serveMail.received();
        std::string shares = "serve " + std::to_string(received.size());
        for (int n = 0; n < 3; ++n)
        {
            std::vector<std::string> own = mails[std::size_t(n)]->received();
            CPPUNIT_ASSERT_MESSAGE("sender " + std::to_string(n) + " sent nothing", !own.empty());
            shares += ", sender" + std::to_string(n) + " " + std::to_string(own.size());
            received.insert(received.end(), own.begin(), own.end());
        }
        auto times = CountingSmtpServer::tally(received);
        CPPUNIT_ASSERT_EQUAL(std::size_t(total), times.size());
        for (int n = 0; n < total; ++n)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address("three", n), 1, times[address("three", n)]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(total), received.size());
        auto counts = countsOf(id);
        std::string logs = "serve:\n" + tail(site->server->file("serve.log"));
        for (int n = 0; n < 3; ++n)
            logs += "\nsender" + std::to_string(n) + ":\n" +
                    tail(site->server->file("sender" + std::to_string(n) + ".log"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logs, total, counts["sent"]);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logs, 0, counts["in_doubt"]);
        std::cerr << "\nSendingTest: three processes sent " << total << " in " << seconds << " s (" << shares
                  << ")\n";
    }

private:
    CountingSmtpServer& mailServer()
    {
        _mailServers.push_back(std::make_unique<CountingSmtpServer>());
        return *_mailServers.back();
    }

    /// Starts crmhost serve (API and scheduler), sending to this mail server.
    static void serveWith(const CountingSmtpServer& mail)
    {
        site->server->configure("massmailing.smtp.port", std::to_string(mail.port()));
        site->server->start();
    }

    std::string createCampaign(const std::string& name)
    {
        std::string body =
            "{\"group\": " + site->group +
            ", \"channel\": \"email\", \"recipient_type\": " + "\"members\", \"name\": " + quoted(name) +
            ", \"sender_name\": \"AMAP\", \"sender_email\": \"paniers@example.org\", "
            "\"subject\": \"Les paniers de jeudi\", \"html\": \"<p>Bonjour {{first_name}},</p>"
            "<p>Les paniers arrivent jeudi.</p>\", \"text\": \"Bonjour {{first_name}},\\n\\nLes "
            "paniers arrivent jeudi.\", \"dedupe\": \"address\"}";
        HttpAnswer created = api("POST", "campaigns", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        _campaign = std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
        return _campaign;
    }

    /// Types `count` addresses by hand into the campaign's audience, 5,000 a request.
    static void loadAddresses(const std::string& id, const std::string& prefix, int count)
    {
        for (int from = 0; from < count; from += 5000)
        {
            std::string body = "{\"addresses\": [";
            for (int n = from; n < std::min(count, from + 5000); ++n)
                body += (n == from ? "" : ",") + quoted(address(prefix, n));
            body += "]}";
            HttpAnswer answer = api("POST", "campaigns/" + id + "/audience?wait=true", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body.substr(0, 500), 200, answer.status);
        }
        HttpAnswer summary = api("GET", "campaigns/" + id + "/summary");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(count), objectOf(summary)->getValue<Poco::Int64>("planned"));
    }

    static void schedule(const std::string& id)
    {
        HttpAnswer answer = api("POST", "campaigns/" + id + "/schedule", "{\"at\": null}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
    }

    static std::string statusOf(const std::string& id)
    {
        HttpAnswer answer = api("GET", "campaigns/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        return objectOf(answer)->getValue<std::string>("status");
    }

    static std::map<std::string, int> countsOf(const std::string& id)
    {
        HttpAnswer answer = api("GET", "campaigns/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        std::map<std::string, int> counts;
        Poco::JSON::Object::Ptr object = objectOf(answer)->getObject("counts");
        for (const auto& [name, value] : *object)
            counts[name] = value.convert<int>();
        return counts;
    }

    static std::set<std::string> addressesWithStatus(const std::string& id, const std::string& status)
    {
        HttpAnswer answer = api("GET", "campaigns/" + id + "/recipients?status=" + status + "&limit=1000");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        Poco::JSON::Array::Ptr rows =
            Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Array::Ptr>();
        std::set<std::string> addresses;
        for (std::size_t n = 0; n < rows->size(); ++n)
        {
            Poco::JSON::Object::Ptr row = rows->getObject(unsigned(n));
            CPPUNIT_ASSERT_EQUAL(status, row->getValue<std::string>("status"));
            addresses.insert(row->getValue<std::string>("email"));
        }
        return addresses;
    }

    /// The id of the campaign's row of this address (the {row} of the recipient routes).
    static Poco::Int64 rowIdOf(const std::string& id, const std::string& email)
    {
        HttpAnswer answer = api("GET", "campaigns/" + id + "/recipients?limit=1000");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        Poco::JSON::Array::Ptr rows =
            Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t n = 0; n < rows->size(); ++n)
        {
            Poco::JSON::Object::Ptr row = rows->getObject(unsigned(n));
            if (row->getValue<std::string>("email") == email)
                return row->getValue<Poco::Int64>("id");
        }
        CPPUNIT_FAIL("no row of " + email + " in " + answer.body.substr(0, 500));
        return 0;
    }

    static void assertRefused(const HttpAnswer& answer, const std::string& status, const std::string& message)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 409, answer.status);
        CPPUNIT_ASSERT_MESSAGE(answer.contentType,
                               Poco::startsWith(answer.contentType, std::string("application/json")));
        Poco::JSON::Object::Ptr root = objectOf(answer);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, status, root->getValue<std::string>("status"));
        Poco::JSON::Object::Ptr error = root->getObject("error");
        CPPUNIT_ASSERT_MESSAGE(answer.body, !error.isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("bad_state"), error->getValue<std::string>("code"));
        CPPUNIT_ASSERT_EQUAL(std::string("status"), error->getValue<std::string>("field"));
        std::string text = error->getValue<std::string>("message");
        CPPUNIT_ASSERT_MESSAGE(text, text.find(message) == 0);
    }

    std::vector<std::unique_ptr<CountingSmtpServer>> _mailServers;
    std::vector<Poco::Process::PID> _senders;
    std::string _campaign; // the test's campaign, cancelled in tearDown if it is still going
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(SendingTest::suite(), startSite, stopSite); });
} // namespace
