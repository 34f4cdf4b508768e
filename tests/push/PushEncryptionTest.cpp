#include "push/PushEncryption.h"
#include "Base64.h"
#include "PushService.h"
#include "TempFolder.h"
#include "push/P256Key.h"
#include "push/PushMessage.h"
#include "push/PushSender.h"
#include "push/Vapid.h"
#include "tracking/SigningKey.h"
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StringTokenizer.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

using namespace MassMailing;

// The message encryption of RFC 8291 and the VAPID token of RFC 8292, checked against the RFC's
// own example and against OpenSSL's verification.
class PushEncryptionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PushEncryptionTest);
    CPPUNIT_TEST(testTheRfc8291ExampleIsEncryptedByteForByte);
    CPPUNIT_TEST(testEachMessageHasItsOwnKeyAndSalt);
    CPPUNIT_TEST(testAMessageTooLongForOneRecordIsRefused);
    CPPUNIT_TEST(testTheVapidTokenIsSignedForTheEndpointsOrigin);
    CPPUNIT_TEST(testTheVapidKeyIsMadeOnceForTheOwnerOnly);
    CPPUNIT_TEST(testRetryAfterIsReadInSecondsOrAsADate);
    CPPUNIT_TEST(testALongTextIsCutToFitTheRecord);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTheRfc8291ExampleIsEncryptedByteForByte()
    {
        // RFC 8291, appendix A.
        const P256Key server =
            P256Key::fromPrivate(unbase64url("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"),
            base64url(server.publicBytes()));
        const std::string body = PushEncryption::encrypt(
            "When I grow up, I want to be a watermelon",
            unbase64url(
                "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            unbase64url("BTBZMqHH6r4Tts7J_aSIgg"), server, unbase64url("DGv6ra1nlYgDCS1FRnbzlw"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6"
                        "e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3o"
                        "ZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"),
            base64url(body));
        // The ECDH of the example, from the browser's side.
        const P256Key browser =
            P256Key::fromPrivate(unbase64url("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"));
        CPPUNIT_ASSERT_EQUAL(std::string("kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs"),
                             base64url(browser.sharedSecret(P256Key::fromPublic(server.publicBytes()))));
    }

    void testEachMessageHasItsOwnKeyAndSalt()
    {
        const P256Key browser = P256Key::generate();
        const std::string auth(16, 'a');
        const std::string one = PushEncryption::encrypt("hello", browser.publicBytes(), auth);
        const std::string two = PushEncryption::encrypt("hello", browser.publicBytes(), auth);
        CPPUNIT_ASSERT_EQUAL(PushEncryption::HEADER_SIZE + 5 + 1 + 16, one.size());
        CPPUNIT_ASSERT(one.substr(0, 16) != two.substr(0, 16));
        CPPUNIT_ASSERT(one.substr(21, 65) != two.substr(21, 65));
        CPPUNIT_ASSERT_THROW(PushEncryption::encrypt("hello", std::string(65, '\x04'), auth),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(PushEncryption::encrypt("hello", browser.publicBytes(), "short"),
                             Poco::InvalidArgumentException);
    }

    void testAMessageTooLongForOneRecordIsRefused()
    {
        const P256Key browser = P256Key::generate();
        const std::string auth(16, 'a');
        const std::string body = PushEncryption::encrypt(std::string(PushEncryption::MAX_PLAINTEXT, 'x'),
                                                         browser.publicBytes(), auth);
        CPPUNIT_ASSERT_EQUAL(PushEncryption::RECORD_SIZE, body.size());
        CPPUNIT_ASSERT_THROW(PushEncryption::encrypt(std::string(PushEncryption::MAX_PLAINTEXT + 1, 'x'),
                                                     browser.publicBytes(), auth),
                             Poco::InvalidArgumentException);
    }

    void testTheVapidTokenIsSignedForTheEndpointsOrigin()
    {
        const Vapid vapid(P256Key::generate(), "mailto:admin@example.org");
        const Poco::Timestamp now;
        const std::string header = vapid.authorization("https://push.example.net:8443/wpush/v2/abc?x=1", now);
        CPPUNIT_ASSERT_EQUAL(std::string("vapid t="), header.substr(0, 8));
        const std::size_t comma = header.find(", k=");
        CPPUNIT_ASSERT(comma != std::string::npos);
        const std::string token = header.substr(8, comma - 8), key = header.substr(comma + 4);
        CPPUNIT_ASSERT_EQUAL(vapid.publicKey(), key);
        CPPUNIT_ASSERT_EQUAL(std::size_t(65), unbase64url(key).size());

        Poco::StringTokenizer parts(token, ".");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), parts.count());
        auto header64 = Poco::JSON::Parser().parse(unbase64url(parts[0])).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("ES256"), header64->getValue<std::string>("alg"));
        auto claims = Poco::JSON::Parser().parse(unbase64url(parts[1])).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("https://push.example.net:8443"),
                             claims->getValue<std::string>("aud"));
        CPPUNIT_ASSERT_EQUAL(std::string("mailto:admin@example.org"), claims->getValue<std::string>("sub"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(now.epochTime() + Vapid::TOKEN_SECONDS),
                             claims->getValue<Poco::Int64>("exp"));

        // JWS's ES256 is R || S, 64 bytes, verified with the public key alone.
        const std::string signature = unbase64url(parts[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), signature.size());
        const P256Key verifier = P256Key::fromPublic(unbase64url(key));
        CPPUNIT_ASSERT(verifier.verifyEs256(parts[0] + "." + parts[1], signature));
        CPPUNIT_ASSERT(!verifier.verifyEs256(parts[0] + "." + parts[1] + "x", signature));
        CPPUNIT_ASSERT(!P256Key::generate().verifyEs256(parts[0] + "." + parts[1], signature));

        CPPUNIT_ASSERT_EQUAL(std::string("https://fcm.googleapis.com"),
                             Vapid::origin("https://fcm.googleapis.com:443/fcm/send/x"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8081"),
                             Vapid::origin("http://127.0.0.1:8081/push/1"));
    }

    void testTheVapidKeyIsMadeOnceForTheOwnerOnly()
    {
        CrmHostTests::TempFolder data("push-vapid");
        const std::string first = PushTests::hostVapid(data.path(), "mailto:a@example.org").publicKey();
        const std::string second = PushTests::hostVapid(data.path(), "mailto:a@example.org").publicKey();
        CPPUNIT_ASSERT_EQUAL(first, second);
        struct stat info;
        CPPUNIT_ASSERT_EQUAL(0, ::stat((data.path() + "/" + Vapid::KEY_FILE_NAME).c_str(), &info));
        CPPUNIT_ASSERT_EQUAL(0600, int(info.st_mode & 0777));
        CrmHostTests::TempFolder other("push-vapid");
        CPPUNIT_ASSERT(PushTests::hostVapid(other.path(), "mailto:a@example.org").publicKey() != first);
    }

    void testRetryAfterIsReadInSecondsOrAsADate()
    {
        const Poco::Timestamp now = Poco::DateTime(2026, 12, 4, 20, 0, 0).timestamp();
        CPPUNIT_ASSERT_EQUAL(120, PushSender::retryAfter("120", now));
        CPPUNIT_ASSERT_EQUAL(90, PushSender::retryAfter("Fri, 04 Dec 2026 20:01:30 GMT", now));
        CPPUNIT_ASSERT_EQUAL(0, PushSender::retryAfter("Fri, 04 Dec 2026 19:00:00 GMT", now));
        CPPUNIT_ASSERT_EQUAL(-1, PushSender::retryAfter("", now));
        CPPUNIT_ASSERT_EQUAL(-1, PushSender::retryAfter("soon", now));
        CPPUNIT_ASSERT_EQUAL(-1, PushSender::retryAfter("Fri, 04 Dec 2026 20:01:30 XYZ", now));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Sent), int(PushSender::kindOf(201)));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Gone), int(PushSender::kindOf(410)));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Gone), int(PushSender::kindOf(404)));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Retry), int(PushSender::kindOf(429)));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Retry), int(PushSender::kindOf(503)));
        CPPUNIT_ASSERT_EQUAL(int(PushAnswer::Refused), int(PushSender::kindOf(413)));
    }

    void testALongTextIsCutToFitTheRecord()
    {
        std::string text;
        for (int i = 0; i < 1500; ++i)
            text += "é\"";
        const std::string payload =
            PushMessage{"Séance annulée", text, "https://crm.example.org/x"}.payload();
        CPPUNIT_ASSERT(payload.size() <= PushEncryption::MAX_PLAINTEXT);
        auto object = Poco::JSON::Parser().parse(payload).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("Séance annulée"), object->getValue<std::string>("title"));
        const std::string body = object->getValue<std::string>("body");
        CPPUNIT_ASSERT(body.size() > 1000 && body.size() < text.size());
        CPPUNIT_ASSERT_EQUAL(std::string("…"), body.substr(body.size() - 3));
        const PushMessage shortOne{"T", "Hi", ""};
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"body":"Hi","title":"T","url":""})"), shortOne.payload());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PushEncryptionTest);
