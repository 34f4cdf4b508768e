// Channels (issue 15): an SMS campaign goes through the same dispatcher as email (claims, the
// journal, statuses), its rows' texts personalised and counted (content/SmsText) into the SMS
// outbox; a campaign of a channel without a transport pauses, saying so; a delivery report
// settles a row's final status (Deliveries::reported).
#include "DispatchFixture.h"
#include "TempFolder.h"
#include "delivery/Dispatcher.h"
#include "delivery/SmsChannel.h"
#include "delivery/SmsOutboxTransport.h"
#include <Poco/Data/Session.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <map>

using namespace Poco::Data::Keywords;

namespace DeliveryTests
{
class DispatchSmsTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchSmsTest);
    CPPUNIT_TEST(testEachNumberGetsItsPersonalisedSmsOnceInTheOutbox);
    CPPUNIT_TEST(testAnEmojiMakesTheSmsUcs2);
    CPPUNIT_TEST(testACampaignOfAChannelWithoutTransportPausesWithTheReason);
    CPPUNIT_TEST(testReportsSetTheFinalStatus);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<CrmHostTests::TempFolder> _sms;

    long smsCampaign(const std::vector<std::string>& numbers, const std::string& text)
    {
        long campaign = newCampaign(numbers);
        Poco::Data::Session session = testDatabase().session();
        std::string body = text;
        session << "UPDATE mm_campaigns SET channel = 'sms', subject = '', html = '', sender_email = '', "
                   "text_body = ? WHERE id = ?",
            use(body), use(campaign), now;
        return campaign;
    }

    void useSmsOutbox()
    {
        _sms = std::make_unique<CrmHostTests::TempFolder>("dispatch-sms");
        std::string dir = _sms->path();
        dispatcher().addChannel(std::make_shared<MassMailing::SmsChannel>(campaigns(),
                                                                          [dir]
                                                                          {
                                                                              MassMailing::SmsSettings s;
                                                                              s.outboxDir = dir;
                                                                              s.from = "Studio";
                                                                              return s;
                                                                          }));
    }

    // The SMS outbox's files, by number.
    std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> smsOutbox() const
    {
        std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> found;
        for (Poco::DirectoryIterator it(_sms->path()), end; it != end; ++it)
        {
            if (!MassMailing::SmsOutboxTransport::isMessageName(it.name()))
                continue;
            Poco::FileInputStream in(it.path().toString());
            auto json = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
            found[json->getValue<std::string>("to")].push_back(json);
        }
        return found;
    }

public:
    void tearDown() override
    {
        DispatchFixture::tearDown();
        _sms.reset();
    }

    void testEachNumberGetsItsPersonalisedSmsOnceInTheOutbox()
    {
        useSmsOutbox();
        std::vector<std::string> numbers;
        for (int i = 10; i < 40; ++i)
            numbers.push_back("+336123456" + std::to_string(i));
        long campaign = smsCampaign(numbers, "Bonjour {{first_name}}, cours à 18h [salle 2] : 12€");
        sendNow(campaign);
        while (runOnce())
            ;
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(30L, count(campaign, "sent"));
        auto box = smsOutbox();
        CPPUNIT_ASSERT_EQUAL(std::size_t(30), box.size());
        for (const auto& [number, messages] : box)
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(number, std::size_t(1), messages.size());
            const auto& sms = messages.front();
            CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Ann, cours à 18h [salle 2] : 12€"),
                                 sms->getValue<std::string>("text"));
            CPPUNIT_ASSERT_EQUAL(std::string("gsm7"), sms->getValue<std::string>("encoding"));
            CPPUNIT_ASSERT_EQUAL(1, sms->getValue<int>("segments"));
            CPPUNIT_ASSERT_EQUAL(std::string("Studio"), sms->getValue<std::string>("from"));
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), sms->getValue<std::string>("reference").find("mm-"));
        }
        // Each row knows its message's id (the outbox file's), for reports that name it.
        CPPUNIT_ASSERT_EQUAL(30L, numberOf("SELECT COUNT(DISTINCT m.recipient_id) FROM mm_message_ids m JOIN "
                                           "mm_recipients r ON r.id = m.recipient_id WHERE r.campaign_id = " +
                                           std::to_string(campaign)));
    }

    void testAnEmojiMakesTheSmsUcs2()
    {
        useSmsOutbox();
        long campaign =
            smsCampaign({"+33612345678"}, "Merci {{first_name}} \xF0\x9F\x98\x80 " + std::string(70, 'x'));
        sendNow(campaign);
        while (runOnce())
            ;
        auto sms = smsOutbox().at("+33612345678").front();
        CPPUNIT_ASSERT_EQUAL(std::string("ucs2"), sms->getValue<std::string>("encoding"));
        CPPUNIT_ASSERT_EQUAL(2, sms->getValue<int>("segments")); // 82 UTF-16 units: two of 67
    }

    void testACampaignOfAChannelWithoutTransportPausesWithTheReason()
    {
        long campaign = newCampaign(2);
        execute("UPDATE mm_campaigns SET channel = 'push' WHERE id = " + std::to_string(campaign));
        sendNow(campaign);
        CPPUNIT_ASSERT_THROW(runOnce(), MassMailing::SendBlockedException);
        CPPUNIT_ASSERT_EQUAL(std::string("paused"), statusOf(campaign));
        CPPUNIT_ASSERT(campaignText(campaign, "pause_reason").find("push") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "queued"));
    }

    void testReportsSetTheFinalStatus()
    {
        useSmsOutbox();
        long campaign = smsCampaign({"+33612345601", "+33612345602", "+33612345603"}, "Hello");
        sendNow(campaign);
        while (runOnce())
            ;
        using Change = MassMailing::Deliveries::ReportChange;
        auto report = [&](const std::string& number, bool delivered, const std::string& why)
        {
            Poco::Data::Session session = testDatabase().session();
            return MassMailing::Deliveries::reported(session, row(campaign, number).id, delivered, why,
                                                     Poco::DateTime());
        };
        CPPUNIT_ASSERT(report("+33612345601", true, "") == Change::Recorded);
        CPPUNIT_ASSERT(report("+33612345602", false, "unknown subscriber") == Change::Recorded);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "+33612345601").status);
        RowState failed = row(campaign, "+33612345602");
        CPPUNIT_ASSERT_EQUAL(std::string("bounced"), failed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown subscriber"), failed.detail);
        // A row in doubt the gateway had: its report says so, it is sent.
        execute("UPDATE mm_recipients SET status = 'in_doubt' WHERE email = '+33612345603'");
        CPPUNIT_ASSERT(report("+33612345603", true, "") == Change::Recorded);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "+33612345603").status);
        // A row not handed over yet: later. No such row: unknown.
        execute("UPDATE mm_recipients SET status = 'leased' WHERE email = '+33612345603'");
        CPPUNIT_ASSERT(report("+33612345603", true, "") == Change::NotYet);
        Poco::Data::Session session = testDatabase().session();
        CPPUNIT_ASSERT(MassMailing::Deliveries::reported(session, 999999999, true, "", Poco::DateTime()) ==
                       Change::Unknown);
        CPPUNIT_ASSERT_EQUAL(
            3L, numberOf("SELECT COUNT(*) FROM mm_recipients WHERE report <> '' AND campaign_id = " +
                         std::to_string(campaign)));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchSmsTest, DispatchFixture::REGISTRY);
} // namespace DeliveryTests
