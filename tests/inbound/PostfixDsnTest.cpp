// Real delivery status notifications: a private Postfix on loopback
// (tests/support/postfix_loopback.sh) relays to a server that refuses some recipients
// (tests/support/refusing_smtp.py: 550 for hard*, 452 for soft*), and sends its DSNs for the
// bounce domain to the host's SMTP listener, where they are stored and offered to the handlers
// (the test module inbound_echo takes echo+*@*). Needs root and Debian's postfix package.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "PostfixLoopback.h"
#include "Skip.h"
#include "SmtpClient.h"
#include "SuiteSetup.h"
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;

namespace
{
const std::string BOUNCE_DOMAIN = "bounces.test";

struct Loopback
{
    Poco::UInt16 listenerPort = 0;
    std::unique_ptr<CrmHostServer> server;
    std::unique_ptr<CrmHostTests::RefusingRelay> relay;
    std::unique_ptr<CrmHostTests::PostfixLoopback> postfix;
    std::string skipped; // why the suite cannot run here
};
std::unique_ptr<Loopback> loopback;

Poco::UInt16 freePort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

void startLoopback()
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::MySQL::Connector::registerConnector();
    loopback = std::make_unique<Loopback>();
    loopback->skipped = CrmHostTests::PostfixLoopback::unavailable();
    if (!loopback->skipped.empty())
        return;
    loopback->server = std::make_unique<CrmHostServer>("crmhost_test_postfix_dsn");
    CrmHostServer& server = *loopback->server;
    Poco::UInt16 listenerPort = loopback->listenerPort = freePort();
    server.configure("modules.dir", CRMHOST_INBOUND_ECHO_DIR);
    server.configure("mail.listen.port", std::to_string(listenerPort));
    server.start();
    loopback->relay = std::make_unique<CrmHostTests::RefusingRelay>();
    loopback->postfix =
        std::make_unique<CrmHostTests::PostfixLoopback>(loopback->relay->port(), listenerPort, BOUNCE_DOMAIN);
}

void stopLoopback()
{
    if (!loopback)
        return;
    loopback->postfix.reset();
    loopback->relay.reset();
    if (loopback->server)
        loopback->server->stop();
    loopback.reset();
}

Poco::UInt16 listenerPort()
{
    return loopback->listenerPort;
}

std::string maillog()
{
    return loopback->postfix->maillog();
}

struct Stored
{
    std::string sender, status, raw;
};

/// The messages the host stored for that recipient, waiting (at most 30 s) for at least one.
std::vector<Stored> storedFor(const std::string& recipient, const std::string& mustContain)
{
    const auto& where = loopback->server->database();
    Poco::Timestamp started;
    while (true)
    {
        Poco::Data::Session session(where.connector, where.connect);
        std::vector<std::string> senders, statuses;
        std::vector<Poco::Data::BLOB> raws;
        std::string to = recipient;
        session << "SELECT envelope_sender, status, raw FROM inbound_mail WHERE recipients = ? ORDER BY id",
            use(to), into(senders), into(statuses), into(raws), now;
        std::vector<Stored> found;
        for (std::size_t i = 0; i < senders.size(); ++i)
        {
            std::string raw(reinterpret_cast<const char*>(raws[i].rawContent()), raws[i].size());
            if (contains(raw, mustContain))
                found.push_back({senders[i], statuses[i], raw});
        }
        if (!found.empty() || started.isElapsed(30 * Poco::Timestamp::resolution()))
            return found;
        Poco::Thread::sleep(200);
    }
}

std::string campaignMessage(const std::string& to, const std::string& id)
{
    return "From: news@example.org\r\nTo: " + to + "\r\nSubject: Our news\r\nMessage-ID: <" + id +
           "@example.org>\r\n\r\nHello.\r\n";
}
} // namespace

class PostfixDsnTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PostfixDsnTest);
    CPPUNIT_TEST(testA550FromTheRelayComesBackAsADsnThatIsStored);
    CPPUNIT_TEST(testA452FromTheRelayComesBackAsATemporaryFailure);
    CPPUNIT_TEST(testWithADelayWarningA452ComesBackAsADelayedDsn);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        if (!loopback->skipped.empty())
            CrmHostTests::skip(loopback->skipped);
    }

    void testA550FromTheRelayComesBackAsADsnThatIsStored()
    {
        CrmHostTests::SmtpClient postfix(loopback->postfix->port());
        std::string answer =
            postfix.send("echo+hard@" + BOUNCE_DOMAIN, {"hard1@example.net", "fine@example.net"},
                         campaignMessage("hard1@example.net", "hard"));
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 3) == "250");
        postfix.command("QUIT");
        auto dsns = storedFor("echo+hard@" + BOUNCE_DOMAIN, "Final-Recipient: rfc822; hard1@example.net");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(maillog(), std::size_t(1), dsns.size());
        const Stored& dsn = dsns[0];
        CPPUNIT_ASSERT_EQUAL(std::string(""), dsn.sender); // a DSN comes from the null sender
        CPPUNIT_ASSERT(contains(dsn.raw, "multipart/report"));
        CPPUNIT_ASSERT(contains(dsn.raw, "report-type=delivery-status"));
        CPPUNIT_ASSERT(contains(dsn.raw, "Action: failed"));
        CPPUNIT_ASSERT(contains(dsn.raw, "Status: 5.1.1"));
        CPPUNIT_ASSERT(contains(dsn.raw, "Diagnostic-Code: smtp; 550 5.1.1 <hard1@example.net>:"));
        CPPUNIT_ASSERT(contains(dsn.raw, "Message-ID: <hard@example.org>")); // the returned headers
        CPPUNIT_ASSERT(!contains(dsn.raw, "fine@example.net>: Recipient"));
        auto received = loopback->relay->received();
        CPPUNIT_ASSERT(std::find(received.begin(), received.end(), "fine@example.net") != received.end());
        // Handled: the DSN is no "understood" for inbound_echo, and is kept for the administrator.
        Poco::Timestamp started;
        std::vector<Stored> now;
        do
        {
            Poco::Thread::sleep(200);
            now = storedFor("echo+hard@" + BOUNCE_DOMAIN, "Final-Recipient: rfc822; hard1@example.net");
        } while (now[0].status == "pending" && !started.isElapsed(30 * Poco::Timestamp::resolution()));
        CPPUNIT_ASSERT_EQUAL(std::string("not_understood"), now[0].status);
    }

    void testA452FromTheRelayComesBackAsATemporaryFailure()
    {
        CrmHostTests::SmtpClient postfix(loopback->postfix->port());
        std::string answer = postfix.send("echo+soft@" + BOUNCE_DOMAIN, {"soft1@example.net"},
                                          campaignMessage("soft1@example.net", "soft"));
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 3) == "250");
        postfix.command("QUIT");
        auto dsns = storedFor("echo+soft@" + BOUNCE_DOMAIN, "Final-Recipient: rfc822; soft1@example.net");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(maillog(), std::size_t(1), dsns.size());
        CPPUNIT_ASSERT(contains(dsns[0].raw, "Status: 4.2.2"));
        CPPUNIT_ASSERT(contains(dsns[0].raw, "Diagnostic-Code: smtp; 452 4.2.2 <soft1@example.net>:"));
    }

    void testWithADelayWarningA452ComesBackAsADelayedDsn()
    {
        // A second instance, whose 4xx are retried and announced as delayed after 2 s.
        CrmHostTests::PostfixLoopback delaying(loopback->relay->port(), listenerPort(), BOUNCE_DOMAIN, "2s");
        CrmHostTests::SmtpClient postfix(delaying.port());
        std::string answer = postfix.send("echo+delayed@" + BOUNCE_DOMAIN, {"soft2@example.net"},
                                          campaignMessage("soft2@example.net", "delayed"));
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 3) == "250");
        postfix.command("QUIT");
        auto dsns = storedFor("echo+delayed@" + BOUNCE_DOMAIN, "Action: delayed");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(delaying.maillog(), std::size_t(1), dsns.size());
        CPPUNIT_ASSERT(contains(dsns[0].raw, "Final-Recipient: rfc822; soft2@example.net"));
        CPPUNIT_ASSERT(contains(dsns[0].raw, "Status: 4.2.2"));
    }
};

namespace
{
CrmHostTests::SuiteRegistration registration(
    []() { return new CrmHostTests::SuiteSetup(PostfixDsnTest::suite(), startLoopback, stopLoopback); });
} // namespace
