#include "ScratchFolder.h"
#include "SmtpServer.h"
#include "delivery/SmtpTransport.h"
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using DeliveryTests::ScratchFolder;
using DeliveryTests::SmtpServer;
using MassMailing::SmtpSettings;
using MassMailing::SmtpTransport;

// The settings screen's "test the connection" (SmtpTransport::check) against smtp_server.py: it
// says which step failed, in words that hold the server's answer and never the password.
class SmtpCheckTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmtpCheckTest);
    CPPUNIT_TEST(testGoodSettingsPassAndSendNothing);
    CPPUNIT_TEST(testWrongPasswordFailsAtAuthWithoutShowingIt);
    CPPUNIT_TEST(testUnknownHostFailsAtDns);
    CPPUNIT_TEST(testClosedPortFailsAtTcp);
    CPPUNIT_TEST(testSelfSignedCertificateFailsAtTlsWhenVerifying);
    CPPUNIT_TEST(testRefusedSenderFailsAtTheSender);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _folder = std::make_unique<ScratchFolder>();
        _server = std::make_unique<SmtpServer>(_folder->file("server"));
    }

    void tearDown() override
    {
        _server.reset();
        _folder.reset();
    }

    void testGoodSettingsPassAndSendNothing()
    {
        const auto result = SmtpTransport::check(_server->settings(), "news@example.org");
        CPPUNIT_ASSERT_MESSAGE(result.message, result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string(), result.step);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->receivedCount());
    }

    void testWrongPasswordFailsAtAuthWithoutShowingIt()
    {
        SmtpSettings settings = _server->settings();
        settings.password = "Wr0ng-Pa55word";
        const auto result = SmtpTransport::check(settings, "news@example.org");
        CPPUNIT_ASSERT(!result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("auth"), result.step);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find("535") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find("Wr0ng-Pa55word") == std::string::npos);
    }

    void testUnknownHostFailsAtDns()
    {
        SmtpSettings settings = _server->settings();
        settings.host = "no-such-host.invalid";
        const auto result = SmtpTransport::check(settings, "news@example.org");
        CPPUNIT_ASSERT(!result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("dns"), result.step);
    }

    void testClosedPortFailsAtTcp()
    {
        SmtpSettings settings = _server->settings();
        settings.port = SmtpServer::closedPort();
        const auto result = SmtpTransport::check(settings, "news@example.org");
        CPPUNIT_ASSERT(!result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("tcp"), result.step);
    }

    void testSelfSignedCertificateFailsAtTlsWhenVerifying()
    {
        SmtpSettings settings = _server->settings();
        settings.verifyCertificate = true;
        const auto result = SmtpTransport::check(settings, "news@example.org");
        CPPUNIT_ASSERT(!result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("tls"), result.step);
    }

    void testRefusedSenderFailsAtTheSender()
    {
        const auto result = SmtpTransport::check(_server->settings(), "refused@example.org");
        CPPUNIT_ASSERT(!result.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("sender"), result.step);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.message.find("553") != std::string::npos);
    }

private:
    std::unique_ptr<ScratchFolder> _folder;
    std::unique_ptr<SmtpServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpCheckTest);
