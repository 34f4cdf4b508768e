// The host's defences against a hostile client (issue 12), against the real crmhost binary
// serving demo data: bodies are capped whatever their framing (finding 9), logins are
// throttled and cost the same known or not (finding 7), sessions, logs, CSRF and Origin
// (finding 11), the security headers of every page (finding 2), and a failing request
// (finding 3). Its own server: the throttle it provokes must not lock other suites out.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberFormatter.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;

namespace
{
struct Demo
{
    std::unique_ptr<CrmHostServer> server;
    std::map<std::string, std::string> passwords; // login -> password
    std::string food;                             // a group where massmailing is enabled
    std::string adminToken;
};
std::unique_ptr<Demo> demo;

void startDemo()
{
    demo = std::make_unique<Demo>();
    demo->server = std::make_unique<CrmHostServer>("crmhost_test_hardening");
    CrmHostServer& server = *demo->server;
    std::string seeded = server.runOrFail({"seed-demo", "--people", "100"});
    demo->passwords["admin"] = match(seeded, "^Administrator: login admin, password (\\S+)$");
    demo->passwords["coordinator"] = match(seeded, "login coordinator, password (\\S+)$");
    demo->passwords["member"] = match(seeded, "login member, password (\\S+)$");
    demo->food = match(server.runOrFail({"group", "list"}), "^(\\d+)\\tfood\\t");
    server.runOrFail({"module", "enable", "massmailing", "--group", demo->food});
    demo->adminToken = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    server.start();
}

void stopDemo()
{
    if (demo && demo->server)
        demo->server->stop();
    demo.reset();
}

Poco::UInt16 port()
{
    return demo->server->port();
}

/// A piece of a body: its text, then `filler` bytes of 'x'.
struct Piece
{
    std::string text;
    std::size_t filler = 0;
};

/// Sends the pieces as a chunked body on a socket of its own, 1 MB at a time, never holding
/// more than one chunk, and reads the answer; a server that stops reading and answers is no
/// error. Returns the answer's status line, headers and body as they came.
std::string sendChunked(const std::string& head, const std::vector<Piece>& pieces)
{
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port()));
    socket.setReceiveTimeout(Poco::Timespan(60, 0));
    auto write = [&socket](const std::string& bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size())
            done += std::size_t(socket.sendBytes(bytes.data() + done, int(bytes.size() - done)));
    };
    auto chunk = [&write](const std::string& bytes)
    {
        if (!bytes.empty())
            write(Poco::NumberFormatter::formatHex(bytes.size()) + "\r\n" + bytes + "\r\n");
    };
    try
    {
        write(head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        const std::string filler(1024 * 1024, 'x');
        for (const auto& piece : pieces)
        {
            chunk(piece.text);
            for (std::size_t sent = 0; sent < piece.filler; sent += filler.size())
                chunk(filler.substr(0, std::min(filler.size(), piece.filler - sent)));
        }
        write("0\r\n\r\n");
    }
    catch (const Poco::Exception&)
    {
        // The server closed its side after answering: its answer is still there to read.
    }
    std::string answer;
    char buffer[65536];
    try
    {
        int got = 0;
        while ((got = socket.receiveBytes(buffer, sizeof buffer)) > 0)
            answer.append(buffer, std::size_t(got));
    }
    catch (const Poco::Exception&)
    {
        if (answer.empty())
            throw;
    }
    return answer;
}

int statusOf(const std::string& answer)
{
    return std::atoi(match(answer, "^HTTP/1\\.1 (\\d+) ").c_str());
}

const std::size_t MB = 1024 * 1024;
} // namespace

class HostHardeningTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HostHardeningTest);
    CPPUNIT_TEST(testChunkedApiBodyLargerThanTheLimitIsRefusedWith413);
    CPPUNIT_TEST(testChunkedMultipartFormLargerThanTheLimitIsRefusedWith413);
    CPPUNIT_TEST(testServerStillAnswersAfterARefusedBody);
    // The throttle's tests come last: they lock this client's address out.
    CPPUNIT_TEST(testUnknownLoginTakesAsLongAsAKnownOne);
    CPPUNIT_TEST(testFiftyWrongPasswordsAreRefusedAfterTheLimitAndThenTheRightOneToo);
    CPPUNIT_TEST(testOneAddressTryingManyLoginsIsRefusedAfterItsLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void testChunkedApiBodyLargerThanTheLimitIsRefusedWith413()
    {
        std::string answer = sendChunked("POST /api/v1/massmailing/campaigns?group=" + demo->food +
                                             " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                             demo->adminToken + "\r\nContent-Type: application/json\r\n",
                                         {{"{\"name\":\"", 100 * MB}, {"\"}"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer, 413, statusOf(answer));
        CPPUNIT_ASSERT_MESSAGE(answer, contains(answer, "\"too_large\""));
        CPPUNIT_ASSERT_MESSAGE(answer, contains(answer, "64 MB"));
    }

    void testChunkedMultipartFormLargerThanTheLimitIsRefusedWith413()
    {
        // Two files of 40 MB: each under the limit, together over it.
        std::string part = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n";
        std::string answer =
            sendChunked("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                        "boundary=BOUNDARY\r\n",
                        {{part, 40 * MB}, {"\r\n" + part, 40 * MB}, {"\r\n--BOUNDARY--\r\n"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.substr(0, 3000), 413, statusOf(answer));
        CPPUNIT_ASSERT_MESSAGE(answer.substr(0, 3000), contains(answer, "64 MB"));
    }

    void testServerStillAnswersAfterARefusedBody()
    {
        CPPUNIT_ASSERT_EQUAL(200, Browser(port()).get("/login").status);
    }

    void testUnknownLoginTakesAsLongAsAKnownOne()
    {
        // Medians of three, taken in turns, so that a busy moment of the machine hits both.
        std::vector<double> known, unknown;
        for (int i = 0; i < 3; ++i)
        {
            known.push_back(secondsToRefuse("member", "wrong-password-" + std::to_string(i)));
            unknown.push_back(secondsToRefuse("nobody-" + std::to_string(i), "wrong-password"));
        }
        std::sort(known.begin(), known.end());
        std::sort(unknown.begin(), unknown.end());
        double ratio = known[1] / unknown[1];
        CPPUNIT_ASSERT_MESSAGE("known " + std::to_string(known[1]) + " s, unknown " +
                                   std::to_string(unknown[1]) + " s",
                               ratio < 2.0 && ratio > 0.5);
    }

    void testFiftyWrongPasswordsAreRefusedAfterTheLimitAndThenTheRightOneToo()
    {
        std::vector<int> statuses;
        for (int i = 0; i < 50; ++i)
            statuses.push_back(Browser(port()).logIn("coordinator", "guess-" + std::to_string(i)).status);
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("attempt " + std::to_string(i + 1), 401, statuses[std::size_t(i)]);
        for (std::size_t i = 5; i < statuses.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("attempt " + std::to_string(i + 1), 429, statuses[i]);

        HttpAnswer right = Browser(port()).logIn("coordinator", demo->passwords["coordinator"]);
        CPPUNIT_ASSERT_EQUAL(429, right.status);
        CPPUNIT_ASSERT_MESSAGE(right.body,
                               contains(right.body, "Too many attempts, try again in 15 minutes."));
        CPPUNIT_ASSERT(right.setCookie("crmhost_session").empty());
    }

    void testOneAddressTryingManyLoginsIsRefusedAfterItsLimit()
    {
        // The earlier tests of the suite already failed from this address: at most 20 more.
        int attempts = 0;
        HttpAnswer answer;
        do
            answer = Browser(port()).logIn("guessed-" + std::to_string(attempts), "wrong-password");
        while (answer.status == 401 && ++attempts <= 20);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 429, answer.status);
        CPPUNIT_ASSERT_MESSAGE(answer.body, contains(answer.body, "Too many attempts"));
        CPPUNIT_ASSERT_EQUAL(429, Browser(port()).logIn("admin", demo->passwords["admin"]).status);
    }

private:
    static double secondsToRefuse(const std::string& login, const std::string& password)
    {
        Browser browser(port());
        std::string csrf = browser.get("/login").csrfToken();
        Poco::Timestamp started;
        HttpAnswer answer =
            browser.post("/login", {{"csrf", csrf}, {"login", login}, {"password", password}});
        double seconds = double(started.elapsed()) / 1e6;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(login, 401, answer.status);
        return seconds;
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]()
                 { return new CrmHostTests::SuiteSetup(HostHardeningTest::suite(), startDemo, stopDemo); });
} // namespace
