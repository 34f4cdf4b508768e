#include "HostSettings.h"
#include "Migrator.h"
#include "TempFolder.h"
#include "TestDatabase.h"
#include <Poco/Data/DataException.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Util/MapConfiguration.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using CrmHostTests::TempFolder;

namespace
{
int count(CrmHost::Database& database, const std::string& sql)
{
    Poco::Data::Session session = database.session();
    int n = 0;
    session << sql, into(n), now;
    return n;
}
} // namespace

// The host's database layer on the database CRMHOST_TEST_DB names: sessions, migrations, settings.
class DatabaseTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DatabaseTest);
    CPPUNIT_TEST(testFreshDatabaseHasEveryMigrationRecordedOnce);
    CPPUNIT_TEST(testMigratingAgainAppliesNothing);
    CPPUNIT_TEST(testFailingMigrationNamesItsFileAndKeepsTheOnesBefore);
    CPPUNIT_TEST(testWriteAfterACommittedTransactionIsSeenByOtherConnections);
    CPPUNIT_TEST(testSettingSavedOnTheScreenWinsOverTheFileWhichWinsOverTheDefault);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _database = makeTestDatabase("crmhost_test_database"); }
    void tearDown() override { _database.reset(); }

    void testFreshDatabaseHasEveryMigrationRecordedOnce()
    {
        CPPUNIT_ASSERT_EQUAL(1, count(*_database,
                                      "SELECT COUNT(*) FROM schema_migrations WHERE component = 'host' "
                                      "AND name = '001_core.sql'"));
        CPPUNIT_ASSERT_EQUAL(1, count(*_database, "SELECT COUNT(*) FROM schema_migrations WHERE component = "
                                                  "'massmailing' AND name = '001_campaigns.sql'"));
        CPPUNIT_ASSERT_EQUAL(0, count(*_database, "SELECT COUNT(*) FROM host_groups"));
        CPPUNIT_ASSERT_EQUAL(0, count(*_database, "SELECT COUNT(*) FROM mm_campaigns"));
    }

    void testMigratingAgainAppliesNothing()
    {
        int before = count(*_database, "SELECT COUNT(*) FROM schema_migrations");
        CrmHost::Migrator migrator(*_database, std::string(CRMHOST_RESOURCE_DIR) + "/schema");
        CPPUNIT_ASSERT(migrator.migrate("host").empty());
        CPPUNIT_ASSERT(migrator.migrate("massmailing").empty());
        CPPUNIT_ASSERT(migrator.migrate("no_such_component").empty());
        CPPUNIT_ASSERT_EQUAL(before, count(*_database, "SELECT COUNT(*) FROM schema_migrations"));
    }

    void testFailingMigrationNamesItsFileAndKeepsTheOnesBefore()
    {
        TempFolder schema("schema");
        std::string dir =
            schema.file("broken/") + (_database->dialect() == CrmHost::Dialect::MySQL ? "mysql" : "sqlite");
        Poco::File(dir).createDirectories();
        Poco::FileOutputStream(dir + "/001_good.sql")
            << "-- a table\nCREATE TABLE broken_good (id INTEGER);\n";
        Poco::FileOutputStream(dir + "/002_bad.sql")
            << "CREATE TABLE broken_bad (id INTEGER);\nCREATE TABLEAU x;\n";
        CrmHost::Migrator migrator(*_database, schema.path());
        try
        {
            migrator.migrate("broken");
            CPPUNIT_FAIL("a migration with a syntax error was applied");
        }
        catch (const Poco::Data::DataException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(),
                                   error.displayText().find("002_bad.sql") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(
            1, count(*_database, "SELECT COUNT(*) FROM schema_migrations WHERE component = 'broken'"));
        CPPUNIT_ASSERT_EQUAL(0, count(*_database, "SELECT COUNT(*) FROM broken_good"));
        // Once fixed, the failed migration is applied, and only it.
        Poco::FileOutputStream(dir + "/002_bad.sql") << "CREATE TABLE broken_fixed (id INTEGER);\n";
        std::vector<std::string> applied = migrator.migrate("broken");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), applied.size());
        CPPUNIT_ASSERT_EQUAL(std::string("002_bad.sql"), applied.front());
    }

    void testWriteAfterACommittedTransactionIsSeenByOtherConnections()
    {
        {
            Poco::Data::Session session = _database->session();
            session.begin();
            session << "INSERT INTO settings (setting_key, setting_value) VALUES ('test.inside', 'x')", now;
            session.commit();
        }
        // The pool hands the same connection out again: its next write must be committed too.
        Poco::Data::Session again = _database->session();
        again << "INSERT INTO settings (setting_key, setting_value) VALUES ('test.after', 'y')", now;
        Poco::Data::Session other = _database->session(); // another connection: `again` is held
        int seen = 0;
        other << "SELECT COUNT(*) FROM settings WHERE setting_key IN ('test.inside', 'test.after')",
            into(seen), now;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a write after a transaction stayed uncommitted", 2, seen);
    }

    void testSettingSavedOnTheScreenWinsOverTheFileWhichWinsOverTheDefault()
    {
        Poco::AutoPtr<Poco::Util::MapConfiguration> file(new Poco::Util::MapConfiguration);
        CrmHost::Registry<CrmHost::Setting> declared("setting"); // none: any value is kept
        CrmHost::HostSettings settings(file, *_database, declared);
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), settings.get("massmailing.transport", "outbox"));
        file->setString("massmailing.transport", "smtp");
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), settings.get("massmailing.transport", "outbox"));
        settings.save("massmailing.transport", "mailjet");
        settings.save("massmailing.transport", "mailjet");
        CPPUNIT_ASSERT_EQUAL(std::string("mailjet"), settings.get("massmailing.transport", "outbox"));
        settings.clear("massmailing.transport");
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), settings.get("massmailing.transport", "outbox"));
    }

private:
    std::unique_ptr<CrmHost::SqlDatabase> _database;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseTest);
