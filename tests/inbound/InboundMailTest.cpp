// Receiving mail (issue 13, point 2), against the real crmhost binary with the test module
// inbound_echo (mail for echo+*@*: understood, not understood or failing as the subject says):
// the SMTP listener stores before it answers 250, the handlers' outcome is recorded, what
// nothing understands is kept and listed for the administrator, a failing handler's message
// is offered again, a 30 MB message and garbage are refused without harm, and
// `crmhost mail receive` answers 0 once stored and 75 when the database refuses the write.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SmtpClient.h"
#include "SuiteSetup.h"
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <memory>
#include <random>

using namespace Poco::Data::Keywords;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;

namespace
{
const std::string ADMIN_PASSWORD = "inbound-admin-password";

struct Fixture
{
    std::unique_ptr<CrmHostServer> server;
    Poco::UInt16 smtpPort = 0;
};
std::unique_ptr<Fixture> fixture;

/// A client of the listener under test.
class SmtpClient : public CrmHostTests::SmtpClient
{
public:
    SmtpClient() : CrmHostTests::SmtpClient(fixture->smtpPort) {}
};

Poco::UInt16 freePort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

Poco::Data::Session database()
{
    const auto& where = fixture->server->database();
    return Poco::Data::Session(where.connector, where.connect);
}

struct Row
{
    bool found = false;
    std::string sender, recipients, status, handler, detail, raw;
    int attempts = 0;
    Poco::Int64 size = 0;
};

Row row(long id)
{
    Poco::Data::Session session = database();
    Poco::Int64 key = id;
    std::vector<std::string> sender, recipients, status, handler, detail;
    std::vector<int> attempts;
    std::vector<Poco::Int64> size;
    std::vector<Poco::Data::BLOB> raw;
    session << "SELECT envelope_sender, recipients, status, handler, detail, attempts, size, raw FROM "
               "inbound_mail "
               "WHERE id = ?",
        use(key), into(sender), into(recipients), into(status), into(handler), into(detail), into(attempts),
        into(size), into(raw), now;
    Row r;
    if (sender.empty())
        return r;
    r.found = true;
    r.sender = sender[0];
    r.recipients = recipients[0];
    r.status = status[0];
    r.handler = handler[0];
    r.detail = detail[0];
    r.attempts = attempts[0];
    r.size = size[0];
    r.raw.assign(reinterpret_cast<const char*>(raw[0].rawContent()), raw[0].size());
    return r;
}

Poco::Int64 countMessages()
{
    Poco::Data::Session session = database();
    Poco::Int64 count = 0;
    session << "SELECT COUNT(*) FROM inbound_mail", into(count), now;
    return count;
}

/// The id of "250 2.0.0 Ok: stored as message N"; throws when the reply is not that.
long storedId(const std::string& reply)
{
    Poco::RegularExpression pattern("^250 2\\.0\\.0 Ok: stored as message (\\d+)");
    std::vector<std::string> groups;
    if (pattern.split(reply, groups) < 2)
        throw Poco::DataFormatException("not a 250 for a stored message: " + reply);
    return long(Poco::NumberParser::parse64(groups[1]));
}

/// Waits (at most 40 s: host.inbound runs every 5 s) until the message's row satisfies done.
Row waitFor(long id, const std::function<bool(const Row&)>& done)
{
    Poco::Timestamp started;
    Row r = row(id);
    while (!done(r) && !started.isElapsed(40 * Poco::Timestamp::resolution()))
    {
        Poco::Thread::sleep(200);
        r = row(id);
    }
    return r;
}

std::string message(const std::string& subject, const std::string& body = "Hello.\r\n")
{
    return "From: someone@sender.test\r\nTo: echo+to@bounces.test\r\nSubject: " + subject +
           "\r\nMessage-ID: <" + subject + "@sender.test>\r\n\r\n" + body;
}

bool alive()
{
    try
    {
        SmtpClient client;
        return client.command("NOOP").substr(0, 3) == "250" && client.greeting().substr(0, 3) == "220";
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

void startFixture()
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::MySQL::Connector::registerConnector();
    fixture = std::make_unique<Fixture>();
    fixture->server = std::make_unique<CrmHostServer>("crmhost_test_inbound");
    CrmHostServer& server = *fixture->server;
    fixture->smtpPort = freePort();
    server.configure("modules.dir", CRMHOST_INBOUND_ECHO_DIR);
    server.configure("mail.listen.port", std::to_string(fixture->smtpPort));
    server.configure("mail.inbound.retry_seconds", "1");
    server.configure("mail.inbound.max_attempts", "3");
    server.configure("mail.listen.timeout", "3");
    server.runOrFail(
        {"user", "add", "--login", "admin", "--password", ADMIN_PASSWORD, "--right", "host.admin"});
    server.start();
    Poco::Timestamp started;
    while (!alive())
    {
        if (started.isElapsed(20 * Poco::Timestamp::resolution()))
            throw Poco::TimeoutException("the SMTP listener did not answer:\n" + server.log());
        Poco::Thread::sleep(100);
    }
}

void stopFixture()
{
    if (fixture && fixture->server)
        fixture->server->stop();
    fixture.reset();
}
} // namespace

class InboundMailTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InboundMailTest);
    CPPUNIT_TEST(testAMessageIsStoredBeforeTheListenerAnswers250);
    CPPUNIT_TEST(testAMessageJustUnderTheLimitIsKeptWhole);
    CPPUNIT_TEST(testTheHandlersOutcomeIsRecorded);
    CPPUNIT_TEST(testANotUnderstoodMessageIsKeptAndListedForTheAdministrator);
    CPPUNIT_TEST(testMailForNoHandlerIsKeptWithTheReason);
    CPPUNIT_TEST(testAFailingHandlerLeavesItPendingAndItIsOfferedAgain);
    CPPUNIT_TEST(testAHandlerThatAlwaysFailsEndsNotUnderstoodWithItsError);
    CPPUNIT_TEST(testA30MegabyteMessageIsRefused552AndTheHostGoesOn);
    CPPUNIT_TEST(testGarbageAndTruncatedInputAreAnsweredAndNothingIsStored);
    CPPUNIT_TEST(testASilentClientIsToldAndLetGo);
    CPPUNIT_TEST(testMailReceiveStoresAndHandsOverTheMessage);
    CPPUNIT_TEST(testMailReceiveTakesTheEnvelopeFromTheHeaders);
    CPPUNIT_TEST(testMailReceiveRefusesAMessageOverTheLimit);
    CPPUNIT_TEST(testARefusedWriteIsTempFail75And451);
    CPPUNIT_TEST(testOnlyTheAdministratorSeesTheReceivedMail);
    CPPUNIT_TEST(testTheHostStopsCleanlyWithASessionOpen); // last: it stops the server
    CPPUNIT_TEST_SUITE_END();

