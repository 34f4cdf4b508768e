#include "TestDatabase.h"
#include "Migrator.h"
#include "TempFolder.h"
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/RegularExpression.h>
#include <Poco/TemporaryFile.h>
#include <vector>

using namespace Poco::Data::Keywords;

namespace CrmHostTests
{
namespace
{
// The connection string without its password, for messages.
std::string withoutPassword(const std::string& connect)
{
    std::string shown = connect;
    Poco::RegularExpression("password=[^;]*")
        .subst(shown, "password=***", Poco::RegularExpression::RE_GLOBAL);
    return shown;
}

std::string mysqlServer()
{
    std::string server = Poco::Environment::get("CRMHOST_TEST_MYSQL", "");
    if (server.empty())
        throw Poco::IllegalStateException(
            "CRMHOST_TEST_DB=mysql but CRMHOST_TEST_MYSQL is not set: give the MariaDB server as a Poco "
            "MySQL "
            "connection string without db=, e.g. \"host=127.0.0.1;port=3306;user=root;password=x\" "
            "(scripts/test.sh starts a private server and sets it)");
    if (server.find("db=") != std::string::npos)
        throw Poco::IllegalStateException(
            "CRMHOST_TEST_MYSQL must not name a database (db=): each suite makes its own");
    return server;
}

// SQLite in a temporary file of its own, removed when the database is destroyed.
class SqliteTestDatabase : public CrmHost::SqlDatabase
{
public:
    explicit SqliteTestDatabase(const std::string& file) : CrmHost::SqlDatabase("SQLite", file), _file(file)
    {
    }
    ~SqliteTestDatabase() override
    {
        if (Poco::Environment::get("CRMHOST_TEST_KEEP", "") == "1")
            return;
        // The pool's sessions close after this; on Linux an open file can be unlinked.
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        {
            try
            {
                Poco::File(_file + suffix).remove();
            }
            catch (...)
            {
            }
        }
    }

private:
    std::string _file;
};
} // namespace

std::string testDatabaseKind()
{
    std::string kind = Poco::Environment::get("CRMHOST_TEST_DB", "sqlite");
    if (kind != "sqlite" && kind != "mysql")
        throw Poco::IllegalStateException("CRMHOST_TEST_DB must be sqlite or mysql, not \"" + kind + "\"");
    if (kind == "mysql")
        mysqlServer();
    return kind;
}

TestDatabaseLocation makeEmptyTestDatabase(const std::string& name, const std::string& sqliteFile)
{
    if (testDatabaseKind() == "sqlite")
    {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        {
            Poco::File file(sqliteFile + suffix);
            if (file.exists())
                file.remove();
        }
        return {"SQLite", sqliteFile};
    }

    if (!Poco::RegularExpression("^[A-Za-z0-9_]{1,64}$").match(name))
        throw Poco::InvalidArgumentException("test database name \"" + name +
                                             "\" must be letters, digits and _");
    std::string server = mysqlServer();
    Poco::Data::MySQL::Connector::registerConnector();
    try
    {
        Poco::Data::Session admin("MySQL", server);
        admin << "DROP DATABASE IF EXISTS `" + name + "`", now;
        admin << "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", now;
    }
    catch (const Poco::Exception& error)
    {
        throw Poco::IllegalStateException("cannot make the test database " + name +
                                          " on the MariaDB server " + withoutPassword(server) +
                                          " (CRMHOST_TEST_MYSQL): " + error.displayText());
    }
    return {"MySQL", server + ";db=" + name};
}
} // namespace CrmHostTests

std::unique_ptr<CrmHost::SqlDatabase> makeTestDatabase(const std::string& name)
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    if (CrmHostTests::testDatabaseKind() == "sqlite")
    {
        std::string file = Poco::TemporaryFile::tempName(CrmHostTests::tempRoot()) + "-" + name + ".db";
        database = std::make_unique<CrmHostTests::SqliteTestDatabase>(file);
    }
    else
    {
        auto location = CrmHostTests::makeEmptyTestDatabase(name, "");
        database = std::make_unique<CrmHost::SqlDatabase>(location.connector, location.connect);
    }
    CrmHost::Migrator migrator(*database, std::string(CRMHOST_RESOURCE_DIR) + "/schema");
    migrator.migrate("host");
    migrator.migrate("massmailing");
    return database;
}

namespace CrmHostTests
{
TwoFoodGroups seedTwoFoodGroups(CrmHost::SqlDatabase& database, const std::string& firstName,
                                const std::string& lastName, const std::string& email,
                                const std::string& login)
{
    TwoFoodGroups world;
    Poco::Data::Session session = database.session();
    session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP des Capucins'), ('food', 'Autre')",
        now;
    std::vector<Poco::Int64> ids;
    session << "SELECT id FROM host_groups ORDER BY id", into(ids), now;
    world.group = long(ids.at(0));
    world.otherGroup = long(ids.at(1));
    std::string first = firstName, last = lastName, address = email;
    session << "INSERT INTO people (first_name, last_name, email) VALUES (?, ?, ?), ('Paul', 'Langevin', "
               "'paul@example.org')",
        use(first), use(last), use(address), now;
    std::vector<Poco::Int64> people;
    session << "SELECT id FROM people ORDER BY id", into(people), now;
    world.person = long(people.at(0));
    world.otherPerson = long(people.at(1));
    session << "INSERT INTO memberships (group_id, person_id) VALUES (?, ?), (?, ?)", use(world.group),
        use(world.person), use(world.group), use(world.otherPerson), now;
    std::string who = login;
    session << "INSERT INTO users (login, password_hash) VALUES (?, 'x')", use(who), now;
    session << "SELECT MAX(id) FROM users", into(world.user), now;
    return world;
}
} // namespace CrmHostTests
