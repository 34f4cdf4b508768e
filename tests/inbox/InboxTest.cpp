#include "inbox/Inbox.h"
#include "FieldException.h"
#include "SqlTime.h"
#include "TestDatabase.h"
#include "audience/Audience.h"
#include "audience/RecipientDirectory.h"
#include "audience/TargetsLoader.h"
#include "content/Campaigns.h"
#include "content/ReplyAddress.h"
#include "delivery/Deliveries.h"
#include "inbox/InboxReplies.h"
#include <Poco/Data/Session.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using namespace MassMailing;

namespace
{
// One studio (the seed 003's), its members, a smartlist and a session with bookings, and the
// stages the inbox calls, on the clock the tests set.
struct Studio
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    Poco::DateTime time{2026, 12, 4, 12, 0, 0};
    long group = 0, otherGroup = 0, anna = 0, ben = 0, chloe = 0, dan = 0, smartlist = 0, session = 0;
    std::unique_ptr<TargetsLoader> loader;
    std::unique_ptr<RecipientDirectory> directory;
    std::unique_ptr<Campaigns> campaigns;
    std::unique_ptr<Deliveries> deliveries;
    std::unique_ptr<Audience> audience;
    std::unique_ptr<ReplyAddress> replies;
    std::unique_ptr<Inbox> inbox;

    long insertPerson(Poco::Data::Session& s, std::string first, std::string email, int consent)
    {
        std::string last = "Test", phone = "+3361234567" + std::to_string(first.size());
        if (email.empty())
            s << "INSERT INTO people (first_name, last_name, phone, consent_email) VALUES (?, ?, ?, ?)",
                use(first), use(last), use(phone), use(consent), now;
        else
            s << "INSERT INTO people (first_name, last_name, email, phone, consent_email) VALUES (?, ?, ?, "
                 "?, ?)",
                use(first), use(last), use(email), use(phone), use(consent), now;
        Poco::Int64 id = 0;
        s << "SELECT MAX(id) FROM people", into(id), now;
        s << "INSERT INTO memberships (group_id, person_id) VALUES (?, ?)", use(group), use(id), now;
        return long(id);
    }

    Studio()
    {
        database = makeTestDatabase("massmailing_inbox_tests");
        Poco::Data::Session s = database->session();
        s << "INSERT INTO host_groups (kind, name) VALUES ('studio', 'Studio Danse')", now;
        s << "SELECT MAX(id) FROM host_groups", into(group), now;
        s << "INSERT INTO host_groups (kind, name) VALUES ('studio', 'Other studio')", now;
        s << "SELECT MAX(id) FROM host_groups", into(otherGroup), now;
        s << "INSERT INTO verified_domains (group_id, domain) VALUES (?, 'example.org')", use(group), now;
        anna = insertPerson(s, "Anna", "anna@example.org", 1);
        ben = insertPerson(s, "Ben", "ben@example.org", 0);
        chloe = insertPerson(s, "Chloe", "", 1);
        dan = insertPerson(s, "Dan", "dan@example.org", 1);
        s << "INSERT INTO saved_filters (group_id, name, recipient_type, definition) VALUES (?, 'Regulars', "
             "'members', '{\"field\": \"locale\", \"op\": \"=\", \"value\": \"fr\"}')",
            use(group), now;
        s << "SELECT MAX(id) FROM saved_filters", into(smartlist), now;
        s << "INSERT INTO studio_sessions (group_id, title, starts_at, capacity) VALUES (?, 'Salsa', "
             "'2026-12-05 18:00:00', 2)",
            use(group), now;
        s << "SELECT MAX(id) FROM studio_sessions", into(session), now;
        for (auto [person, status] : std::vector<std::pair<long, std::string>>{
                 {anna, "booked"}, {ben, "booked"}, {chloe, "waiting"}, {dan, "cancelled"}})
            s << "INSERT INTO studio_bookings (session_id, person_id, status, created_at) VALUES (?, ?, ?, "
                 "'2026-12-01 10:00:00')",
                use(session), use(person), use(status), now;
        auto clock = [this] { return time; };
        loader = std::make_unique<TargetsLoader>(*database, clock);
        directory = std::make_unique<RecipientDirectory>(*database);
        campaigns = std::make_unique<Campaigns>(*database);
        deliveries = std::make_unique<Deliveries>(*database, clock);
        audience = std::make_unique<Audience>(*database, *loader,
                                              [this](long g) { return deliveries->sentThisMonth(g); });
        replies = std::make_unique<ReplyAddress>(std::string(32, 'k'));
        inbox = std::make_unique<Inbox>(
            *database, *replies, *directory, *campaigns, *audience, *deliveries, clock, [] { return 0L; },
            [](long) { return std::string("replies.example.org"); });
    }
};

