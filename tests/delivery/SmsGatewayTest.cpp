// The generic SMS gateway's parts that need no gateway (issue 15): the body template filled and
// escaped for its content type, the message id read from an answer (JSON pointer, regex), and
// the settings refused naming their key. The gateway itself: sms_gateway_test.sh.
#include "delivery/SmsGatewayTransport.h"
#include "delivery/SmsSettings.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>

using MassMailing::SmsGatewayTransport;
using MassMailing::SmsSettings;

class SmsGatewayTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmsGatewayTest);
    CPPUNIT_TEST(testTheBodyIsFilledEscapedForItsContentType);
    CPPUNIT_TEST(testTheMessageIdIsReadByPointerOrExpression);
    CPPUNIT_TEST(testSettingsAreRefusedNamingTheKey);
    CPPUNIT_TEST_SUITE_END();

    static std::string refusal(std::map<std::string, std::string> values)
    {
        try
        {
            SmsSettings::parse(
                [&](const std::string& key)
                {
                    auto found = values.find(key.substr(16)); // after "massmailing.sms."
                    return found == values.end() ? std::string() : found->second;
                });
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            return error.message().substr(0, error.message().find(' '));
        }
        return "accepted";
    }

public:
    void testTheBodyIsFilledEscapedForItsContentType()
    {
        const std::map<std::string, std::string> values{{"to", "+33612345678"},
                                                        {"text", "Dîner \"à 20h\"\nmerci & à+"},
                                                        {"from", "Studio"},
                                                        {"id", "mm-7"}};
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"to\": \"+33612345678\", \"from\": \"Studio\", \"text\": \"Dîner "
                        "\\\"à 20h\\\"\\nmerci & à+\", \"reference\": \"mm-7\"}"),
            SmsGatewayTransport::fill(SmsSettings::DEFAULT_BODY, "application/json", values));
        CPPUNIT_ASSERT_EQUAL(
            std::string("To=%2B33612345678&Body=D%C3%AEner%20%22%C3%A0%2020h%22%0Amerci%20%26%20%C3%A0%2B"),
            SmsGatewayTransport::fill("To={{to}}&Body={{ text }}", "application/x-www-form-urlencoded",
                                      values));
        CPPUNIT_ASSERT_EQUAL(std::string("<to>+33612345678</to>{{unknown}}"),
                             SmsGatewayTransport::fill("<to>{{to}}</to>{{unknown}}", "text/plain", values));
    }

    void testTheMessageIdIsReadByPointerOrExpression()
    {
        const std::string answer =
            "{\"messages\": [{\"message-id\": \"0A0000\", \"status\": \"0\"}], \"id\": 42}";
        CPPUNIT_ASSERT_EQUAL(std::string("0A0000"),
                             SmsGatewayTransport::idFrom("/messages/0/message-id", answer));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), SmsGatewayTransport::idFrom("/id", answer));
        CPPUNIT_ASSERT_EQUAL(std::string(""), SmsGatewayTransport::idFrom("/messages/3/id", answer));
        CPPUNIT_ASSERT_EQUAL(std::string(""), SmsGatewayTransport::idFrom("/id", "OK: not JSON"));
        CPPUNIT_ASSERT_EQUAL(std::string("SM123"),
                             SmsGatewayTransport::idFrom("regex:ID: (\\w+)", "OK ID: SM123"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), SmsGatewayTransport::idFrom("", answer));
    }

    void testSettingsAreRefusedNamingTheKey()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusal({{"outbox.dir", "/tmp/sms"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.sms.transport"),
                             refusal({{"transport", "carrier-pigeon"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.sms.http.url"),
                             refusal({{"transport", "http"}, {"http.url", "ftp://gateway"}}));
        CPPUNIT_ASSERT_EQUAL(
            std::string("massmailing.sms.http.body"),
            refusal({{"transport", "http"}, {"http.url", "https://gw.example"}, {"http.body", "{}"}}));
        CPPUNIT_ASSERT_EQUAL(
            std::string("massmailing.sms.http.password"),
            refusal({{"transport", "http"}, {"http.url", "https://gw.example"}, {"http.auth", "bearer"}}));
        CPPUNIT_ASSERT_EQUAL(
            std::string("massmailing.sms.http.message_id"),
            refusal(
                {{"transport", "http"}, {"http.url", "https://gw.example"}, {"http.message_id", "regex:("}}));
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusal({{"transport", "http"},
                                                               {"http.url", "https://gw.example/sms"},
                                                               {"http.auth", "header"},
                                                               {"http.user", "X-Api-Key"},
                                                               {"http.password", "k"},
                                                               {"http.message_id", "regex:id=(\\d+)"}}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmsGatewayTest);
