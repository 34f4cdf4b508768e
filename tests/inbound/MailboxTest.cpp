// The host's mailbox (host-sdk/src/Mailbox) against the database: which handlers are offered a
// message and in what order, the claim that keeps a message from being offered twice at once,
// retries of a failing handler, and what the retention period drops and keeps.
#include "Mailbox.h"
#include "TestDatabase.h"
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using CrmHost::InboundMailHandler;
using CrmHost::InboundMessage;
using CrmHost::InboundOutcome;
using CrmHost::Mailbox;
using CrmHost::MailboxPolicy;

class MailboxTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailboxTest);
    CPPUNIT_TEST(testHandlersAreOfferedTheMessageInTheOrderTheyWereRegistered);
    CPPUNIT_TEST(testOnlyHandlersWhosePatternMatchesAreOffered);
    CPPUNIT_TEST(testWithoutAnEnvelopeRecipientTheHeadersSayWhoItIsFor);
    CPPUNIT_TEST(testAMessageHeldByARoundIsNotOfferedAgainMeanwhile);
    CPPUNIT_TEST(testAFailingHandlerIsTriedAgainAfterItsDelayThenGivenUp);
    CPPUNIT_TEST(testAMessageWhoseRoundsNeverEndIsGivenUp);
    CPPUNIT_TEST(testRetentionDropsTheTextOfUnderstoodMailOnly);
    CPPUNIT_TEST(testUnresolvedListsPendingAndNotUnderstoodNewestFirst);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _database = makeTestDatabase("crmhost_test_mailbox"); }
    void tearDown() override { _database.reset(); }

    void testHandlersAreOfferedTheMessageInTheOrderTheyWereRegistered()
    {
        std::vector<std::string> calls;
        // "z.first" sorts after "a.second" by name: the order must be the registration's.
        add("z.first", "*", calls, {false, "not mine"});
        add("a.second", "bounce+*@*", calls, {true, "a bounce"});
        add("m.third", "*", calls, {true, "never asked"});
        Mailbox mailbox = box();
        long id = mailbox.store("Subject: x\r\n\r\n", "", {"Bounce+1@B.test"});
        auto mail = mailbox.processOne(id);
        CPPUNIT_ASSERT_EQUAL(std::string("z.first,a.second"), join(calls));
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::UNDERSTOOD), mail.status);
        CPPUNIT_ASSERT_EQUAL(std::string("a.second"), mail.handler);
        CPPUNIT_ASSERT_EQUAL(std::string("a bounce"), mailbox.find(id)->detail);
        CPPUNIT_ASSERT(!mailbox.find(id)->processedAt.empty());
    }

    void testOnlyHandlersWhosePatternMatchesAreOffered()
    {
        std::vector<std::string> calls;
        add("m.replies", "reply+*@crm.example", calls, {true, "a reply"});
        Mailbox mailbox = box();
        long id = mailbox.store("Subject: x\r\n\r\n", "s@x.test", {"bounce+1@crm.example"});
        auto mail = mailbox.processOne(id);
        CPPUNIT_ASSERT(calls.empty());
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::NOT_UNDERSTOOD), mail.status);
        CPPUNIT_ASSERT_EQUAL(std::string("no inbound mail handler takes mail for bounce+1@crm.example"),
                             mailbox.find(id)->detail);
        CPPUNIT_ASSERT(mailbox.raw(id).has_value()); // kept
    }

    void testWithoutAnEnvelopeRecipientTheHeadersSayWhoItIsFor()
    {
        std::vector<std::string> seen;
        _handlers.add("m", "m.h",
                      {"m.h", "x+*@*",
                       [&seen](const InboundMessage& message)
                       {
                           seen = message.recipients;
                           return InboundOutcome{true, "ok"};
                       }});
        Mailbox mailbox = box();
        long id = mailbox.store("To: Someone <x+7@y.test>\r\nSubject: x\r\n\r\nbody\r\n", "", {});
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::UNDERSTOOD), mailbox.processOne(id).status);
        CPPUNIT_ASSERT_EQUAL(std::string("x+7@y.test"), join(seen));
        CPPUNIT_ASSERT(mailbox.find(id)->recipients.empty()); // the envelope as it came
    }

    void testAMessageHeldByARoundIsNotOfferedAgainMeanwhile()
    {
        std::unique_ptr<Mailbox> mailbox;
        int calls = 0;
        std::string inner;
        _handlers.add("m", "m.h",
                      {"m.h", "*",
                       [&](const InboundMessage& message)
                       {
                           ++calls;
                           // Another round (another node, `mail receive`) while this one holds it.
                           inner = mailbox->processOne(message.id).status;
                           mailbox->process(10);
                           return InboundOutcome{true, "once"};
                       }});
        mailbox = std::make_unique<Mailbox>(*_database, _handlers);
        long id = mailbox->store("Subject: x\r\n\r\n", "", {"a@b"});
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::UNDERSTOOD), mailbox->processOne(id).status);
        CPPUNIT_ASSERT_EQUAL(1, calls);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::PENDING), inner);
        // Done: offered no more.
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::UNDERSTOOD), mailbox->processOne(id).status);
        CPPUNIT_ASSERT_EQUAL(1, calls);
    }

    void testAFailingHandlerIsTriedAgainAfterItsDelayThenGivenUp()
    {
        int calls = 0;
        _handlers.add("m", "m.h",
                      {"m.h", "*",
                       [&calls](const InboundMessage&) -> InboundOutcome
                       {
                           ++calls;
                           throw Poco::IOException("the database is down");
                       }});
        MailboxPolicy policy;
        policy.maxAttempts = 2;
        policy.retrySeconds = 3600;
        Mailbox mailbox(*_database, _handlers, policy);
        long id = mailbox.store("Subject: x\r\n\r\n", "", {"a@b"});
        auto first = mailbox.process(10);
        CPPUNIT_ASSERT_EQUAL(1, first.offered);
        auto mail = *mailbox.find(id);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::PENDING), mail.status);
        CPPUNIT_ASSERT_EQUAL(1, mail.attempts);
        CPPUNIT_ASSERT(mail.detail.find("the database is down") != std::string::npos);
        // Not due before its delay.
        CPPUNIT_ASSERT_EQUAL(0, mailbox.process(10).offered);
        CPPUNIT_ASSERT_EQUAL(1, calls);
        execute("UPDATE inbound_mail SET claimed_until = '2000-01-01 00:00:00'");
        CPPUNIT_ASSERT_EQUAL(1, mailbox.process(10).offered);
        mail = *mailbox.find(id);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::NOT_UNDERSTOOD), mail.status);
        CPPUNIT_ASSERT_EQUAL(2, mail.attempts);
        CPPUNIT_ASSERT_MESSAGE(mail.detail,
                               mail.detail.find("handler m.h failed 2 times") != std::string::npos);
        CPPUNIT_ASSERT(mailbox.raw(id).has_value());
    }

    void testAMessageWhoseRoundsNeverEndIsGivenUp()
    {
        std::vector<std::string> calls;
        add("m.h", "*", calls, {true, "ok"});
        MailboxPolicy policy;
        policy.maxAttempts = 2;
        Mailbox mailbox(*_database, _handlers, policy);
        long fine = mailbox.store("Subject: x\r\n\r\n", "", {"a@b"});
        CPPUNIT_ASSERT_EQUAL(0, mailbox.processOne(fine).attempts); // a round that ended is not counted
        long id = mailbox.store("Subject: x\r\n\r\n", "", {"a@b"});
        // Two rounds that claimed it and never ended (the host was killed in the handler).
        for (int i = 0; i < 2; ++i)
        {
            execute("UPDATE inbound_mail SET attempts = attempts + 1, claimed_until = '2000-01-01 00:00:00' "
                    "WHERE id = " +
                    std::to_string(id));
        }
        auto mail = mailbox.processOne(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), calls.size()); // only the fine message was offered
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::NOT_UNDERSTOOD), mail.status);
        CPPUNIT_ASSERT_EQUAL(2, mailbox.find(id)->attempts);
        CPPUNIT_ASSERT_MESSAGE(mail.detail, mail.detail.find("given up after 2 rounds") != std::string::npos);
        CPPUNIT_ASSERT(mailbox.raw(id).has_value());
    }

    void testRetentionDropsTheTextOfUnderstoodMailOnly()
    {
        std::vector<std::string> calls;
        add("m.h", "yes+*@*", calls, {true, "ok"});
        Mailbox mailbox = box();
        long understood = mailbox.store("Subject: a\r\n\r\n", "", {"yes+1@b"});
        long notUnderstood = mailbox.store("Subject: b\r\n\r\n", "", {"no@b"});
        long recent = mailbox.store("Subject: c\r\n\r\n", "", {"yes+2@b"});
        mailbox.process(10);
        execute("UPDATE inbound_mail SET processed_at = '2000-01-01 00:00:00' WHERE id <> " +
                std::to_string(recent));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), mailbox.dropExpiredRaw());
        CPPUNIT_ASSERT(!mailbox.raw(understood).has_value());
        CPPUNIT_ASSERT(!mailbox.find(understood)->rawKept);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::UNDERSTOOD), mailbox.find(understood)->status);
        CPPUNIT_ASSERT_EQUAL(std::string("Subject: b\r\n\r\n"), mailbox.raw(notUnderstood).value_or(""));
        CPPUNIT_ASSERT(mailbox.raw(recent).has_value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), mailbox.dropExpiredRaw());
    }

    void testUnresolvedListsPendingAndNotUnderstoodNewestFirst()
    {
        std::vector<std::string> calls;
        add("m.h", "yes+*@*", calls, {true, "ok"});
        Mailbox mailbox = box();
        long a = mailbox.store("A", "", {"no@b"});
        long b = mailbox.store("B", "", {"yes+1@b"});
        mailbox.process(10);
        long c = mailbox.store("C", "", {"yes+2@b"}); // still pending
        auto list = mailbox.unresolved(10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), list.size());
        CPPUNIT_ASSERT_EQUAL(c, list[0].id);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::PENDING), list[0].status);
        CPPUNIT_ASSERT_EQUAL(a, list[1].id);
        CPPUNIT_ASSERT_EQUAL(std::string(Mailbox::NOT_UNDERSTOOD), list[1].status);
        CPPUNIT_ASSERT(b != list[0].id && b != list[1].id);
    }

private:
    Mailbox box() { return Mailbox(*_database, _handlers); }

    void add(const std::string& name, const std::string& pattern, std::vector<std::string>& calls,
             InboundOutcome outcome)
    {
        _handlers.add(name.substr(0, name.find('.')), name,
                      {name, pattern,
                       [name, &calls, outcome](const InboundMessage&)
                       {
                           calls.push_back(name);
                           return outcome;
                       }});
    }

    void execute(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        session << sql, now;
    }

    static std::string join(const std::vector<std::string>& items)
    {
        std::string out;
        for (const auto& item : items)
            out += (out.empty() ? "" : ",") + item;
        return out;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    CrmHost::Registry<InboundMailHandler> _handlers{"inbound mail handler"};
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailboxTest);
