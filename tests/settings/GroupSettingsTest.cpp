#include "GroupSettings.h"
#include "FieldException.h"
#include "TestDatabase.h"
#include <cppunit/extensions/HelperMacros.h>
#include <map>

using namespace Poco::Data::Keywords;
using MassMailing::FieldException;
using MassMailing::GroupSettings;
using MassMailing::SecretBox;

// A group's and the host's settings as the settings screen sets them (issue 17): each value
// checked, naming the field; the host's values for every group; secrets sealed; every change
// recorded with who, when, the old and the new value, a secret's masked.
class GroupSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GroupSettingsTest);
    CPPUNIT_TEST(testBadValueIsRefusedNamingTheField);
    CPPUNIT_TEST(testAGroupCannotSetTheHostsTransport);
    CPPUNIT_TEST(testTheHostsValueHoldsForEveryGroupUntilOneSetsItsOwn);
    CPPUNIT_TEST(testEveryChangeIsRecordedWithWhoAndTheOldAndNewValue);
    CPPUNIT_TEST(testASecretIsStoredSealedAndRecordedMasked);
    CPPUNIT_TEST(testARefusedSecretDoesNotRepeatIt);
    CPPUNIT_TEST(testAFormIsStoredWholeOrNotAtAll);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_group_settings");
        _box = std::make_unique<SecretBox>(std::string(32, 's'));
        _file = {{"massmailing.transport", "outbox"},
                 {"massmailing.smtp.host", "127.0.0.1"},
                 {"massmailing.smtp.password", ""},
                 {"massmailing.quota.monthly", "0"},
                 {"massmailing.pacing.max_per_hour", "0"},
                 {"massmailing.tracking", "on"},
                 {"massmailing.country", ""},
                 {"massmailing.tracking.ip", "keep"}};
        GroupSettings::Declarations declarations;
        auto setting = [](const std::string& key, std::vector<std::string> allowed,
                          std::function<void(const std::string&)> check = nullptr) {
            return CrmHost::Setting{key, "", key + ".label", std::move(allowed), std::move(check)};
        };
        declarations.host = {setting("massmailing.transport", {"outbox", "smtp"}),
                             setting("massmailing.smtp.host", {}),
                             setting("massmailing.smtp.password", {},
                                     [](const std::string& v)
                                     {
                                         if (v.find('\n') != std::string::npos)
                                             throw Poco::InvalidArgumentException("no line break in " + v);
                                     }),
                             setting("massmailing.quota.monthly", {})};
        declarations.between = [](const std::function<std::string(const std::string&)>& value)
        {
            if (value("massmailing.transport") == "smtp" && value("massmailing.smtp.host").empty())
                throw Poco::InvalidArgumentException("massmailing.smtp.host is required");
        };
        _settings = std::make_unique<GroupSettings>(
            *_database, [this](const std::string& key) { return _file.at(key); }, declarations, _box.get());
    }

    void tearDown() override
    {
        _settings.reset();
        _database.reset();
    }

    void testBadValueIsRefusedNamingTheField()
    {
        try
        {
            _settings->set(7, "pacing.max_per_hour", "lots", 3);
            CPPUNIT_FAIL("a pacing that is not a number was taken");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("pacing.max_per_hour"), error.field());
            CPPUNIT_ASSERT_EQUAL(std::string("invalid"), error.code());
            CPPUNIT_ASSERT_EQUAL(
                std::string("pacing.max_per_hour: it must be a whole number from 0 to 10000000"),
                error.message());
        }
        CPPUNIT_ASSERT_THROW(_settings->set(7, "country", "France", 3), FieldException);
        CPPUNIT_ASSERT_THROW(_settings->set(7, "channel.sms", "maybe", 3), FieldException); // on, off
        CPPUNIT_ASSERT_THROW(_settings->set(7, "tracking.ip", "drop", 3), FieldException);
        CPPUNIT_ASSERT_THROW(_settings->set(GroupSettings::HOST, "smtp.password", std::string(301, 'p'), 1),
                             FieldException);
        _settings->set(GroupSettings::HOST, "smtp.password", std::string(300, 'p'), 1); // fits, sealed
        CPPUNIT_ASSERT_EQUAL(std::string(300, 'p'), _settings->value(GroupSettings::HOST, "smtp.password"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), _settings->value(7, "pacing.max_per_hour"));
        CPPUNIT_ASSERT(_settings->changes(7).empty());
    }

    void testAGroupCannotSetTheHostsTransport()
    {
        try
        {
            _settings->set(7, "transport", "smtp", 3);
            CPPUNIT_FAIL("a group set the host's transport");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("transport"), error.field());
            CPPUNIT_ASSERT_EQUAL(std::string("not_settable"), error.code());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), _settings->value(7, "transport"));
        _settings->set(GroupSettings::HOST, "transport", "smtp", 1);
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), _settings->value(GroupSettings::HOST, "transport"));
    }

    void testTheHostsValueHoldsForEveryGroupUntilOneSetsItsOwn()
    {
        _settings->set(GroupSettings::HOST, "tracking", "off", 1);
        CPPUNIT_ASSERT(!_settings->on(7, "tracking"));
        CPPUNIT_ASSERT(!_settings->on(8, "tracking"));
        _settings->set(7, "tracking", "on", 3);
        CPPUNIT_ASSERT(_settings->on(7, "tracking"));
        CPPUNIT_ASSERT(!_settings->on(8, "tracking"));
        _settings->set(7, "tracking", "", 3); // the host's again
        CPPUNIT_ASSERT(!_settings->on(7, "tracking"));
    }

    void testEveryChangeIsRecordedWithWhoAndTheOldAndNewValue()
    {
        _settings->set(7, "pacing.max_per_hour", "500", 3);
        _settings->set(7, "pacing.max_per_hour", "800", 4);
        _settings->set(8, "country", "BE", 5);
        const auto changes = _settings->changes(7);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), changes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("pacing.max_per_hour"), changes[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("500"), changes[0].oldValue);
        CPPUNIT_ASSERT_EQUAL(std::string("800"), changes[0].newValue);
        CPPUNIT_ASSERT_EQUAL(4L, changes[0].userId);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), changes[1].oldValue);
        CPPUNIT_ASSERT_EQUAL(3L, changes[1].userId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(19), changes[1].at.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _settings->changes(8).size());
    }

    void testASecretIsStoredSealedAndRecordedMasked()
    {
        _settings->set(GroupSettings::HOST, "smtp.password", "Tr3s-Secret", 1);
        CPPUNIT_ASSERT_EQUAL(std::string("Tr3s-Secret"),
                             _settings->value(GroupSettings::HOST, "smtp.password"));
        Poco::Data::Session session = _database->session();
        std::vector<std::string> stored, olds, news;
        session << "SELECT value FROM mm_group_settings WHERE name = 'smtp.password'", into(stored), now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stored.size());
        CPPUNIT_ASSERT(SecretBox::isSealed(stored[0]));
        CPPUNIT_ASSERT(stored[0].find("Tr3s-Secret") == std::string::npos);
        _settings->set(GroupSettings::HOST, "smtp.password", "Autre-Secret", 1);
        session << "SELECT old_value, new_value FROM mm_setting_changes ORDER BY id", into(olds), into(news),
            now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), olds.size());
        CPPUNIT_ASSERT_EQUAL(std::string("(empty)"), olds[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("(changed)"), news[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("(set)"), olds[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("(changed)"), news[1]);
    }

    void testARefusedSecretDoesNotRepeatIt()
    {
        try
        {
            _settings->set(GroupSettings::HOST, "smtp.password", "Tr3s\nSecret", 1);
            CPPUNIT_FAIL("a password with a line break was taken");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("smtp.password"), error.field());
            CPPUNIT_ASSERT(error.message().find("Tr3s") == std::string::npos);
        }
    }

    void testAFormIsStoredWholeOrNotAtAll()
    {
        auto refused = _settings->setAll(7, {{"country", "FR"}, {"pacing.max_per_hour", "-1"}}, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), refused.size());
        CPPUNIT_ASSERT_EQUAL(std::string("pacing.max_per_hour: it must be a whole number from 0 to 10000000"),
                             refused["pacing.max_per_hour"]);
        CPPUNIT_ASSERT_EQUAL(std::string(), _settings->value(7, "country"));
        // The rules between the host's values, with the form's new ones.
        _file["massmailing.smtp.host"] = "";
        refused = _settings->setAll(GroupSettings::HOST, {{"transport", "smtp"}}, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("smtp.host is required"), refused["smtp.host"]);
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), _settings->value(GroupSettings::HOST, "transport"));
        CPPUNIT_ASSERT(_settings->changes(GroupSettings::HOST).empty());
        refused = _settings->setAll(GroupSettings::HOST,
                                    {{"transport", "smtp"}, {"smtp.host", "relay.example"}}, 1);
        CPPUNIT_ASSERT(refused.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), _settings->value(GroupSettings::HOST, "transport"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _settings->changes(GroupSettings::HOST).size());
    }

private:
    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<SecretBox> _box;
    std::map<std::string, std::string> _file;
    std::unique_ptr<GroupSettings> _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GroupSettingsTest);
