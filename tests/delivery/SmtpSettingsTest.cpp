#include "delivery/SmtpSettings.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>
#include <map>

using MassMailing::SmtpSettings;

namespace
{
SmtpSettings parse(const std::map<std::string, std::string>& values)
{
    return SmtpSettings::parse(
        [&values](const std::string& key)
        {
            const auto it = values.find(key);
            if (it == values.end())
                throw Poco::NotFoundException(key);
            return it->second;
        });
}

// The message of the exception parse() throws for these values; "" when it throws none.
std::string refusal(const std::map<std::string, std::string>& values)
{
    try
    {
        parse(values);
        return "";
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        return error.message();
    }
}
} // namespace

class SmtpSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmtpSettingsTest);
    CPPUNIT_TEST(testSettingsAreReadFromTheModulesKeys);
    CPPUNIT_TEST(testEmptyPortFollowsTheTlsMode);
    CPPUNIT_TEST(testBadValuesAreRefusedNamingTheKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSettingsAreReadFromTheModulesKeys()
    {
        const SmtpSettings settings = parse({{"massmailing.smtp.host", " smtp.example.org "},
                                             {"massmailing.smtp.port", "2525"},
                                             {"massmailing.smtp.tls", "TLS"},
                                             {"massmailing.smtp.user", "mailer"},
                                             {"massmailing.smtp.password", "secret"},
                                             {"massmailing.smtp.verify", "no"}});
        CPPUNIT_ASSERT_EQUAL(std::string("smtp.example.org"), settings.host);
        CPPUNIT_ASSERT_EQUAL(Poco::UInt16(2525), settings.port);
        CPPUNIT_ASSERT(settings.tls == SmtpSettings::TlsMode::Tls);
        CPPUNIT_ASSERT_EQUAL(std::string("mailer"), settings.user);
        CPPUNIT_ASSERT_EQUAL(std::string("secret"), settings.password);
        CPPUNIT_ASSERT(!settings.verifyCertificate);
    }

    void testEmptyPortFollowsTheTlsMode()
    {
        CPPUNIT_ASSERT_EQUAL(Poco::UInt16(25),
                             parse({{"massmailing.smtp.host", "h"}, {"massmailing.smtp.tls", "none"}}).port);
        CPPUNIT_ASSERT_EQUAL(Poco::UInt16(587), parse({{"massmailing.smtp.host", "h"}}).port);
        CPPUNIT_ASSERT_EQUAL(Poco::UInt16(465),
                             parse({{"massmailing.smtp.host", "h"}, {"massmailing.smtp.tls", "tls"}}).port);
        CPPUNIT_ASSERT(parse({{"massmailing.smtp.host", "h"}}).verifyCertificate);
    }

    void testBadValuesAreRefusedNamingTheKey()
    {
        const std::map<std::string, std::string> good = {{"massmailing.smtp.host", "smtp.example.org"}};
        CPPUNIT_ASSERT_EQUAL(std::string(), refusal(good));
        const std::pair<std::map<std::string, std::string>, std::string> cases[] = {
            {{}, "massmailing.smtp.host"},
            {{{"massmailing.smtp.host", "smtp example"}}, "massmailing.smtp.host"},
            {{{"massmailing.smtp.port", "abc"}}, "massmailing.smtp.port"},
            {{{"massmailing.smtp.port", "0"}}, "massmailing.smtp.port"},
            {{{"massmailing.smtp.port", "70000"}}, "massmailing.smtp.port"},
            {{{"massmailing.smtp.tls", "ssl"}}, "massmailing.smtp.tls"},
            {{{"massmailing.smtp.user", "mailer"}}, "massmailing.smtp.password"},
            {{{"massmailing.smtp.password", "secret"}}, "massmailing.smtp.user"},
            {{{"massmailing.smtp.user", "a\r\nb"}, {"massmailing.smtp.password", "p"}},
             "massmailing.smtp.user"},
            {{{"massmailing.smtp.verify", "maybe"}}, "massmailing.smtp.verify"},
        };
        for (const auto& [values, key] : cases)
        {
            std::map<std::string, std::string> settings = good;
            if (values.empty())
                settings.clear();
            for (const auto& [name, value] : values)
                settings[name] = value;
            const std::string message = refusal(settings);
            CPPUNIT_ASSERT_MESSAGE(key + ": " + message, message.compare(0, key.size(), key) == 0);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpSettingsTest);