std::unique_ptr<Studio> studio;

Studio& the()
{
    if (!studio)
        studio = std::make_unique<Studio>();
    return *studio;
}

long count(const std::string& sql)
{
    Poco::Data::Session s = the().database->session();
    Poco::Int64 n = 0;
    s << sql, into(n), now;
    return long(n);
}

IncomingMessage email(const std::string& from, const std::string& text, const std::string& token,
                      const std::string& source)
{
    IncomingMessage message;
    message.channel = "email";
    message.from = from;
    message.text = text;
    message.at = Poco::DateTime(2026, 12, 4, 13, 0, 0);
    message.threadToken = token;
    message.subject = "Re: Salsa";
    message.source = source;
    return message;
}

HistoryFilter f(std::string channel = "", std::string from = "", std::string to = "",
                std::string direction = "", std::string mode = "", std::string booking = "")
{
    HistoryFilter filter;
    filter.channel = channel;
    filter.from = from;
    filter.to = to;
    filter.direction = direction;
    filter.mode = mode;
    filter.booking = booking;
    return filter;
}

OutgoingMessage written(const std::string& subject, std::vector<std::string> bookings = {})
{
    OutgoingMessage message;
    message.subject = subject;
    message.text = "Hello {{first_name}},\nsee you soon.";
    message.bookings = std::move(bookings);
    return message;
}
} // namespace

