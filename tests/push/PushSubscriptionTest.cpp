#include "push/PushSubscription.h"
#include "Base64.h"
#include "FieldException.h"
#include "push/P256Key.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace MassMailing;

// A browser's subscription as the subscribe page posts it: what is kept, what is refused and why.
class PushSubscriptionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PushSubscriptionTest);
    CPPUNIT_TEST(testABrowsersSubscriptionIsRead);
    CPPUNIT_TEST(testEachWrongFieldIsNamed);
    CPPUNIT_TEST(testOnlyHttpsOrLoopbackEndpointsAreTaken);
    CPPUNIT_TEST_SUITE_END();

    static std::string json(const std::string& endpoint, const std::string& p256dh, const std::string& auth)
    {
        return R"({"endpoint":")" + endpoint + R"(","expirationTime":null,"keys":{"p256dh":")" + p256dh +
               R"(","auth":")" + auth + R"("}})";
    }

    static std::string refusedField(const std::string& text, bool loopbackAllowed = true)
    {
        try
        {
            PushSubscription::parse(text, loopbackAllowed);
        }
        catch (const FieldException& error)
        {
            return error.field();
        }
        return "(taken)";
    }

public:
    void testABrowsersSubscriptionIsRead()
    {
        const std::string key = base64url(P256Key::generate().publicBytes());
        const PushSubscription s = PushSubscription::parse(
            json("https://fcm.googleapis.com/fcm/send/abc:def", key, "BTBZMqHH6r4Tts7J_aSIgg"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://fcm.googleapis.com/fcm/send/abc:def"), s.endpoint);
        CPPUNIT_ASSERT_EQUAL(key, s.p256dh);
        CPPUNIT_ASSERT_EQUAL(std::string("BTBZMqHH6r4Tts7J_aSIgg"), s.auth);
        // Padded base64url is kept unpadded.
        CPPUNIT_ASSERT_EQUAL(
            std::string("BTBZMqHH6r4Tts7J_aSIgg"),
            PushSubscription::parse(json("https://p.example/x", key, "BTBZMqHH6r4Tts7J_aSIgg==")).auth);
    }

    void testEachWrongFieldIsNamed()
    {
        const std::string key = base64url(P256Key::generate().publicBytes());
        CPPUNIT_ASSERT_EQUAL(std::string("subscription"), refusedField("not json"));
        CPPUNIT_ASSERT_EQUAL(std::string("subscription"), refusedField("[1,2]"));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"), refusedField(R"({"keys":{}})"));
        CPPUNIT_ASSERT_EQUAL(std::string("p256dh"), refusedField(R"({"endpoint":"https://p.example/x"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("p256dh"),
                             refusedField(R"({"endpoint":"https://p.example/x","keys":3})"));
        CPPUNIT_ASSERT_EQUAL(std::string("p256dh"),
                             refusedField(json("https://p.example/x", "BAAA", "BTBZMqHH6r4Tts7J_aSIgg")));
        // 65 bytes, 0x04 first, but not a point of the curve.
        CPPUNIT_ASSERT_EQUAL(
            std::string("p256dh"),
            refusedField(json("https://p.example/x", base64url("\x04" + std::string(64, '\x01')),
                              "BTBZMqHH6r4Tts7J_aSIgg")));
        CPPUNIT_ASSERT_EQUAL(std::string("p256dh"), refusedField(json("https://p.example/x", "@@@@", "x")));
        CPPUNIT_ASSERT_EQUAL(std::string("auth"), refusedField(json("https://p.example/x", key, "AAAA")));
    }

    void testOnlyHttpsOrLoopbackEndpointsAreTaken()
    {
        const std::string key = base64url(P256Key::generate().publicBytes());
        const std::string auth = "BTBZMqHH6r4Tts7J_aSIgg";
        CPPUNIT_ASSERT_EQUAL(std::string("(taken)"),
                             refusedField(json("http://127.0.0.1:9000/push/1", key, auth)));
        CPPUNIT_ASSERT_EQUAL(std::string("(taken)"),
                             refusedField(json("http://[::1]:9000/push/1", key, auth)));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"),
                             refusedField(json("http://push.example.net/1", key, auth)));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"), refusedField(json("ftp://127.0.0.1/1", key, auth)));
        // Loopback only where the setting allows it (a test's stand-in), never by default.
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"),
                             refusedField(json("http://127.0.0.1:9000/push/1", key, auth), false));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"),
                             refusedField(json("http://localhost:3306/", key, auth), false));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"), refusedField(json("/relative", key, auth)));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"),
                             refusedField(json("https://u:p@p.example/1", key, auth)));
        CPPUNIT_ASSERT_EQUAL(std::string("endpoint"),
                             refusedField(json("https://p.example/" + std::string(1000, 'a'), key, auth)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PushSubscriptionTest);
