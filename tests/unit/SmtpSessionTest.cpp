// The inbound SMTP conversation on its own (host-sdk/src/SmtpSession): what a client is
// answered, what is stored, and that no input makes it hold more than its limits.
#include "SmtpSession.h"
#include "Mailbox.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::Mailbox;
using CrmHost::SmtpSession;

namespace
{
struct Stored
{
    std::string raw;
    std::string sender;
    std::vector<std::string> recipients;
};

struct Conversation
{
    std::vector<Stored> stored;
    bool failing = false;
    SmtpSession session;

    explicit Conversation(SmtpSession::Limits limits = {})
        : session(
              "mx.test", limits,
              [this](const std::string& raw, const std::string& sender, const std::vector<std::string>& to)
              {
                  if (failing)
                      throw Poco::IOException("the database is down");
                  stored.push_back({raw, sender, to});
                  return long(stored.size());
              })
    {
    }

    std::string say(const std::string& bytes) { return session.receive(bytes.data(), bytes.size()); }
};

SmtpSession::Limits small()
{
    SmtpSession::Limits limits;
    limits.maxSize = 100;
    limits.maxRecipients = 3;
    limits.maxLine = 64;
    limits.maxErrors = 5;
    return limits;
}

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}
} // namespace

class SmtpSessionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmtpSessionTest);
    CPPUNIT_TEST(testGreetingAndEhloAdvertiseTheSizeLimit);
    CPPUNIT_TEST(testAMessageIsStoredWithItsEnvelopeBefore250);
    CPPUNIT_TEST(testDotStuffedLinesAreUnstuffed);
    CPPUNIT_TEST(testNullSenderIsAccepted);
    CPPUNIT_TEST(testSizeOverTheLimitIsRefusedAtMailFrom);
    CPPUNIT_TEST(testDataOverTheLimitIsReadToItsEndThenRefused552);
    CPPUNIT_TEST(testAStoreFailureIsAnswered451);
    CPPUNIT_TEST(testPipelinedCommandsAreAnsweredInOrder);
    CPPUNIT_TEST(testBytesOneAtATimeGiveTheSameMessage);
    CPPUNIT_TEST(testALongDataLineIsKeptWholeWhereverItIsCut);
    CPPUNIT_TEST(testCommandsOutOfOrderAreRefused503);
    CPPUNIT_TEST(testTooManyRecipientsAreRefused452);
    CPPUNIT_TEST(testAnOverlongLineIsRefusedAndForgotten);
    CPPUNIT_TEST(testTooManyErrorsCloseTheSession);
    CPPUNIT_TEST(testRsetForgetsTheTransaction);
    CPPUNIT_TEST(testQuitClosesTheSession);
    CPPUNIT_TEST(testPatternsMatchAnyRunWithoutRegardToCase);
    CPPUNIT_TEST(testHeaderRecipientsPreferDeliveredTo);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGreetingAndEhloAdvertiseTheSizeLimit()
    {
        Conversation c(small());
        CPPUNIT_ASSERT(startsWith(c.session.greeting(), "220 mx.test "));
        std::string ehlo = c.say("EHLO client.test\r\n");
        CPPUNIT_ASSERT(startsWith(ehlo, "250-mx.test\r\n"));
        CPPUNIT_ASSERT(ehlo.find("250-SIZE 100\r\n") != std::string::npos);
        CPPUNIT_ASSERT(ehlo.find("8BITMIME") != std::string::npos);
        CPPUNIT_ASSERT(ehlo.find("PIPELINING") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("501"), c.say("EHLO\r\n").substr(0, 3));
    }

    void testAMessageIsStoredWithItsEnvelopeBefore250()
    {
        Conversation c;
        c.say("HELO client.test\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.1.0 Ok\r\n"),
                             c.say("MAIL FROM:<a@x.test> BODY=8BITMIME\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.1.5 Ok\r\n"), c.say("RCPT TO:<echo+1@b.test>\r\n"));
        c.say("rcpt to: <Other@B.test>\r\n");
        CPPUNIT_ASSERT(startsWith(c.say("DATA\r\n"), "354 "));
        CPPUNIT_ASSERT_EQUAL(std::string(""), c.say("Subject: hi\r\n\r\nbody\r\n"));
        CPPUNIT_ASSERT(c.stored.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.0.0 Ok: stored as message 1\r\n"), c.say(".\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.stored.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Subject: hi\r\n\r\nbody\r\n"), c.stored[0].raw);
        CPPUNIT_ASSERT_EQUAL(std::string("a@x.test"), c.stored[0].sender);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), c.stored[0].recipients.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Other@B.test"), c.stored[0].recipients[1]);
    }

    void testDotStuffedLinesAreUnstuffed()
    {
        Conversation c;
        c.say("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
        c.say("..\r\n...leading dots\r\nnot . at start\r\n.\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.stored.size());
        CPPUNIT_ASSERT_EQUAL(std::string(".\r\n..leading dots\r\nnot . at start\r\n"), c.stored[0].raw);
    }

    void testNullSenderIsAccepted()
    {
        Conversation c;
        c.say("EHLO c\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.1.0 Ok\r\n"), c.say("MAIL FROM:<>\r\n"));
        c.say("RCPT TO:<bounce+x@b>\r\nDATA\r\nx\r\n.\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string(""), c.stored.at(0).sender);
    }

    void testSizeOverTheLimitIsRefusedAtMailFrom()
    {
        Conversation c(small());
        c.say("EHLO c\r\n");
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x> SIZE=101\r\n"), "552 5.3.4 "));
        CPPUNIT_ASSERT(startsWith(c.say("RCPT TO:<b@y>\r\n"), "503 "));
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x> SIZE=100\r\n"), "250 "));
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x> SIZE=x\r\n"), "503 "));
    }

    void testDataOverTheLimitIsReadToItsEndThenRefused552()
    {
        Conversation c(small());
        c.say("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
        std::string big(70, 'x');
        CPPUNIT_ASSERT_EQUAL(std::string(""), c.say(big + "\r\n" + big + "\r\n" + std::string(100000, 'y')));
        CPPUNIT_ASSERT_EQUAL(std::string(""), c.say("\r\nMAIL FROM:<not a command>\r\n"));
        CPPUNIT_ASSERT(startsWith(c.say(".\r\n"), "552 5.3.4 "));
        CPPUNIT_ASSERT(c.stored.empty());
        // The session goes on: the next message is taken.
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x>\r\n"), "250 "));
        c.say("RCPT TO:<b@y>\r\nDATA\r\nsmall\r\n.\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.stored.size());
    }

    void testAStoreFailureIsAnswered451()
    {
        Conversation c;
        c.failing = true;
        std::string replies = c.say("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nx\r\n.\r\n");
        CPPUNIT_ASSERT(replies.find("451 4.3.0 ") != std::string::npos);
        CPPUNIT_ASSERT(replies.find("250 2.0.0") == std::string::npos);
        CPPUNIT_ASSERT(!c.session.closed());
    }

    void testPipelinedCommandsAreAnsweredInOrder()
    {
        Conversation c;
        c.say("EHLO c\r\n");
        std::string replies =
            c.say("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nRCPT TO:<c y>\r\nDATA\r\nHi\r\n.\r\nQUIT\r\n");
        CPPUNIT_ASSERT_EQUAL(
            std::string("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n501 5.1.3 Syntax: RCPT TO:<address>\r\n"
                        "354 End data with <CR><LF>.<CR><LF>\r\n"
                        "250 2.0.0 Ok: stored as message 1\r\n221 2.0.0 mx.test closing the "
                        "connection\r\n"),
            replies);
        CPPUNIT_ASSERT(c.session.closed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.stored.at(0).recipients.size());
    }

    void testBytesOneAtATimeGiveTheSameMessage()
    {
        Conversation c;
        std::string all = "EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nline one\r\n..two\r\n.\r\n";
        std::string replies;
        for (char ch : all)
            replies += c.session.receive(&ch, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("line one\r\n.two\r\n"), c.stored.at(0).raw);
        CPPUNIT_ASSERT(replies.find("250 2.0.0 Ok: stored") != std::string::npos);
    }

    void testALongDataLineIsKeptWholeWhereverItIsCut()
    {
        SmtpSession::Limits limits;
        limits.maxSize = 1024 * 1024;
        for (std::size_t length : {std::size_t(64 * 1024 - 3), std::size_t(64 * 1024), std::size_t(200000)})
        {
            Conversation c(limits);
            c.say("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
            std::string line = ".." + std::string(length, 'z');
            c.say(line + "\r");
            c.say("\n.\r\n");
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), c.stored.size());
            CPPUNIT_ASSERT(c.stored[0].raw == line.substr(1) + "\r\n");
        }
    }

    void testCommandsOutOfOrderAreRefused503()
    {
        Conversation c;
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x>\r\n"), "503 ")); // before EHLO
        c.say("EHLO c\r\n");
        CPPUNIT_ASSERT(startsWith(c.say("RCPT TO:<b@y>\r\n"), "503 "));
        CPPUNIT_ASSERT(startsWith(c.say("DATA\r\n"), "503 "));
        c.say("MAIL FROM:<a@x>\r\n");
        CPPUNIT_ASSERT(startsWith(c.say("MAIL FROM:<a@x>\r\n"), "503 "));
        CPPUNIT_ASSERT(startsWith(c.say("DATA\r\n"), "554 ")); // no recipient
        CPPUNIT_ASSERT(c.stored.empty());
    }

    void testTooManyRecipientsAreRefused452()
    {
        Conversation c(small());
        c.say("EHLO c\r\nMAIL FROM:<a@x>\r\n");
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(startsWith(c.say("RCPT TO:<r" + std::to_string(i) + "@y>\r\n"), "250 "));
        CPPUNIT_ASSERT(startsWith(c.say("RCPT TO:<r4@y>\r\n"), "452 4.5.3 "));
        c.say("DATA\r\nx\r\n.\r\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), c.stored.at(0).recipients.size());
    }

    void testAnOverlongLineIsRefusedAndForgotten()
    {
        Conversation c(small());
        std::string replies = c.say("EHLO " + std::string(10000, 'a') + "\r\n");
        CPPUNIT_ASSERT(startsWith(replies, "500 5.5.2 Line too long"));
        CPPUNIT_ASSERT(startsWith(c.say("EHLO c\r\n"), "250-"));
    }

    void testTooManyErrorsCloseTheSession()
    {
        Conversation c(small());
        static const char garbage[] = "\x01\xff garbage\0\r\n";
        std::string replies;
        for (int i = 0; i < 10 && !c.session.closed(); ++i)
            replies += c.say(std::string(garbage, sizeof garbage - 1));
        CPPUNIT_ASSERT(c.session.closed());
        CPPUNIT_ASSERT(replies.find("421 4.7.0 ") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(""), c.say("EHLO c\r\n"));
    }

    void testRsetForgetsTheTransaction()
    {
        Conversation c;
        c.say("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.0.0 Ok\r\n"), c.say("RSET\r\n"));
        CPPUNIT_ASSERT(startsWith(c.say("DATA\r\n"), "503 "));
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.0.0 Ok\r\n"), c.say("NOOP\r\n"));
    }

    void testQuitClosesTheSession()
    {
        Conversation c;
        CPPUNIT_ASSERT(startsWith(c.say("QUIT\r\nEHLO c\r\n"), "221 "));
        CPPUNIT_ASSERT(c.session.closed());
    }

    void testPatternsMatchAnyRunWithoutRegardToCase()
    {
        CPPUNIT_ASSERT(Mailbox::matches("echo+*@*", "ECHO+x@b.test"));
        CPPUNIT_ASSERT(Mailbox::matches("echo+*@*", "echo+@b"));
        CPPUNIT_ASSERT(Mailbox::matches("*", ""));
        CPPUNIT_ASSERT(Mailbox::matches("bounce+*@crm.example", "bounce+a+b@CRM.example"));
        CPPUNIT_ASSERT(!Mailbox::matches("bounce+*@crm.example", "bounce+a@crm.example.org"));
        CPPUNIT_ASSERT(!Mailbox::matches("echo+*@*", "other@b.test"));
        CPPUNIT_ASSERT(!Mailbox::matches("a*b*c", "aXbY"));
        CPPUNIT_ASSERT(Mailbox::matches("a*b*c", "aXbYbZc"));
        // No blow-up on a pattern of many stars against a long address.
        CPPUNIT_ASSERT(!Mailbox::matches(std::string(50, '*') + "z", std::string(320, 'a')));
    }

    void testHeaderRecipientsPreferDeliveredTo()
    {
        std::string headers = "Return-Path: <>\r\nTo: \"Ann, B\" <ann@x.test>, bob@y.test (Bob)\r\n"
                              "Cc: carl@z.test\r\n";
        CPPUNIT_ASSERT_EQUAL(std::string("ann@x.test,bob@y.test,carl@z.test"),
                             join(Mailbox::headerRecipients(headers + "\r\nTo: body@not.header\r\n")));
        CPPUNIT_ASSERT_EQUAL(std::string("echo+1@b.test"),
                             join(Mailbox::headerRecipients("X-Original-To: x@o.test\r\nDelivered-To: "
                                                            "echo+1@b.test\r\n" +
                                                            headers + "\r\n")));
        CPPUNIT_ASSERT_EQUAL(std::string(""), Mailbox::headerSender(headers));
        CPPUNIT_ASSERT_EQUAL(std::string("s@x.test"), Mailbox::headerSender("Return-Path: <s@x.test>\n\n"));
        CPPUNIT_ASSERT(Mailbox::headerRecipients("no headers at all").empty());
    }

private:
    static std::string join(const std::vector<std::string>& items)
    {
        std::string out;
        for (const auto& item : items)
            out += (out.empty() ? "" : ",") + item;
        return out;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpSessionTest);
