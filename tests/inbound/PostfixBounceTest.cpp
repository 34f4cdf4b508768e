// Bounces end to end (R3, A8): crmhost sends a campaign through a real Postfix on loopback
// (tests/support/postfix_loopback.sh), which relays to a server that answers 550 for some
// recipients and 452 for others (tests/support/refusing_smtp.py). Every message goes out with
// its own bounce address on the bounce domain, for which Postfix sends its delivery status
// notifications to the host's SMTP listener; the massmailing module's handler reads them. The
// 550 rows end bounced with the server's text and their addresses are suppressed in the group;
// the next campaign to the same addresses leaves them out with the reason "bounced". Needs
// root and Debian's postfix package.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "Skip.h"
#include "SuiteSetup.h"
#include "TempFolder.h"
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <map>
#include <memory>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Poco::Data::Keywords;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::objectOf;

namespace
{
const std::string HARNESS = std::string(CRMHOST_RESOURCE_DIR) + "/tests/support/postfix_loopback.sh";
const std::string RELAY = std::string(CRMHOST_RESOURCE_DIR) + "/tests/support/refusing_smtp.py";
const std::string BOUNCE_DOMAIN = "bounces.test";
const std::vector<std::string> ADDRESSES{"hard1@example.net", "hard2@example.net", "soft1@example.net",
                                         "fine1@example.net", "fine2@example.net"};

struct Site
{
    std::unique_ptr<CrmHostServer> server;
    std::unique_ptr<CrmHostTests::TempFolder> folder;
    Poco::Process::PID relay = 0;
    std::string group, token;
    std::string skipped; // why the suite cannot run here
};
std::unique_ptr<Site> site;

Poco::UInt16 freePort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

std::string harness(const std::vector<std::string>& args)
{
    Poco::Pipe output, errors;
    std::vector<std::string> all{HARNESS};
    all.insert(all.end(), args.begin(), args.end());
    Poco::ProcessHandle process = Poco::Process::launch("/bin/bash", all, nullptr, &output, &errors);
    Poco::PipeInputStream out(output), err(errors);
    std::string text, problems;
    Poco::StreamCopier::copyToString(out, text);
    Poco::StreamCopier::copyToString(err, problems);
    if (int code = process.wait(); code != 0)
        throw Poco::RuntimeException("postfix_loopback.sh " + args.at(0) + " exited with " +
                                     std::to_string(code) + ":\n" + problems);
    return Poco::trim(text);
}

void startSite()
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::MySQL::Connector::registerConnector();
    site = std::make_unique<Site>();
    if (::geteuid() != 0 || !Poco::File("/usr/sbin/postfix").exists())
    {
        site->skipped = "needs root and Debian's postfix package";
        return;
    }
    site->folder = std::make_unique<CrmHostTests::TempFolder>("postfix-bounces");
    site->server = std::make_unique<CrmHostServer>("crmhost_test_postfix_bounces");
    CrmHostServer& server = *site->server;
    server.runOrFail({"seed-demo", "--people", "100"});
    site->group = server.groupsOf("food").front();
    server.runOrFail({"module", "enable", "massmailing", "--group", site->group});
    site->token = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));

    std::string portFile = site->folder->file("relay.port");
    site->relay =
        Poco::Process::launch("/usr/bin/python3", {RELAY, portFile, site->folder->file("relay.received")})
            .id();
    Poco::Timestamp started;
    while (!Poco::File(portFile).exists())
    {
        if (started.isElapsed(20 * Poco::Timestamp::resolution()))
            throw Poco::TimeoutException("refusing_smtp.py did not listen within 20 s");
        Poco::Thread::sleep(50);
    }
    std::string relayPort;
    Poco::FileInputStream in(portFile);
    Poco::StreamCopier::copyToString(in, relayPort);
    const Poco::UInt16 listener = freePort();
    std::string postfix = harness({"start", site->folder->file("postfix"), Poco::trim(relayPort),
                                   std::to_string(listener), BOUNCE_DOMAIN});

    server.configure("mail.listen.port", std::to_string(listener));
    server.configure("massmailing.transport", "smtp");
    server.configure("massmailing.smtp.host", "127.0.0.1");
    server.configure("massmailing.smtp.port", postfix);
    server.configure("massmailing.smtp.connections", "1");
    server.configure("massmailing.bounce.domain", BOUNCE_DOMAIN);
    server.configure("massmailing.retry.seconds", "1");
    // A DSN whose round fails (SQLite busy with the send) is offered again soon.
    server.configure("mail.inbound.retry_seconds", "1");
    server.start();
}

