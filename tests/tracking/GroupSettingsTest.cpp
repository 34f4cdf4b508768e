#include "GroupSettings.h"
#include "TestDatabase.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::GroupSettings;

// A group's own values of the module's settings: the module's value until the group sets one,
// checked by the very rules the module's settings obey.
class GroupSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GroupSettingsTest);
    CPPUNIT_TEST(testGroupValueOverridesTheModulesForThatGroupOnly);
    CPPUNIT_TEST(testValuesAreCheckedByTheModuleSettingsRules);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("massmailing_group_settings");
        _settings = std::make_unique<GroupSettings>(*_database, [](const std::string& key)
                                                    { return key == "massmailing.tracking" ? "on" : "7"; });
    }

    void tearDown() override
    {
        _settings.reset();
        _database.reset();
    }

    void testGroupValueOverridesTheModulesForThatGroupOnly()
    {
        CPPUNIT_ASSERT(_settings->on(1, "tracking"));
        _settings->set(1, "tracking", "off");
        CPPUNIT_ASSERT(!_settings->on(1, "tracking"));
        CPPUNIT_ASSERT(_settings->on(2, "tracking"));
        _settings->set(1, "bounce.soft_limit", "5");
        CPPUNIT_ASSERT_EQUAL(5L, _settings->number(1, "bounce.soft_limit"));
        _settings->set(1, "bounce.soft_limit", "");
        CPPUNIT_ASSERT_EQUAL(7L, _settings->number(1, "bounce.soft_limit"));
    }

    void testValuesAreCheckedByTheModuleSettingsRules()
    {
        assertRefused("tracking", "yes", "tracking: it must be on or off");
        assertRefused("bounce.soft_limit", "0", "bounce.soft_limit: it must be a whole number from 1 to 100");
        assertRefused("bounce.domain", "bounces@example.org", "bounce.domain: it must be a domain name");
        assertRefused("bounce.domain", "a..example.org", "bounce.domain: it must be a domain name");
        assertRefused("transport", "smtp", "transport: a group cannot set it");
        _settings->set(1, "bounce.domain", "bounces.example-group.org");
        CPPUNIT_ASSERT_EQUAL(std::string("bounces.example-group.org"), _settings->value(1, "bounce.domain"));
    }

private:
    void assertRefused(const std::string& name, const std::string& value, const std::string& message)
    {
        try
        {
            _settings->set(1, name, value);
            CPPUNIT_FAIL(name + " = " + value + " was taken");
        }
        catch (const Poco::InvalidArgumentException& e)
        {
            CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().rfind(message, 0) == 0);
        }
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<GroupSettings> _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GroupSettingsTest);