// The inbox (M3, R1, R2) on SQLite and MariaDB: conversations newest first with unread counts;
// replies landing in their thread by the signed token, forged and stale tokens kept unmatched
// and listed; SMS replies of a member in the member's thread; sending from a conversation
// through the campaign and delivery engine; the history and each of its filters.
class InboxTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InboxTest);
    CPPUNIT_TEST(testConversationsAreOnlyWithTheGroupsMembersSmartlistsAndSessions);
    CPPUNIT_TEST(testEmailReplyWithItsThreadTokenLandsInTheThreadQuoteFolded);
    CPPUNIT_TEST(testReplyWithAForgedTokenIsKeptAsUnmatchedAndListed);
    CPPUNIT_TEST(testReplyWithAStaleTokenIsKeptAsUnmatched);
    CPPUNIT_TEST(testTheSameMessageTwiceIsRecordedOnce);
    CPPUNIT_TEST(testSmsReplyOfAMemberLandsInTheMembersThread);
    CPPUNIT_TEST(testConversationsAreNewestFirstWithUnreadCounts);
    CPPUNIT_TEST(testWritingToOneMemberSendsAOneRecipientCampaignRepliedToTheThread);
    CPPUNIT_TEST(testMemberWithoutAddressCannotBeWritten);
    CPPUNIT_TEST(testSessionMessageGoesToTheChosenBookingsLessTheDeselected);
    CPPUNIT_TEST(testHistoryFiltersOnChannelDatesDirectionModeAndBooking);
    CPPUNIT_TEST(testGroupHistoryShowsEarlierCampaignsAndSmartlistOnesWithTheirMode);
    CPPUNIT_TEST(testInboundHandlerRecordsAnEmailReply);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        the();
        Poco::Data::Session s = the().database->session();
        for (const char* table : {"mm_inbox_messages", "mm_conversations", "mm_recipients",
                                  "mm_audience_sources", "mm_audience_unchecked", "mm_campaigns"})
            s << std::string("DELETE FROM ") + table, now;
    }

    void testConversationsAreOnlyWithTheGroupsMembersSmartlistsAndSessions()
    {
        Studio& st = the();
        long member = st.inbox->open(st.group, "member", st.anna);
        CPPUNIT_ASSERT_EQUAL(member, st.inbox->open(st.group, "member", st.anna));
        CPPUNIT_ASSERT_EQUAL(std::string("Anna Test"), st.inbox->find(member)->title);
        long list = st.inbox->open(st.group, "smartlist", st.smartlist);
        CPPUNIT_ASSERT_EQUAL(std::string("Regulars"), st.inbox->find(list)->title);
        long session = st.inbox->open(st.group, "session", st.session);
        CPPUNIT_ASSERT(st.inbox->find(session)->title.find("Salsa") == 0);
        CPPUNIT_ASSERT_THROW(st.inbox->open(st.otherGroup, "member", st.anna), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(st.inbox->open(st.otherGroup, "session", st.session), Poco::NotFoundException);
        CPPUNIT_ASSERT_THROW(st.inbox->open(st.group, "galaxy", 1), Poco::NotFoundException);
        CPPUNIT_ASSERT_EQUAL(3L, count("SELECT COUNT(*) FROM mm_conversations"));
    }

    void testEmailReplyWithItsThreadTokenLandsInTheThreadQuoteFolded()
    {
        Studio& st = the();
        long session = st.inbox->open(st.group, "session", st.session);
        std::string token =
            ReplyAddress::find(st.inbox->replyAddress(st.group, session, "inbox@example.org"));
        ReceivedMessage received = st.inbox->receive(
            email("Anna@Example.org", "I'll be late.\n\nOn Fri, Studio wrote:\n> Salsa tomorrow\n", token,
                  "mail:1"));
        CPPUNIT_ASSERT_EQUAL(session, received.conversationId);
        CPPUNIT_ASSERT_EQUAL(st.group, received.groupId);
        std::vector<HistoryItem> items = st.inbox->history(st.group, session, f());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), items.size());
        CPPUNIT_ASSERT_EQUAL(std::string("received"), items[0].direction);
        CPPUNIT_ASSERT_EQUAL(std::string("I'll be late."), items[0].text);
        CPPUNIT_ASSERT(items[0].quoted.find("> Salsa tomorrow") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("Anna Test"), items[0].fromName);
        CPPUNIT_ASSERT(!items[0].read);
    }

    void testReplyWithAForgedTokenIsKeptAsUnmatchedAndListed()
    {
        Studio& st = the();
        long session = st.inbox->open(st.group, "session", st.session);
        ReplyAddress theirs(std::string(32, 'x'));
        ReceivedMessage received = st.inbox->receive(
            email("anna@example.org", "Let me in", theirs.token({st.group, session}), "mail:2"));
        CPPUNIT_ASSERT_EQUAL(0L, received.conversationId);
        CPPUNIT_ASSERT_EQUAL(st.group, received.groupId);
        CPPUNIT_ASSERT(received.reason.find("did not sign") != std::string::npos);
        CPPUNIT_ASSERT(st.inbox->history(st.group, session, f()).empty());
        std::vector<HistoryItem> unmatched = st.inbox->unmatched(st.group);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), unmatched.size());
        CPPUNIT_ASSERT_EQUAL(std::string("forged"), unmatched[0].matched);
        CPPUNIT_ASSERT_EQUAL(std::string("Let me in"), unmatched[0].text);
        CPPUNIT_ASSERT_EQUAL(1L, st.inbox->unmatchedCount(st.group));
        // A token nobody can read at all: kept too, with no group to list it in.
        ReceivedMessage unreadable = st.inbox->receive(email("x@example.net", "hi", "zzzz", "mail:3"));
        CPPUNIT_ASSERT_EQUAL(0L, unreadable.conversationId);
        CPPUNIT_ASSERT(unreadable.messageId > 0);
        CPPUNIT_ASSERT_EQUAL(2L,
                             count("SELECT COUNT(*) FROM mm_inbox_messages WHERE conversation_id IS NULL"));
    }

    void testReplyWithAStaleTokenIsKeptAsUnmatched()
    {
        Studio& st = the();
        std::string token = st.replies->token({st.group, 999999});
        ReceivedMessage received = st.inbox->receive(email("anna@example.org", "Hello?", token, "mail:4"));
        CPPUNIT_ASSERT_EQUAL(0L, received.conversationId);
        CPPUNIT_ASSERT(received.reason.find("stale") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("stale"), st.inbox->unmatched(st.group).at(0).matched);
    }

    void testTheSameMessageTwiceIsRecordedOnce()
    {
        Studio& st = the();
        long member = st.inbox->open(st.group, "member", st.ben);
        std::string token = st.replies->token({st.group, member});
        ReceivedMessage first = st.inbox->receive(email("ben@example.org", "Yes", token, "mail:5"));
        ReceivedMessage again = st.inbox->receive(email("ben@example.org", "Yes", token, "mail:5"));
        CPPUNIT_ASSERT(!first.duplicate);
        CPPUNIT_ASSERT(again.duplicate);
        CPPUNIT_ASSERT_EQUAL(first.messageId, again.messageId);
        CPPUNIT_ASSERT_EQUAL(member, again.conversationId);
        CPPUNIT_ASSERT_EQUAL(1L, count("SELECT COUNT(*) FROM mm_inbox_messages"));
    }

    void testSmsReplyOfAMemberLandsInTheMembersThread()
    {
        Studio& st = the();
        IncomingMessage sms;
        sms.groupId = st.group;
        sms.channel = "sms";
        sms.from = "+33612345675";
        sms.text = "> not a quote in an SMS";
        sms.at = Poco::DateTime(2026, 12, 4, 14, 0, 0);
        sms.personId = st.chloe;
        sms.source = "sms:abc";
        ReceivedMessage received = st.inbox->receive(sms);
        CPPUNIT_ASSERT(received.conversationId > 0);
        Conversation conversation = *st.inbox->find(received.conversationId);
        CPPUNIT_ASSERT_EQUAL(std::string("member"), conversation.kind);
        CPPUNIT_ASSERT_EQUAL(st.chloe, conversation.subjectId);
        HistoryItem item = st.inbox->history(st.group, conversation.id, f()).at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), item.channel);
        CPPUNIT_ASSERT_EQUAL(std::string("> not a quote in an SMS"), item.text);
        // From someone of another group: unmatched, not in anyone's thread.
        sms.personId = 0;
        sms.groupId = st.otherGroup;
        sms.source = "sms:def";
        CPPUNIT_ASSERT_EQUAL(0L, st.inbox->receive(sms).conversationId);
    }

    void testConversationsAreNewestFirstWithUnreadCounts()
    {
        Studio& st = the();
        long anna = st.inbox->open(st.group, "member", st.anna);
        st.time = Poco::DateTime(2026, 12, 4, 12, 5, 0);
        long ben = st.inbox->open(st.group, "member", st.ben);
        std::vector<Conversation> list = st.inbox->conversations(st.group);
        CPPUNIT_ASSERT_EQUAL(ben, list.at(0).id);
        // A reply brings Anna's thread to the top, unread.
        st.inbox->receive(email("anna@example.org", "One", st.replies->token({st.group, anna}), "mail:6"));
        st.inbox->receive(email("anna@example.org", "Two", st.replies->token({st.group, anna}), "mail:7"));
        list = st.inbox->conversations(st.group);
        CPPUNIT_ASSERT_EQUAL(anna, list.at(0).id);
        CPPUNIT_ASSERT_EQUAL(2L, list.at(0).unread);
        CPPUNIT_ASSERT_EQUAL(0L, list.at(1).unread);
        st.inbox->markRead(anna);
        CPPUNIT_ASSERT_EQUAL(0L, st.inbox->conversations(st.group).at(0).unread);
        CPPUNIT_ASSERT(st.inbox->conversations(st.otherGroup).empty());
        st.time = Poco::DateTime(2026, 12, 4, 12, 0, 0);
    }

    void testWritingToOneMemberSendsAOneRecipientCampaignRepliedToTheThread()
    {
        Studio& st = the();
        long member = st.inbox->open(st.group, "member", st.ben);
        std::optional<MemberContact> ben = st.inbox->member(member);
        CPPUNIT_ASSERT(ben && !ben->consentEmail); // the composer warns
        long campaign = st.inbox->send(member, written("About your booking"));
        Campaign sent = *st.campaigns->find(campaign);
        CPPUNIT_ASSERT(sent.replyTo.find("reply+") == 0);
        CPPUNIT_ASSERT(sent.replyTo.find("@replies.example.org") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(member, st.replies->verify(ReplyAddress::find(sent.replyTo)).conversationId);
        CPPUNIT_ASSERT(!Deliveries::editable(st.deliveries->status(campaign)));
        std::vector<HistoryItem> items = st.inbox->history(st.group, member, f());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), items.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), items[0].direction);
        CPPUNIT_ASSERT_EQUAL(std::string("manual"), items[0].mode);
        CPPUNIT_ASSERT_EQUAL(1L, items[0].recipients);
        CPPUNIT_ASSERT_EQUAL(1L, items[0].counts["queued"]);
        CPPUNIT_ASSERT_THROW(st.inbox->send(member, written("")), FieldException);
    }

    void testMemberWithoutAddressCannotBeWritten()
    {
        Studio& st = the();
        long member = st.inbox->open(st.group, "member", st.chloe);
        CPPUNIT_ASSERT(st.inbox->member(member)->email.empty());
        try
        {
            st.inbox->send(member, written("Hello"));
            CPPUNIT_FAIL("sent to a member without address");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("recipients"), error.field());
        }
        CPPUNIT_ASSERT_EQUAL(0L, count("SELECT COUNT(*) FROM mm_campaigns"));
    }

    void testSessionMessageGoesToTheChosenBookingsLessTheDeselected()
    {
        Studio& st = the();
        long session = st.inbox->open(st.group, "session", st.session);
        CPPUNIT_ASSERT_THROW(st.inbox->send(session, written("Salsa")), FieldException); // nobody chosen
        // Chloe alone waits, and has no address: refused, no campaign left behind.
        CPPUNIT_ASSERT_THROW(st.inbox->send(session, written("Salsa", {"waiting"})), FieldException);
        CPPUNIT_ASSERT_EQUAL(0L, count("SELECT COUNT(*) FROM mm_campaigns"));
        OutgoingMessage message = written("Salsa moved to 19:00", {"booked", "cancelled"});
        message.unchecked = {"person:" + std::to_string(st.ben)};
        long campaign = st.inbox->send(session, message);
        std::map<std::string, long> counts = st.deliveries->counts(campaign);
        CPPUNIT_ASSERT_EQUAL(2L, counts["queued"]); // Anna (booked) and Dan (cancelled); Ben deselected
        HistoryItem item = st.inbox->history(st.group, session, f()).at(0);
        CPPUNIT_ASSERT_EQUAL(2L, item.recipients);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), item.bookings.size());
    }

    void testHistoryFiltersOnChannelDatesDirectionModeAndBooking()
    {
        Studio& st = the();
        long session = st.inbox->open(st.group, "session", st.session);
        st.time = Poco::DateTime(2026, 12, 1, 9, 0, 0);
        st.inbox->send(session, written("Booked ones", {"booked"}));
        st.time = Poco::DateTime(2026, 12, 3, 9, 0, 0);
        st.inbox->send(session, written("Waiting ones", {"waiting", "cancelled"}));
        st.time = Poco::DateTime(2026, 12, 4, 12, 0, 0);
        IncomingMessage sms;
        sms.groupId = st.group;
        sms.channel = "sms";
        sms.from = "+33612345675";
        sms.text = "ok";
        sms.at = Poco::DateTime(2026, 12, 4, 15, 0, 0);
        sms.threadToken = st.replies->token({st.group, session});
        sms.source = "sms:1";
        st.inbox->receive(sms);
        st.inbox->receive(
            email("anna@example.org", "fine", st.replies->token({st.group, session}), "mail:8"));

        auto subjects = [&](HistoryFilter filter)
        {
            std::string list;
            for (const HistoryItem& item : st.inbox->history(st.group, session, filter))
                list += (list.empty() ? "" : "|") + (item.direction == "sent" ? item.subject : item.text);
            return list;
        };
        CPPUNIT_ASSERT_EQUAL(std::string("ok|fine|Waiting ones|Booked ones"), subjects(f()));
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), subjects(f("sms")));
        CPPUNIT_ASSERT_EQUAL(std::string("fine|Waiting ones|Booked ones"), subjects(f("email")));
        CPPUNIT_ASSERT_EQUAL(std::string("Waiting ones|Booked ones"),
                             subjects(f("", "2026-12-01", "2026-12-03")));
        CPPUNIT_ASSERT_EQUAL(std::string("Waiting ones"), subjects(f("email", "2026-12-02", "2026-12-03")));
        CPPUNIT_ASSERT_EQUAL(std::string("ok|fine"), subjects(f("", "", "", "received")));
        CPPUNIT_ASSERT_EQUAL(std::string("Waiting ones|Booked ones"), subjects(f("", "", "", "", "manual")));
        CPPUNIT_ASSERT_EQUAL(std::string(), subjects(f("", "", "", "", "automatic")));
        CPPUNIT_ASSERT_EQUAL(std::string("Booked ones"), subjects(f("", "", "", "", "", "booked")));
        CPPUNIT_ASSERT_THROW(subjects(f("fax")), FieldException);
        CPPUNIT_ASSERT_THROW(subjects(f("", "4 Dec")), FieldException);
    }

    void testGroupHistoryShowsEarlierCampaignsAndSmartlistOnesWithTheirMode()
    {
        Studio& st = the();
        // A campaign of the wizard to the smartlist, and an automatic one.
        auto campaignTo = [&](const std::string& name, const std::string& automatic)
        {
            Campaign campaign;
            campaign.groupId = st.group;
            campaign.recipientType = "members";
            campaign.name = name;
            campaign.senderEmail = "news@example.org";
            campaign.subject = name;
            campaign.html = "<p>Hi</p>";
            campaign.automatic = automatic;
            long id = st.campaigns->create(campaign);
            AudienceOwner owner{id, st.group, "members", "address"};
            st.audience->addTarget(owner, "members.filter", {{"filter", std::to_string(st.smartlist)}},
                                   false);
            st.audience->resolve(owner, 0);
            st.deliveries->schedule(id, SendPlan{}, false, 0);
            return id;
        };
        campaignTo("Newsletter", "");
        campaignTo("Weekly reminder", "occurrence");
        long list = st.inbox->open(st.group, "smartlist", st.smartlist);
        st.inbox->send(list, written("From the inbox"));
        long member = st.inbox->open(st.group, "member", st.anna);
        st.inbox->send(member, written("Just for Anna"));

        auto names = [&](long conversation, HistoryFilter filter)
        {
            std::string found;
            for (const HistoryItem& item : st.inbox->history(st.group, conversation, filter))
                found += (found.empty() ? "" : "|") + item.subject;
            return found;
        };
        CPPUNIT_ASSERT_EQUAL(std::string("Just for Anna|From the inbox|Weekly reminder|Newsletter"),
                             names(0, f()));
        CPPUNIT_ASSERT_EQUAL(std::string("From the inbox|Weekly reminder|Newsletter"), names(list, f()));
        CPPUNIT_ASSERT_EQUAL(std::string("Weekly reminder"), names(list, f("", "", "", "", "automatic")));
        CPPUNIT_ASSERT_EQUAL(std::string("Just for Anna"), names(member, f()));
        CPPUNIT_ASSERT_EQUAL(
            3L, st.inbox->history(st.group, list, f()).at(0).recipients); // its members with an address
    }

    void testInboundHandlerRecordsAnEmailReply()
    {
        Studio& st = the();
        long member = st.inbox->open(st.group, "member", st.dan);
        std::string address = st.inbox->replyAddress(st.group, member, "inbox@example.org");
        InboxReplies replies(*st.inbox);
        CrmHost::InboundMessage message;
        message.id = 42;
        message.recipients = {address};
        message.receivedAt = Poco::DateTime(2026, 12, 4, 16, 0, 0);
        message.raw = "From: Dan Test <dan@example.org>\r\nTo: " + address +
                      "\r\nSubject: Re: Hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee you "
                      "there.\r\n\r\nOn Fri, Studio wrote:\r\n> Hello Dan\r\n";
        CrmHost::InboundOutcome outcome = replies.handle(message);
        CPPUNIT_ASSERT(outcome.understood);
        HistoryItem item = st.inbox->history(st.group, member, f()).at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("See you there."), item.text);
        CPPUNIT_ASSERT_EQUAL(std::string("dan@example.org"), item.from);
        CPPUNIT_ASSERT_EQUAL(std::string("Re: Hello"), item.subject);
        // Forged: not understood (the host keeps it), yet kept in the inbox as unmatched.
        ReplyAddress theirs(std::string(32, 'x'));
        message.id = 43;
        message.recipients = {"reply+" + theirs.token({st.group, member}) + "@example.org"};
        outcome = replies.handle(message);
        CPPUNIT_ASSERT(!outcome.understood);
        CPPUNIT_ASSERT(outcome.detail.find("unmatched") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1L, st.inbox->unmatchedCount(st.group));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InboxTest);