void stopSite()
{
    if (!site)
        return;
    if (site->folder)
    {
        try
        {
            harness({"stop", site->folder->file("postfix")});
        }
        catch (const Poco::Exception&)
        {
        }
    }
    if (site->relay)
    {
        ::kill(site->relay, SIGKILL);
        ::waitpid(site->relay, nullptr, 0);
    }
    if (site->server)
        site->server->stop();
    site.reset();
}

HttpAnswer api(const std::string& method, const std::string& path, const std::string& body = "")
{
    return CrmHostTests::apiRequest(site->server->port(), method, path, site->token, body);
}

std::string tailOf(const std::string& path, std::size_t size = 4000)
{
    if (!Poco::File(path).exists())
        return "(no " + path + ")";
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text.size() <= size ? text : "..." + text.substr(text.size() - size);
}

std::string logs()
{
    return "maillog:\n" + tailOf(site->folder->file("postfix/maillog")) + "\nserve log:\n" +
           site->server->log();
}

// The rows of a campaign by address: each row's columns, as text.
std::map<std::string, std::map<std::string, std::string>> rowsOf(const std::string& campaign)
{
    const auto& where = site->server->database();
    Poco::Data::Session session(where.connector, where.connect);
    Poco::Data::Statement select(session);
    long id = std::stol(campaign);
    select << "SELECT email, status, reason, bounce, bounce_detail, detail FROM mm_recipients WHERE "
              "campaign_id = ?",
        use(id), now;
    Poco::Data::RecordSet set(select);
    std::map<std::string, std::map<std::string, std::string>> rows;
    for (std::size_t r = 0; r < set.rowCount(); ++r)
        for (std::size_t c = 1; c < set.columnCount(); ++c)
            rows[set.value(0, r).convert<std::string>()][set.columnName(c)] =
                set.value(c, r).isEmpty() ? "" : set.value(c, r).convert<std::string>();
    return rows;
}

std::map<std::string, std::string> suppressions()
{
    const auto& where = site->server->database();
    Poco::Data::Session session(where.connector, where.connect);
    std::vector<std::string> addresses, reasons;
    long group = std::stol(site->group);
    session << "SELECT address, reason FROM mm_group_suppressions WHERE group_id = ? AND lifted_at IS NULL",
        use(group), into(addresses), into(reasons), now;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < addresses.size(); ++i)
        found[addresses[i]] = reasons[i];
    return found;
}

void waitFor(const std::function<bool()>& done, int seconds, const std::string& what)
{
    Poco::Timestamp started;
    while (!done())
    {
        if (started.isElapsed(Poco::Timestamp::TimeDiff(seconds) * Poco::Timestamp::resolution()))
            CPPUNIT_FAIL("waited " + std::to_string(seconds) + " s for " + what + "\n" + logs());
        Poco::Thread::sleep(200);
    }
}

std::string newCampaign(const std::string& name)
{
    std::string body = "{\"group\": " + site->group +
                       ", \"channel\": \"email\", \"recipient_type\": \"members\", \"name\": \"" + name +
                       "\", \"sender_name\": \"AMAP\", \"sender_email\": \"paniers@example.org\", "
                       "\"subject\": \"Les paniers de jeudi\", \"html\": \"<p>Bonjour,</p>\", "
                       "\"text\": \"Bonjour,\", \"dedupe\": \"address\"}";
    HttpAnswer created = api("POST", "campaigns", body);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
    std::string id = std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
    std::string addresses;
    for (const auto& address : ADDRESSES)
        addresses += (addresses.empty() ? "\"" : ", \"") + address + "\"";
    HttpAnswer loaded = api("POST", "campaigns/" + id + "/audience", "{\"addresses\": [" + addresses + "]}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 200, loaded.status);
    return id;
}
} // namespace

class PostfixBounceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PostfixBounceTest);
    CPPUNIT_TEST(testRefusedRecipientsEndBouncedAndTheNextCampaignLeavesThemOut);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        if (!site->skipped.empty())
            CrmHostTests::skip(site->skipped);
    }

    void testRefusedRecipientsEndBouncedAndTheNextCampaignLeavesThemOut()
    {
        std::string first = newCampaign("Premier envoi");
        HttpAnswer scheduled = api("POST", "campaigns/" + first + "/schedule", "{\"at\": null}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scheduled.body, 200, scheduled.status);
        site->server->runOrFail({"task", "run", "massmailing.send", "--until-idle"});
        // Postfix took all five; the relay refused three; the three DSNs come back to the
        // listener, to the bounce address of each row.
        waitFor(
            [&]
            {
                auto rows = rowsOf(first);
                return rows["hard1@example.net"]["status"] == "bounced" &&
                       rows["hard2@example.net"]["status"] == "bounced" &&
                       rows["soft1@example.net"]["bounce"] == "soft";
            },
            120, "the DSNs of campaign " + first);
        auto rows = rowsOf(first);
        for (const char* hard : {"hard1@example.net", "hard2@example.net"})
        {
            CPPUNIT_ASSERT_EQUAL(std::string("hard"), rows[hard]["bounce"]);
            CPPUNIT_ASSERT_MESSAGE(rows[hard]["bounce_detail"],
                                   contains(rows[hard]["bounce_detail"],
                                            "550 5.1.1 <" + std::string(hard) +
                                                ">: Recipient address rejected: no such mailbox here"));
            CPPUNIT_ASSERT(contains(rows[hard]["detail"], "550 5.1.1"));
        }
        // The 452 was given up at once by this Postfix (no queue lifetime): bounced, soft, the
        // server's text kept, the address not suppressed after one.
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), rows["soft1@example.net"]["status"]);
        CPPUNIT_ASSERT(contains(rows["soft1@example.net"]["bounce_detail"], "452 4.2.2"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), rows["fine1@example.net"]["status"]);
        CPPUNIT_ASSERT_EQUAL(std::string(""), rows["fine1@example.net"]["bounce"]);
        HttpAnswer campaign = api("GET", "campaigns/" + first);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3),
                             objectOf(campaign)->getObject("counts")->getValue<Poco::Int64>("bounced"));

        auto suppressed = suppressions();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), suppressed.size());
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), suppressed["hard1@example.net"]);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), suppressed["hard2@example.net"]);

        // The host keeps each DSN as understood by the module's handler.
        {
            const auto& where = site->server->database();
            Poco::Data::Session session(where.connector, where.connect);
            Poco::Int64 understood = 0;
            session << "SELECT COUNT(*) FROM inbound_mail WHERE status = 'understood' AND handler = "
                       "'massmailing.bounces'",
                into(understood), now;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(logs(), Poco::Int64(3), understood);
        }

        // The next campaign to the same five leaves the two hard-bounced addresses out.
        std::string next = newCampaign("Second envoi");
        HttpAnswer summary = api("GET", "campaigns/" + next + "/summary");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 200, summary.status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), objectOf(summary)->getValue<Poco::Int64>("planned"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            summary.body, Poco::Int64(2),
            objectOf(summary)->getObject("left_out")->getValue<Poco::Int64>("bounced"));
        auto nextRows = rowsOf(next);
        CPPUNIT_ASSERT_EQUAL(std::string("left_out"), nextRows["hard1@example.net"]["status"]);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), nextRows["hard1@example.net"]["reason"]);
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), nextRows["hard2@example.net"]["reason"]);
        CPPUNIT_ASSERT_EQUAL(std::string("planned"), nextRows["soft1@example.net"]["status"]);
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]()
                 { return new CrmHostTests::SuiteSetup(PostfixBounceTest::suite(), startSite, stopSite); });
} // namespace
