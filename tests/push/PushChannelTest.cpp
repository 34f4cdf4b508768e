#include "push/PushChannel.h"
#include "PushService.h"
#include "TempFolder.h"
#include "TestDatabase.h"
#include "content/Campaigns.h"
#include "delivery/TransportException.h"
#include "push/PushDelivery.h"
#include "push/PushSender.h"
#include "push/PushSubscriptions.h"
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace MassMailing;
using PushTests::hostVapid;
using PushTests::PushService;

// A push campaign's rows through the channel seam (delivery/Channel.h): each member's
// notification written from the campaign (subject and text personalised), handed to the push
// transport, which reaches each of the member's devices at the stand-in; a member reached on no
// device fails for good, one whose service is down is tried again later.
class PushChannelTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PushChannelTest);
    CPPUNIT_TEST(testEachMemberGetsTheSubjectAndTextPersonalisedOnEveryDevice);
    CPPUNIT_TEST(testAMemberReachedOnNoDeviceFailsForGood);
    CPPUNIT_TEST(testAServiceThatStaysDownIsTriedAgainLater);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    CrmHostTests::TwoFoodGroups _world;
    std::unique_ptr<CrmHostTests::TempFolder> _folder;
    std::unique_ptr<Vapid> _vapid;
    std::unique_ptr<PushService> _service;
    std::unique_ptr<PushSubscriptions> _subscriptions;
    std::unique_ptr<PushSender> _sender;
    std::unique_ptr<PushDelivery> _delivery;
    std::unique_ptr<Campaigns> _campaigns;
    std::unique_ptr<PushChannel> _channel;

    Campaign campaign() const
    {
        Campaign c;
        c.id = 5;
        c.groupId = _world.group;
        c.channel = "push";
        c.subject = "Bonjour {{first_name}}";
        c.text = "Les paniers de {{group_name}} arrivent jeudi.";
        return c;
    }

    Recipient member(long person, const std::string& firstName, long row) const
    {
        return Recipient{"person", person, "x@example.org", firstName, "", "", "fr", row};
    }

    Handover written(const Recipient& recipient) const
    {
        return _channel->messages(campaign())->write(recipient);
    }

    void subscribe(long person, const std::string& mode)
    {
        _subscriptions->add(_world.group, person, _service->subscribe(mode), "Chromium",
                            "2026-12-04 20:00:00");
    }

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_push_channel");
        _world =
            CrmHostTests::seedTwoFoodGroups(*_database, "Marie", "Sklodowska", "marie@example.org", "admin");
        _folder = std::make_unique<CrmHostTests::TempFolder>("push-channel");
        _vapid = std::make_unique<Vapid>(hostVapid(_folder->path(), "mailto:amap@example.org"));
        _service = std::make_unique<PushService>(_folder->file("service"), _vapid->publicKey());
        _subscriptions = std::make_unique<PushSubscriptions>(*_database);
        _sender = std::make_unique<PushSender>(*_vapid, PushSender::Settings{3600, "normal", 10, true, true},
                                               [] { return Poco::Timestamp(); });
        _delivery = std::make_unique<PushDelivery>(
            *_subscriptions, *_sender, [](int) {}, PushDelivery::Settings{});
        _campaigns = std::make_unique<Campaigns>(*_database);
        _channel =
            std::make_unique<PushChannel>(*_campaigns, *_delivery,
                                          [](const Campaign& c, const Recipient&)
                                          { return "https://crm.example.org/view/" + std::to_string(c.id); });
    }

    void tearDown() override
    {
        _channel.reset();
        _service.reset();
        _database.reset();
        _folder.reset();
    }

    void testEachMemberGetsTheSubjectAndTextPersonalisedOnEveryDevice()
    {
        subscribe(_world.person, "ok");
        subscribe(_world.person, "ok");
        CPPUNIT_ASSERT_EQUAL(std::string("push"), _channel->name());
        const Handover handover = written(member(_world.person, "Marie", 11));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), handover.envelope.recipients.size());
        CPPUNIT_ASSERT_EQUAL(PushChannel::destination(_world.group, _world.person),
                             handover.envelope.recipients[0]);
        _channel->transport()->send(handover.envelope, handover.bytes);

        const auto received = _service->received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), received.size());
        for (const auto& message : received)
        {
            CPPUNIT_ASSERT(message->getValue<bool>("vapid_ok"));
            auto shown = Poco::JSON::Parser()
                             .parse(message->getValue<std::string>("plaintext"))
                             .extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Marie"), shown->getValue<std::string>("title"));
            CPPUNIT_ASSERT_EQUAL(std::string("Les paniers de AMAP des Capucins arrivent jeudi."),
                                 shown->getValue<std::string>("body"));
            CPPUNIT_ASSERT_EQUAL(std::string("https://crm.example.org/view/5"),
                                 shown->getValue<std::string>("url"));
        }
        // Only members have devices.
        CPPUNIT_ASSERT_THROW(written(Recipient{"lead", 3, "l@example.org", "", "", "", "fr", 12}),
                             Poco::DataException);
    }

    void testAMemberReachedOnNoDeviceFailsForGood()
    {
        subscribe(_world.person, "gone");
        for (long person : {_world.person, _world.otherPerson})
        {
            const Handover handover = written(member(person, "X", 20 + person));
            try
            {
                _channel->transport()->send(handover.envelope, handover.bytes);
                CPPUNIT_FAIL("sent to a member without any device");
            }
            catch (const TransportException& error)
            {
                CPPUNIT_ASSERT(error.permanent());
                CPPUNIT_ASSERT_EQUAL(
                    std::string(person == _world.person ? "subscription gone" : "no subscription"),
                    error.message());
            }
        }
        CPPUNIT_ASSERT(_subscriptions->ofPerson(_world.group, _world.person).empty());
    }

    void testAServiceThatStaysDownIsTriedAgainLater()
    {
        subscribe(_world.person, "down");
        const Handover handover = written(member(_world.person, "Marie", 30));
        try
        {
            _channel->transport()->send(handover.envelope, handover.bytes);
            CPPUNIT_FAIL("a service that is down took it");
        }
        catch (const TransportException& error)
        {
            CPPUNIT_ASSERT(error.temporary());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _subscriptions->ofPerson(_world.group, _world.person).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PushChannelTest);
