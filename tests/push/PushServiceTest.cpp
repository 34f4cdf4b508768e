#include "PushService.h"
#include "Base64.h"
#include "TempFolder.h"
#include "TestDatabase.h"
#include "push/PushDelivery.h"
#include "push/PushSender.h"
#include "push/PushSubscriptions.h"
#include "push/Vapid.h"
#include "tracking/SigningKey.h"
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace MassMailing;
using PushTests::hostVapid;
using PushTests::PushService;

// The sending side of Web Push against a push service stand-in on loopback: every device of a
// member gets the message, decryptable with its keys and authorised by the host's VAPID key; a
// gone subscription is removed; 429 and 5xx wait and try again.
class PushServiceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PushServiceTest);
    CPPUNIT_TEST(testEveryDeviceOfTheMemberGetsTheMessageDecryptedAndAuthorised);
    CPPUNIT_TEST(testAGoneSubscriptionIsRemoved);
    CPPUNIT_TEST(testTooManyRequestsWaitsAsToldAndTriesAgain);
    CPPUNIT_TEST(testAServiceThatStaysDownIsLeftForLaterAfterBackingOff);
    CPPUNIT_TEST(testAMemberWithoutDeviceIsNotReached);
    CPPUNIT_TEST(testSubscribingAgainReplacesTheDevice);
    CPPUNIT_TEST(testAServiceOverHttpsIsReachedWithTls);
    CPPUNIT_TEST(testACertificateNotTrustedIsNotSentTo);
    CPPUNIT_TEST_SUITE_END();

    static constexpr long GROUP = 7;
    static constexpr long ALICE = 41;
    static constexpr long BOB = 42;

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<CrmHostTests::TempFolder> _folder;
    std::unique_ptr<Vapid> _vapid;
    std::unique_ptr<PushService> _service;
    std::unique_ptr<PushSubscriptions> _subscriptions;
    std::unique_ptr<PushSender> _sender;
    std::vector<int> _waits;

    PushDelivery delivery()
    {
        return PushDelivery(*_subscriptions, *_sender, [this](int seconds) { _waits.push_back(seconds); },
                            {});
    }

    void subscribe(long person, const std::string& mode, const std::string& agent = "Chromium test")
    {
        _subscriptions->add(GROUP, person, _service->subscribe(mode), agent, "2026-12-04 20:00:00");
    }

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_push");
        _folder = std::make_unique<CrmHostTests::TempFolder>("push-service");
        _vapid = std::make_unique<Vapid>(hostVapid(_folder->path(), "mailto:studio@example.org"));
        _service = std::make_unique<PushService>(_folder->file("service"), _vapid->publicKey());
        _subscriptions = std::make_unique<PushSubscriptions>(*_database);
        _sender = std::make_unique<PushSender>(*_vapid, PushSender::Settings{3600, "high", 10, true, true},
                                               [] { return Poco::Timestamp(); });
        _waits.clear();
    }

    void tearDown() override
    {
        _service.reset();
        _database.reset();
        _folder.reset();
    }

    void testEveryDeviceOfTheMemberGetsTheMessageDecryptedAndAuthorised()
    {
        subscribe(ALICE, "ok", "Chromium on a phone");
        subscribe(ALICE, "ok", "Firefox on a laptop");
        subscribe(BOB, "ok");
        const auto outcome = delivery().deliver(
            GROUP, ALICE,
            {"Yoga du mardi", "La séance de 18 h est déplacée à 19 h.", "https://crm.example.org/s/9"});
        CPPUNIT_ASSERT_EQUAL(2, outcome.subscriptions);
        CPPUNIT_ASSERT_EQUAL(2, outcome.sent);
        CPPUNIT_ASSERT(outcome.delivered());

        const auto received = _service->received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), received.size());
        for (const auto& message : received)
        {
            CPPUNIT_ASSERT_EQUAL(std::string(""), message->getValue<std::string>("decrypt_error"));
            auto shown = Poco::JSON::Parser()
                             .parse(message->getValue<std::string>("plaintext"))
                             .extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(std::string("Yoga du mardi"), shown->getValue<std::string>("title"));
            CPPUNIT_ASSERT_EQUAL(std::string("La séance de 18 h est déplacée à 19 h."),
                                 shown->getValue<std::string>("body"));
            CPPUNIT_ASSERT_EQUAL(std::string("https://crm.example.org/s/9"),
                                 shown->getValue<std::string>("url"));
            CPPUNIT_ASSERT_EQUAL(std::string(""), message->getValue<std::string>("vapid_error"));
            CPPUNIT_ASSERT(message->getValue<bool>("vapid_ok"));
            CPPUNIT_ASSERT_EQUAL(std::string("mailto:studio@example.org"),
                                 message->getValue<std::string>("sub"));
            CPPUNIT_ASSERT_EQUAL(std::string("3600"), message->getValue<std::string>("ttl"));
            CPPUNIT_ASSERT_EQUAL(std::string("high"), message->getValue<std::string>("urgency"));
            CPPUNIT_ASSERT_EQUAL(std::string("aes128gcm"),
                                 message->getValue<std::string>("content_encoding"));
            CPPUNIT_ASSERT_EQUAL(201, message->getValue<int>("status"));
        }
        CPPUNIT_ASSERT(received[0]->getValue<std::string>("subscription") !=
                       received[1]->getValue<std::string>("subscription"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _subscriptions->ofPerson(GROUP, ALICE).size());
    }

    void testAGoneSubscriptionIsRemoved()
    {
        subscribe(ALICE, "gone");
        subscribe(ALICE, "ok");
        auto outcome = delivery().deliver(GROUP, ALICE, {"T", "text", ""});
        CPPUNIT_ASSERT_EQUAL(1, outcome.sent);
        CPPUNIT_ASSERT_EQUAL(1, outcome.gone);
        const auto left = _subscriptions->ofPerson(GROUP, ALICE);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), left.size());

        // Once the last one is gone too, the member is not reached, and says why.
        _subscriptions->remove(GROUP, left[0].id);
        subscribe(ALICE, "gone");
        outcome = delivery().deliver(GROUP, ALICE, {"T", "text", ""});
        CPPUNIT_ASSERT(!outcome.delivered());
        CPPUNIT_ASSERT_EQUAL(std::string("subscription gone"), outcome.reason);
        CPPUNIT_ASSERT(_subscriptions->ofPerson(GROUP, ALICE).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _service->received().size());
        CPPUNIT_ASSERT(_waits.empty());
    }

    void testTooManyRequestsWaitsAsToldAndTriesAgain()
    {
        subscribe(ALICE, "busy"); // 429 with Retry-After: 2, twice, then 201
        const auto outcome = delivery().deliver(GROUP, ALICE, {"T", "text", ""});
        CPPUNIT_ASSERT_EQUAL(1, outcome.sent);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _waits.size());
        CPPUNIT_ASSERT_EQUAL(2, _waits[0]);
        CPPUNIT_ASSERT_EQUAL(2, _waits[1]);
        const auto received = _service->received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), received.size());
        CPPUNIT_ASSERT_EQUAL(429, received[0]->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(201, received[2]->getValue<int>("status"));
    }

    void testAServiceThatStaysDownIsLeftForLaterAfterBackingOff()
    {
        subscribe(ALICE, "down"); // 503 always, no Retry-After
        const auto outcome = delivery().deliver(GROUP, ALICE, {"T", "text", ""});
        CPPUNIT_ASSERT(!outcome.delivered());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _waits.size());
        CPPUNIT_ASSERT_EQUAL(1, _waits[0]);
        CPPUNIT_ASSERT_EQUAL(2, _waits[1]);
        CPPUNIT_ASSERT_EQUAL(4, outcome.retryAfterSeconds);
        CPPUNIT_ASSERT_EQUAL(std::string("503 Service Unavailable"), outcome.reason);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _service->received().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _subscriptions->ofPerson(GROUP, ALICE).size());
    }

    void testAMemberWithoutDeviceIsNotReached()
    {
        subscribe(BOB, "ok");
        const auto outcome = delivery().deliver(GROUP, ALICE, {"T", "text", ""});
        CPPUNIT_ASSERT(!outcome.delivered());
        CPPUNIT_ASSERT_EQUAL(std::string("no subscription"), outcome.reason);
        CPPUNIT_ASSERT(_service->received().empty());
    }

    void testAServiceOverHttpsIsReachedWithTls()
    {
        CrmHostTests::TempFolder folder("push-tls");
        PushService tls(folder.path(), _vapid->publicKey(), true);
        const PushSubscription subscription = tls.subscribe("ok");
        CPPUNIT_ASSERT_EQUAL(std::string("https://127.0.0.1:"), subscription.endpoint.substr(0, 18));
        // A self-signed certificate: not verified here (tests only), as SmtpTransport's tests do.
        const PushSender sender(*_vapid, PushSender::Settings{60, "low", 10, false, false},
                                [] { return Poco::Timestamp(); });
        const PushAnswer answer =
            sender.send(subscription, R"({"title":"TLS","body":"over https","url":""})");
        CPPUNIT_ASSERT_EQUAL(std::string("201 Created"), answer.detail);
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Sent), int(answer.kind));
        const auto received = tls.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), received.size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"title":"TLS","body":"over https","url":""})"),
                             received[0]->getValue<std::string>("plaintext"));
        CPPUNIT_ASSERT(received[0]->getValue<bool>("vapid_ok"));
        CPPUNIT_ASSERT_EQUAL(std::string("low"), received[0]->getValue<std::string>("urgency"));
    }

    void testACertificateNotTrustedIsNotSentTo()
    {
        CrmHostTests::TempFolder folder("push-tls");
        PushService tls(folder.path(), _vapid->publicKey(), true);
        const PushSubscription subscription = tls.subscribe("ok");
        const PushSender sender(*_vapid, PushSender::Settings{}, [] { return Poco::Timestamp(); });
        const PushAnswer answer = sender.send(subscription, "{}");
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Retry), int(answer.kind));
        CPPUNIT_ASSERT_EQUAL(0, answer.status);
        CPPUNIT_ASSERT(tls.received().empty());
    }

    void testSubscribingAgainReplacesTheDevice()
    {
        const PushSubscription first = _service->subscribe("ok");
        _subscriptions->add(GROUP, ALICE, first, "Chromium", "2026-12-04 20:00:00");
        // The same browser, now used by Bob: one row, his.
        _subscriptions->add(GROUP, BOB, first, "Chromium", "2026-12-04 20:05:00");
        CPPUNIT_ASSERT(_subscriptions->ofPerson(GROUP, ALICE).empty());
        const auto bobs = _subscriptions->ofPerson(GROUP, BOB);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), bobs.size());
        CPPUNIT_ASSERT_EQUAL(first.endpoint, bobs[0].endpoint);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-04 20:05:00"), bobs[0].createdAt);
        // Another group keeps its own row.
        _subscriptions->add(GROUP + 1, ALICE, first, "Chromium", "2026-12-04 20:06:00");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _subscriptions->ofPerson(GROUP, BOB).size());
        CPPUNIT_ASSERT(_subscriptions->removeEndpoint(GROUP, first.endpoint));
        CPPUNIT_ASSERT(!_subscriptions->removeEndpoint(GROUP, first.endpoint));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _subscriptions->ofPerson(GROUP + 1, ALICE).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PushServiceTest);
