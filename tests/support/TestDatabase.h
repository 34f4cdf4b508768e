#ifndef CrmHostTests_TestDatabase_INCLUDED
#define CrmHostTests_TestDatabase_INCLUDED

#include "SqlDatabase.h"
#include <memory>
#include <string>

// The database a suite runs against is chosen by the environment, so that ctest runs every
// suite that touches SQL twice (NAME.sqlite and NAME.mysql):
//   CRMHOST_TEST_DB      "sqlite" (the default) or "mysql"
//   CRMHOST_TEST_MYSQL   with mysql: the MariaDB server, a Poco MySQL connection string
//                        without db=, e.g. "host=127.0.0.1;port=3306;user=root;password=x"

std::unique_ptr<CrmHost::SqlDatabase> makeTestDatabase(const std::string& name);
/// A fresh, empty database with the host's and the massmailing module's schema applied
/// (CrmHost::Migrator over CRMHOST_RESOURCE_DIR/schema). On SQLite a new temporary file,
/// removed with the returned object; on MariaDB the database `name`, dropped and created again.
/// Throws Poco::IllegalStateException, saying what to set, when the environment is incomplete.

namespace CrmHostTests
{
using ::makeTestDatabase;

/// Where an empty test database is, for a process that connects to it by itself (crmhost).
struct TestDatabaseLocation
{
    std::string connector; /// "SQLite" or "MySQL", as in db.connector.
    std::string connect;   /// The Poco::Data connection string, as in db.connect.
};

TestDatabaseLocation makeEmptyTestDatabase(const std::string& name, const std::string& sqliteFile);
/// Creates an empty database, without any table: on SQLite the file sqliteFile is removed if
/// it exists; on MariaDB the database `name` is dropped and created again.

/// Two food groups, two people who are members of the first, and one user: the small world of
/// the suites about one person's data (the address log, the export and erasure).
struct TwoFoodGroups
{
    long group = 0;       /// "AMAP des Capucins", where both people are members.
    long otherGroup = 0;  /// "Autre", with no member.
    long person = 0;      /// The person the suite is about.
    long otherPerson = 0; /// Paul Langevin, paul@example.org.
    Poco::Int64 user = 0; /// The user who acts (lifts, resends, erases).
};

TwoFoodGroups seedTwoFoodGroups(CrmHost::SqlDatabase& database, const std::string& firstName,
                                const std::string& lastName, const std::string& email,
                                const std::string& login);
/// Writes them into an empty test database; the person is firstName lastName <email>.

std::string testDatabaseKind();
/// "sqlite" or "mysql", from CRMHOST_TEST_DB. Throws Poco::IllegalStateException for any other
/// value, or for "mysql" when CRMHOST_TEST_MYSQL is not set.
} // namespace CrmHostTests

#endif