public:
    void testAMessageIsStoredBeforeTheListenerAnswers250()
    {
        SmtpClient client;
        CPPUNIT_ASSERT(client.greeting().substr(0, 4) == "220 ");
        std::string ehlo = client.command("EHLO test.client");
        CPPUNIT_ASSERT_MESSAGE(ehlo, contains(ehlo, "250-SIZE 10485760"));
        std::string text = message("stored first", "..a line that began with a dot\r\nbody\r\n");
        long id = storedId(client.send("", {"echo+stored@bounces.test"}, text));
        // The reply has come: the row is there, committed, whatever the handler does later.
        Row r = row(id);
        CPPUNIT_ASSERT(r.found);
        CPPUNIT_ASSERT_EQUAL(text, r.raw);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.sender);
        CPPUNIT_ASSERT_EQUAL(std::string("echo+stored@bounces.test"), r.recipients);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(text.size()), r.size);
        client.command("QUIT");
    }

    void testAMessageJustUnderTheLimitIsKeptWhole()
    {
        std::string body;
        const std::string line = std::string(76, 'q') + "\r\n";
        while (body.size() + line.size() < 10 * 1024 * 1024 - 200)
            body += line;
        std::string text = message("understood large", body);
        long id = storedId(SmtpClient().send("", {"echo+large@bounces.test"}, text));
        Row r = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(text.size(), r.raw.size());
        CPPUNIT_ASSERT(text == r.raw);
    }

    void testTheHandlersOutcomeIsRecorded()
    {
        SmtpClient client;
        long id =
            storedId(client.send("mailer@remote.test", {"Echo+One@Bounces.Test"}, message("understood 1")));
        Row r = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("inbound_echo.echo"), r.handler);
        CPPUNIT_ASSERT_EQUAL("echo of message " + std::to_string(id) + " from <mailer@remote.test>",
                             r.detail);
    }

    void testANotUnderstoodMessageIsKeptAndListedForTheAdministrator()
    {
        SmtpClient client;
        long id =
            storedId(client.send("", {"echo+kept@bounces.test"}, message("nothing to say <b>bold</b>")));
        Row r = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("not_understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("inbound_echo.echo: the subject asks for nothing"), r.detail);
        CPPUNIT_ASSERT(contains(r.raw, "nothing to say"));

        Browser admin(fixture->server->port());
        admin.logIn("admin", ADMIN_PASSWORD);
        CrmHostTests::HttpAnswer home = admin.get("/");
        CPPUNIT_ASSERT(contains(home.body, "href=\"/admin/inbound\""));
        CrmHostTests::HttpAnswer list = admin.get("/admin/inbound");
        CPPUNIT_ASSERT_EQUAL(200, list.status);
        std::string marker = "data-message=\"" + std::to_string(id) + "\" data-status=\"not_understood\"";
        CPPUNIT_ASSERT_MESSAGE(list.body, contains(list.body, marker));
        CPPUNIT_ASSERT(contains(list.body, "the subject asks for nothing"));
        CPPUNIT_ASSERT(contains(list.body, "echo+kept@bounces.test"));
        // Newest first: a later message comes before this one.
        long later = storedId(SmtpClient().send("", {"nobody@elsewhere.test"}, message("later")));
        waitFor(later, [](const Row& r) { return r.status != "pending"; });
        list = admin.get("/admin/inbound");
        CPPUNIT_ASSERT(list.body.find("data-message=\"" + std::to_string(later) + "\"") <
                       list.body.find(marker));

        CrmHostTests::HttpAnswer view = admin.get("/admin/inbound/message?id=" + std::to_string(id));
        CPPUNIT_ASSERT_EQUAL(200, view.status);
        CPPUNIT_ASSERT(contains(view.body, "nothing to say &lt;b&gt;bold&lt;&#x2F;b&gt;") ||
                       contains(view.body, "nothing to say &lt;b&gt;bold&lt;/b&gt;"));
        CPPUNIT_ASSERT(!contains(view.body, "<b>bold</b>"));
        CrmHostTests::HttpAnswer raw = admin.get("/admin/inbound/raw?id=" + std::to_string(id));
        CPPUNIT_ASSERT_EQUAL(200, raw.status);
        CPPUNIT_ASSERT(contains(raw.contentType, "text/plain"));
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), raw.header("X-Content-Type-Options"));
        CPPUNIT_ASSERT_EQUAL(r.raw, raw.body);
        CPPUNIT_ASSERT_EQUAL(404, admin.get("/admin/inbound/message?id=999999").status);
    }

    void testMailForNoHandlerIsKeptWithTheReason()
    {
        long id = storedId(SmtpClient().send("a@remote.test", {"someone@else.test"}, message("no handler")));
        Row r = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("not_understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("no inbound mail handler takes mail for someone@else.test"),
                             r.detail);
        CPPUNIT_ASSERT(contains(r.raw, "Subject: no handler"));
    }

    void testAFailingHandlerLeavesItPendingAndItIsOfferedAgain()
    {
        long id = storedId(SmtpClient().send("", {"echo+retry@bounces.test"}, message("fail once")));
        Row first = waitFor(id, [](const Row& r) { return r.attempts > 0 || r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(1, first.attempts);
        Row done = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("understood"), done.status);
        CPPUNIT_ASSERT_EQUAL(std::string("understood on a second try"), done.detail);
        CPPUNIT_ASSERT_EQUAL(1, done.attempts);
    }

    void testAHandlerThatAlwaysFailsEndsNotUnderstoodWithItsError()
    {
        long id = storedId(SmtpClient().send("", {"echo+down@bounces.test"}, message("fail always")));
        Row pending = waitFor(id, [](const Row& r) { return !r.detail.empty(); }); // a round failed
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), pending.status);
        CPPUNIT_ASSERT_MESSAGE(pending.detail, contains(pending.detail, "inbound_echo fails, as asked"));
        Row r = waitFor(id, [](const Row& r) { return r.status != "pending"; });
        CPPUNIT_ASSERT_EQUAL(std::string("not_understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(3, r.attempts);
        CPPUNIT_ASSERT_MESSAGE(r.detail, contains(r.detail, "handler inbound_echo.echo failed 3 times"));
        CPPUNIT_ASSERT(!r.raw.empty());
    }

    void testA30MegabyteMessageIsRefused552AndTheHostGoesOn()
    {
        Poco::Int64 before = countMessages();
        SmtpClient client;
        client.command("EHLO test.client");
        std::string refused = client.command("MAIL FROM:<big@remote.test> SIZE=31457280");
        CPPUNIT_ASSERT_MESSAGE(refused, refused.substr(0, 9) == "552 5.3.4");
        // A client that does not say the size: the data is read to its end, then refused.
        CPPUNIT_ASSERT_EQUAL(std::string("250"), client.command("MAIL FROM:<big@remote.test>").substr(0, 3));
        client.command("RCPT TO:<echo+big@bounces.test>");
        CPPUNIT_ASSERT_EQUAL(std::string("354"), client.command("DATA").substr(0, 3));
        client.write("Subject: understood big\r\n\r\n");
        const std::string line = std::string(998, 'x') + "\r\n";
        std::string block;
        for (int i = 0; i < 1000; ++i)
            block += line;
        for (int i = 0; i < 30; ++i)
            client.write(block); // 30 MB
        client.write(".\r\n");
        std::string answer = client.reply();
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 9) == "552 5.3.4");
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.0.0 Ok\r\n"), client.command("NOOP"));
        CPPUNIT_ASSERT_EQUAL(before, countMessages());
        CPPUNIT_ASSERT(alive());
        CPPUNIT_ASSERT_EQUAL(200, Browser(fixture->server->port()).get("/login").status);
    }

    void testGarbageAndTruncatedInputAreAnsweredAndNothingIsStored()
    {
        Poco::Int64 before = countMessages();
        {
            // Random bytes: every line is refused, and after too many the server closes.
            SmtpClient client;
            std::mt19937 random(13);
            std::string garbage;
            for (int i = 0; i < 200000; ++i)
                garbage += char(random() % 256);
            try
            {
                client.write(garbage + "\r\n");
            }
            catch (const Poco::Exception&)
            {
                // closed by the server after too many errors
            }
            std::string answer = client.reply();
            CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 1) == "5" || answer.substr(0, 3) == "421");
        }
        {
            // One line of a megabyte without an end: refused once the end comes.
            SmtpClient client;
            client.write("EHLO " + std::string(1024 * 1024, 'a'));
            client.write("\r\n");
            std::string answer = client.reply();
            CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 9) == "500 5.5.2");
            CPPUNIT_ASSERT_EQUAL(std::string("250"), client.command("HELO ok").substr(0, 3));
        }
        {
            // The connection ends in the middle of a message: nothing is stored.
            SmtpClient client;
            client.command("EHLO test.client");
            client.command("MAIL FROM:<>");
            client.command("RCPT TO:<echo+cut@bounces.test>");
            client.command("DATA");
            client.write("Subject: understood cut\r\n\r\nhalf a mess");
            client.close();
        }
        {
            // Commands out of order, NUL bytes, a bare LF.
            SmtpClient client;
            CPPUNIT_ASSERT_EQUAL(std::string("503"), client.command("DATA").substr(0, 3));
            CPPUNIT_ASSERT_EQUAL(std::string("500"), client.command(std::string("\0\0\0", 3)).substr(0, 3));
            client.write("NOOP\n");
            CPPUNIT_ASSERT_EQUAL(std::string("250"), client.reply().substr(0, 3));
            CPPUNIT_ASSERT_EQUAL(std::string("221"), client.command("QUIT").substr(0, 3));
        }
        Poco::Thread::sleep(500);
        CPPUNIT_ASSERT_EQUAL(before, countMessages());
        CPPUNIT_ASSERT(alive());
        long id =
            storedId(SmtpClient().send("", {"echo+after@bounces.test"}, message("understood after garbage")));
        CPPUNIT_ASSERT(row(id).found);
    }

    void testASilentClientIsToldAndLetGo()
    {
        SmtpClient client;
        client.command("EHLO test.client");
        client.command("MAIL FROM:<>");
        Poco::Timestamp started;
        std::string answer = client.reply(); // mail.listen.timeout = 3 s of silence
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 9) == "421 4.4.2");
        CPPUNIT_ASSERT(started.elapsed() >= 2 * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT_EQUAL(std::string(""), client.reply()); // closed
        CPPUNIT_ASSERT(alive());
    }

    void testMailReceiveStoresAndHandsOverTheMessage()
    {
        std::string text = message("understood by pipe");
        auto out = fixture->server->run(
            {"mail", "receive", "--sender", "mailer@remote.test", "--recipient", "echo+pipe@bounces.test"},
            text);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.text + out.errors, 0, out.exitCode);
        long id =
            long(Poco::NumberParser::parse64(CrmHostTests::match(out.text, "^Stored message (\\d+)\\.$")));
        CPPUNIT_ASSERT_MESSAGE(out.text,
                               contains(out.text, "Understood by inbound_echo.echo: echo of message"));
        Row r = row(id);
        CPPUNIT_ASSERT_EQUAL(std::string("understood"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("mailer@remote.test"), r.sender);
        CPPUNIT_ASSERT_EQUAL(std::string("echo+pipe@bounces.test"), r.recipients);
        CPPUNIT_ASSERT_EQUAL(text, r.raw);

        // Not understood: still exit 0, the message is kept.
        out =
            fixture->server->run({"mail", "receive", "--sender", "", "--recipient", "echo+pipe@bounces.test"},
                                 message("just words"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.text + out.errors, 0, out.exitCode);
        CPPUNIT_ASSERT_MESSAGE(out.text, contains(out.text, "Not understood (kept for the administrator)"));
        id = long(Poco::NumberParser::parse64(CrmHostTests::match(out.text, "^Stored message (\\d+)\\.$")));
        CPPUNIT_ASSERT_EQUAL(std::string("not_understood"), row(id).status);
    }

    void testMailReceiveTakesTheEnvelopeFromTheHeaders()
    {
        std::string text = "Return-Path: <owner@remote.test>\r\nDelivered-To: echo+hdr@bounces.test\r\n" +
                           message("understood from headers");
        auto out = fixture->server->run({"mail", "receive"}, text);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.text + out.errors, 0, out.exitCode);
        long id =
            long(Poco::NumberParser::parse64(CrmHostTests::match(out.text, "^Stored message (\\d+)\\.$")));
        Row r = row(id);
        CPPUNIT_ASSERT_EQUAL(std::string("owner@remote.test"), r.sender);
        CPPUNIT_ASSERT_EQUAL(std::string("echo+hdr@bounces.test"), r.recipients);
        CPPUNIT_ASSERT_EQUAL(std::string("understood"), r.status);
    }

    void testMailReceiveRefusesAMessageOverTheLimit()
    {
        Poco::Int64 before = countMessages();
        auto out = fixture->server->run({"mail", "receive", "--recipient", "echo+big@bounces.test"},
                                        message("understood big", std::string(11 * 1024 * 1024, 'x')));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.text + out.errors, 65, out.exitCode);
        CPPUNIT_ASSERT_MESSAGE(out.errors,
                               contains(out.errors, "larger than mail.listen.max_size (10485760 bytes)"));
        CPPUNIT_ASSERT_EQUAL(before, countMessages());
    }

    void testARefusedWriteIsTempFail75And451()
    {
        Poco::Int64 before = countMessages();
        {
            Poco::Data::Session session = database();
            if (fixture->server->database().connector == "SQLite")
                session << "CREATE TRIGGER inbound_refused BEFORE INSERT ON inbound_mail "
                           "BEGIN SELECT RAISE(ABORT, 'this database refuses writes'); END",
                    now;
            else
                session << "CREATE TRIGGER inbound_refused BEFORE INSERT ON inbound_mail FOR EACH ROW "
                           "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'this database refuses writes'",
                    now;
        }
        auto out = fixture->server->run({"mail", "receive", "--recipient", "echo+refused@bounces.test"},
                                        message("understood refused"));
        std::string answer =
            SmtpClient().send("", {"echo+refused@bounces.test"}, message("understood refused"));
        {
            Poco::Data::Session session = database();
            session << "DROP TRIGGER inbound_refused", now;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.text + out.errors, 75, out.exitCode);
        CPPUNIT_ASSERT_MESSAGE(out.errors, contains(out.errors, "the message could not be stored"));
        CPPUNIT_ASSERT_MESSAGE(answer, answer.substr(0, 9) == "451 4.3.0");
        CPPUNIT_ASSERT_EQUAL(before, countMessages());
        // Writable again: the next message is taken.
        CPPUNIT_ASSERT(
            row(storedId(SmtpClient().send("", {"echo+again@bounces.test"}, message("again")))).found);
    }

    void testTheHostStopsCleanlyWithASessionOpen()
    {
        SmtpClient client;
        client.command("EHLO test.client");
        client.command("MAIL FROM:<>");
        Poco::Timestamp asked;
        fixture->server->stop();
        CPPUNIT_ASSERT(!asked.isElapsed(8 * Poco::Timestamp::resolution())); // not killed after 10 s
        std::string answer = client.reply();
        CPPUNIT_ASSERT_MESSAGE(answer, answer.empty() || answer.substr(0, 9) == "421 4.3.2");
        std::string log = fixture->server->log();
        CPPUNIT_ASSERT_MESSAGE(log, contains(log, "Stopped module inbound_echo"));
    }

    void testOnlyTheAdministratorSeesTheReceivedMail()
    {
        fixture->server->runOrFail({"user", "add", "--login", "plain", "--password", "plain-password"});
        Browser plain(fixture->server->port());
        plain.logIn("plain", "plain-password");
        CPPUNIT_ASSERT(!contains(plain.get("/").body, "/admin/inbound"));
        CPPUNIT_ASSERT_EQUAL(403, plain.get("/admin/inbound").status);
        CPPUNIT_ASSERT_EQUAL(403, plain.get("/admin/inbound/raw?id=1").status);
        CPPUNIT_ASSERT_EQUAL(303, Browser(fixture->server->port()).get("/admin/inbound").status);
    }
};

static CrmHostTests::SuiteRegistration registration(
    [] { return new CrmHostTests::SuiteSetup(InboundMailTest::suite(), startFixture, stopFixture); });
