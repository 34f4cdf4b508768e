#include "delivery/SmtpTransport.h"
#include "ScratchFolder.h"
#include "SmtpServer.h"
#include "content/MimeWriter.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using DeliveryTests::ScratchFolder;
using DeliveryTests::SmtpServer;
using MassMailing::Envelope;
using MassMailing::SmtpSettings;
using MassMailing::SmtpTransport;
using MassMailing::TransportException;

namespace
{
const std::string RETURN_PATH = "bounces@amap.example";

std::string writeMessage(const std::string& to, const std::string& subject, const std::string& text)
{
    MassMailing::MailMessage message;
    message.from = MassMailing::MailAddress("AMAP des Capucins", "news@amap.example");
    message.to = {MassMailing::MailAddress(to)};
    message.subject = subject;
    message.text = text;
    return MassMailing::MimeWriter().write(message);
}

Envelope envelopeTo(const std::string& recipient)
{
    return Envelope{RETURN_PATH, {recipient}};
}

// What the server reads: the message, ended by a line break when it has none.
std::string asReceived(const std::string& message)
{
    return message.size() >= 2 && message.compare(message.size() - 2, 2, "\r\n") == 0 ? message
                                                                                      : message + "\r\n";
}

std::string unixLines(std::string text)
{
    Poco::replaceInPlace(text, std::string("\r\n"), std::string("\n"));
    return text;
}
} // namespace

class SmtpTransportTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmtpTransportTest);
    CPPUNIT_TEST(testThreeMessagesOverStartTlsAndAuthReuseOneConnectionAndAllArrive);
    CPPUNIT_TEST(testReceivedMessageParsesWithItsAccentedSubject);
    CPPUNIT_TEST(testLinesStartingWithADotArriveIntact);
    CPPUNIT_TEST(testMessageLargerThanOneBlockArrivesByteForByte);
    CPPUNIT_TEST(testBareLineFeedsArriveAsCrLf);
    CPPUNIT_TEST(testRefusedRecipientRaisesPermanentFailureWithTheServersText);
    CPPUNIT_TEST(testConnectionServesTheNextMessageAfterARefusal);
    CPPUNIT_TEST(testGreylistedRecipientRaisesTemporaryFailure);
    CPPUNIT_TEST(testOneRefusedRecipientOfTwoDoesNotStopTheMessage);
    CPPUNIT_TEST(testAllRecipientsRefusedListsEachAndIsTemporaryIfOneIs);
    CPPUNIT_TEST(testServerThatIsDownRaisesTemporaryFailure);
    CPPUNIT_TEST(testLostAnswerAfterTheMessageIsInDoubt);
    CPPUNIT_TEST(testConnectionClosedByTheServerIsReopenedTransparently);
    CPPUNIT_TEST(testMaxMessagesPerConnectionOpensANewConnection);
    CPPUNIT_TEST(testImplicitTlsDelivers);
    CPPUNIT_TEST(testAuthLoginIsUsedWhenPlainIsNotOffered);
    CPPUNIT_TEST(testWrongPasswordRaisesPermanentAuthenticationFailure);
    CPPUNIT_TEST(testSelfSignedCertificateIsRefusedWhenVerifying);
    CPPUNIT_TEST(testEnvelopeWithLineBreakIsRefusedBeforeConnecting);
    CPPUNIT_TEST(testPipeliningServerGivesTheSameResults);
    CPPUNIT_TEST(testPreparedMessagesArriveOnceAndAbandonedOnesNever);
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

    void testThreeMessagesOverStartTlsAndAuthReuseOneConnectionAndAllArrive()
    {
        SmtpTransport transport(_server->settings());
        for (int i = 1; i <= 3; ++i)
            transport.send(envelopeTo("member" + std::to_string(i) + "@example.org"),
                           writeMessage("member@example.org", "Paniers " + std::to_string(i), "Bonjour"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(1, _server->connections());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.connectionCount());
        for (int i = 1; i <= 3; ++i)
        {
            const Poco::JSON::Object::Ptr info = _server->receivedInfo(i);
            CPPUNIT_ASSERT(info->getValue<bool>("tls"));
            CPPUNIT_ASSERT_EQUAL(std::string("mailer"), info->getValue<std::string>("login"));
            CPPUNIT_ASSERT_EQUAL(RETURN_PATH, info->getValue<std::string>("mail_from"));
            CPPUNIT_ASSERT_EQUAL("member" + std::to_string(i) + "@example.org",
                                 info->getArray("rcpt_tos")->getElement<std::string>(0));
        }
    }

    void testReceivedMessageParsesWithItsAccentedSubject()
    {
        SmtpTransport transport(_server->settings());
        const std::string text =
            "Les paniers de l'été sont prêts.\n. Une ligne qui commence par un point\nFin";
        const std::string message =
            writeMessage("helene@example.org", "Récolte de l'été : paniers à retirer", text);
        transport.send(envelopeTo("helene@example.org"), message);
        CPPUNIT_ASSERT_EQUAL(asReceived(message), _server->received(1));
        const Poco::JSON::Object::Ptr info = _server->receivedInfo(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), info->getArray("defects")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Récolte de l'été : paniers à retirer"),
                             info->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("AMAP des Capucins <news@amap.example>"),
                             info->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(text + "\n", unixLines(info->getValue<std::string>("text")));
    }

    void testLinesStartingWithADotArriveIntact()
    {
        SmtpTransport transport(_server->settings());
        const std::string head = "From: news@amap.example\r\nTo: a@example.org\r\nSubject: Dots\r\n"
                                 "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
        const std::string body = ".\r\n..\r\n.leading dot\r\n...three\r\nmiddle . dot\r\n\r\n.\r\n"
                                 "last line without line break";
        transport.send(envelopeTo("a@example.org"), head + body);
        CPPUNIT_ASSERT_EQUAL(head + body + "\r\n", _server->received(1));
        CPPUNIT_ASSERT_EQUAL(unixLines(body) + "\n",
                             unixLines(_server->receivedInfo(1)->getValue<std::string>("text")));
    }

    void testMessageLargerThanOneBlockArrivesByteForByte()
    {
        std::string message = "From: news@amap.example\r\nTo: a@example.org\r\nSubject: Big\r\n\r\n";
        // Lines of varying length, many starting with a dot, so that dots fall on block edges.
        for (int i = 0; message.size() < 700000; ++i)
            message += (i % 3 == 0 ? "." : "") + std::string(static_cast<std::size_t>(i % 97), 'x') + "\r\n";
        SmtpTransport transport(_server->settings());
        transport.send(envelopeTo("a@example.org"), message);
        transport.send(envelopeTo("b@example.org"), message);
        CPPUNIT_ASSERT(message == _server->received(1));
        CPPUNIT_ASSERT(message == _server->received(2));
    }

    void testBareLineFeedsArriveAsCrLf()
    {
        SmtpTransport transport(_server->settings());
        transport.send(envelopeTo("a@example.org"), "Subject: LF\n\nline\n.dot\n\nend\n");
        CPPUNIT_ASSERT_EQUAL(std::string("Subject: LF\r\n\r\nline\r\n.dot\r\n\r\nend\r\n"),
                             _server->received(1));
    }

    void testRefusedRecipientRaisesPermanentFailureWithTheServersText()
    {
        SmtpTransport transport(_server->settings());
        try
        {
            transport.send(envelopeTo("reject.me@example.org"),
                           writeMessage("reject.me@example.org", "x", "y"));
            CPPUNIT_FAIL("a refused recipient must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.permanent());
            CPPUNIT_ASSERT_EQUAL(550, failure.replyCode());
            CPPUNIT_ASSERT_EQUAL(std::string("5.1.1 <reject.me@example.org>: mailbox unavailable"),
                                 failure.serverText());
            CPPUNIT_ASSERT(failure.stage() == TransportException::Stage::Recipients);
            CPPUNIT_ASSERT(!failure.inDoubt());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), failure.rejections().size());
            CPPUNIT_ASSERT_EQUAL(std::string("reject.me@example.org"), failure.rejections()[0].recipient);
            CPPUNIT_ASSERT_MESSAGE(failure.displayText(),
                                   failure.displayText().find("mailbox unavailable") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->receivedCount());
    }

    void testConnectionServesTheNextMessageAfterARefusal()
    {
        SmtpTransport transport(_server->settings());
        CPPUNIT_ASSERT_THROW(
            transport.send(envelopeTo("reject@example.org"), writeMessage("r@example.org", "x", "y")),
            TransportException);
        CPPUNIT_ASSERT_THROW(
            transport.send(envelopeTo("later@example.org"), writeMessage("l@example.org", "x", "y")),
            TransportException);
        transport.send(envelopeTo("ok@example.org"), writeMessage("ok@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(1, _server->connections());
    }

    void testGreylistedRecipientRaisesTemporaryFailure()
    {
        SmtpTransport transport(_server->settings());
        try
        {
            transport.send(envelopeTo("later@example.org"), writeMessage("later@example.org", "x", "y"));
            CPPUNIT_FAIL("a greylisted recipient must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.temporary());
            CPPUNIT_ASSERT_EQUAL(451, failure.replyCode());
            CPPUNIT_ASSERT_EQUAL(std::string("4.7.1 <later@example.org>: greylisted, try again later"),
                                 failure.serverText());
        }
    }

    void testOneRefusedRecipientOfTwoDoesNotStopTheMessage()
    {
        SmtpTransport transport(_server->settings());
        transport.send(Envelope{RETURN_PATH, {"reject@example.org", "ok@example.org"}},
                       writeMessage("ok@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(std::string("ok@example.org"),
                             _server->receivedInfo(1)->getArray("rcpt_tos")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.lastRejections().size());
        CPPUNIT_ASSERT_EQUAL(550, transport.lastRejections()[0].replyCode);
    }

    void testAllRecipientsRefusedListsEachAndIsTemporaryIfOneIs()
    {
        SmtpTransport transport(_server->settings());
        try
        {
            transport.send(Envelope{RETURN_PATH, {"reject@example.org", "later@example.org"}},
                           writeMessage("x@example.org", "x", "y"));
            CPPUNIT_FAIL("refused recipients must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.temporary());
            CPPUNIT_ASSERT_EQUAL(451, failure.replyCode());
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), failure.rejections().size());
            CPPUNIT_ASSERT_EQUAL(550, failure.rejections()[0].replyCode);
            CPPUNIT_ASSERT_EQUAL(451, failure.rejections()[1].replyCode);
        }
    }

    void testServerThatIsDownRaisesTemporaryFailure()
    {
        SmtpSettings settings = _server->settings();
        settings.port = SmtpServer::closedPort();
        SmtpTransport transport(settings);
        try
        {
            transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
            CPPUNIT_FAIL("a server that is down must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.temporary());
            CPPUNIT_ASSERT_EQUAL(0, failure.replyCode());
            CPPUNIT_ASSERT(failure.stage() == TransportException::Stage::Connect);
            CPPUNIT_ASSERT(!failure.inDoubt());
        }
        CPPUNIT_ASSERT(!transport.connected());
    }

    void testLostAnswerAfterTheMessageIsInDoubt()
    {
        SmtpTransport transport(_server->settings());
        try
        {
            transport.send(envelopeTo("vanish@example.org"), writeMessage("vanish@example.org", "x", "y"));
            CPPUNIT_FAIL("a connection lost before the verdict must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.inDoubt());
            CPPUNIT_ASSERT(failure.stage() == TransportException::Stage::Data);
            CPPUNIT_ASSERT_EQUAL(0, failure.replyCode());
        }
        transport.send(envelopeTo("ok@example.org"), writeMessage("ok@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(2, _server->connections());
    }

    void testConnectionClosedByTheServerIsReopenedTransparently()
    {
        _server.reset();
        _server = std::make_unique<SmtpServer>(_folder->file("idle"),
                                               std::vector<std::string>{"--idle-timeout", "1"});
        SmtpTransport transport(_server->settings());
        transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "first", "y"));
        Poco::Thread::sleep(1600);
        transport.send(envelopeTo("b@example.org"), writeMessage("b@example.org", "second", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(2, _server->connections());
    }

    void testMaxMessagesPerConnectionOpensANewConnection()
    {
        SmtpSettings settings = _server->settings();
        settings.maxMessagesPerConnection = 2;
        SmtpTransport transport(settings);
        for (int i = 0; i < 3; ++i)
            transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _server->receivedCount());
        CPPUNIT_ASSERT_EQUAL(2, _server->connections());
    }

    void testImplicitTlsDelivers()
    {
        SmtpSettings settings = _server->settings();
        settings.tls = SmtpSettings::TlsMode::Tls;
        settings.port = _server->tlsPort();
        SmtpTransport transport(settings);
        transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
        transport.send(envelopeTo("b@example.org"), writeMessage("b@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedCount());
        CPPUNIT_ASSERT(_server->receivedInfo(1)->getValue<bool>("tls"));
        CPPUNIT_ASSERT_EQUAL(std::string("mailer"), _server->receivedInfo(1)->getValue<std::string>("login"));
        CPPUNIT_ASSERT_EQUAL(1, _server->connections());
    }

    void testAuthLoginIsUsedWhenPlainIsNotOffered()
    {
        _server.reset();
        _server =
            std::make_unique<SmtpServer>(_folder->file("login"), std::vector<std::string>{"--no-plain"});
        SmtpTransport transport(_server->settings());
        transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
        CPPUNIT_ASSERT_EQUAL(std::string("LOGIN"),
                             _server->receivedInfo(1)->getValue<std::string>("mechanism"));
    }

    void testWrongPasswordRaisesPermanentAuthenticationFailure()
    {
        SmtpSettings settings = _server->settings();
        settings.password = "wrong";
        SmtpTransport transport(settings);
        try
        {
            transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
            CPPUNIT_FAIL("a wrong password must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT(failure.permanent());
            CPPUNIT_ASSERT_EQUAL(535, failure.replyCode());
            CPPUNIT_ASSERT(failure.stage() == TransportException::Stage::Authentication);
            CPPUNIT_ASSERT(failure.displayText().find("wrong") == std::string::npos);
        }
        CPPUNIT_ASSERT(!transport.connected());
    }

    void testSelfSignedCertificateIsRefusedWhenVerifying()
    {
        SmtpSettings settings = _server->settings();
        settings.verifyCertificate = true;
        SmtpTransport transport(settings);
        try
        {
            transport.send(envelopeTo("a@example.org"), writeMessage("a@example.org", "x", "y"));
            CPPUNIT_FAIL("a self-signed certificate must be refused");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT_MESSAGE(failure.displayText(), failure.stage() == TransportException::Stage::Tls);
            CPPUNIT_ASSERT_EQUAL(0, failure.replyCode());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->receivedCount());
    }

    void testEnvelopeWithLineBreakIsRefusedBeforeConnecting()
    {
        SmtpTransport transport(_server->settings());
        const std::string message = writeMessage("a@example.org", "x", "y");
        CPPUNIT_ASSERT_THROW(
            transport.send(envelopeTo("a@example.org>\r\nRCPT TO:<evil@example.org"), message),
            Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(transport.send(Envelope{"a@x\r\nRSET", {"a@example.org"}}, message),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(transport.send(Envelope{RETURN_PATH, {}}, message),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_EQUAL(0, _server->connections());
    }

    void testPipeliningServerGivesTheSameResults()
    {
        _server.reset();
        _server = std::make_unique<SmtpServer>(_folder->file("pipelining"),
                                               std::vector<std::string>{"--pipelining"});
        SmtpTransport transport(_server->settings());
        const std::string message = writeMessage("a@example.org", "x", ".y");
        transport.send(envelopeTo("a@example.org"), message);
        try
        {
            transport.send(envelopeTo("reject@example.org"), message);
            CPPUNIT_FAIL("a refused recipient must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT_EQUAL(550, failure.replyCode());
        }
        try
        {
            transport.send(Envelope{RETURN_PATH, {"later@example.org", "reject@example.org"}}, message);
            CPPUNIT_FAIL("refused recipients must raise");
        }
        catch (const TransportException& failure)
        {
            CPPUNIT_ASSERT_EQUAL(451, failure.replyCode());
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), failure.rejections().size());
        }
        transport.send(Envelope{RETURN_PATH, {"reject@example.org", "b@example.org", "c@example.org"}},
                       message);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.lastRejections().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedCount());
        CPPUNIT_ASSERT(asReceived(message) == _server->received(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _server->receivedInfo(2)->getArray("rcpt_tos")->size());
        CPPUNIT_ASSERT_EQUAL(1, _server->connections());
    }

    void testPreparedMessagesArriveOnceAndAbandonedOnesNever()
    {
        _server.reset();
        _server =
            std::make_unique<SmtpServer>(_folder->file("prepared"), std::vector<std::string>{"--pipelining"});
        SmtpTransport transport(_server->settings());
        const std::string message = writeMessage("a@example.org", "Paniers", "z");
        transport.prepare(envelopeTo("a@example.org"), message); // not connected yet: nothing
        transport.send(envelopeTo("a@example.org"), message);
        transport.prepare(envelopeTo("b@example.org"), message);
        transport.send(envelopeTo("b@example.org"), message);
        transport.prepare(envelopeTo("c@example.org"), message);
        transport.abandon();
        transport.send(envelopeTo("d@example.org"), message);
        transport.prepare(envelopeTo("e@example.org"), message);
        transport.send(envelopeTo("f@example.org"), message); // not the prepared one
        transport.prepare(envelopeTo("reject@example.org"), message);
        CPPUNIT_ASSERT_THROW(transport.send(envelopeTo("reject@example.org"), message), TransportException);
        transport.prepare(envelopeTo("g@example.org"), message);
        transport.send(envelopeTo("g@example.org"), message);
        transport.prepare(envelopeTo("h@example.org"), message);
        transport.close();

        CPPUNIT_ASSERT_EQUAL(std::size_t(5), _server->receivedCount());
        const char* const expected[] = {"a@example.org", "b@example.org", "d@example.org", "f@example.org",
                                        "g@example.org"};
        for (std::size_t i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL(
                std::string(expected[i]),
                _server->receivedInfo(i + 1)->getArray("rcpt_tos")->getElement<std::string>(0));
        CPPUNIT_ASSERT(asReceived(message) == _server->received(2));
        CPPUNIT_ASSERT_EQUAL(3, _server->connections()); // abandon() and the other message each drop one
    }

private:
    std::unique_ptr<ScratchFolder> _folder;
    std::unique_ptr<SmtpServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpTransportTest);
