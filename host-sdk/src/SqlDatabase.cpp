#include "SqlDatabase.h"
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
bool registerConnectors()
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::MySQL::Connector::registerConnector();
    return true;
}

// Poco's MySQL connector talks utf8 (three bytes a character at most) unless told otherwise:
// an emoji in a subject would be refused on write ("Incorrect string value") or read back as "?".
std::string withCharacterSet(Dialect dialect, const std::string& connectionString)
{
    const std::string options = ";" + Poco::toLower(connectionString);
    if (dialect != Dialect::MySQL || options.find(";character-set=") != std::string::npos)
        return connectionString;
    return connectionString + (connectionString.empty() ? "" : ";") + "character-set=utf8mb4";
}
} // namespace

Dialect SqlDatabase::dialectOf(const std::string& connector)
{
    if (Poco::icompare(connector, "SQLite") == 0)
        return Dialect::SQLite;
    if (Poco::icompare(connector, "MySQL") == 0)
        return Dialect::MySQL;
    throw Poco::InvalidArgumentException("db.connector must be SQLite or MySQL, not \"" + connector + "\"");
}

SqlDatabase::SqlDatabase(const std::string& connector, const std::string& connectionString, int maxSessions)
    : _dialect((registerConnectors(), dialectOf(connector))),
      _connector(_dialect == Dialect::SQLite ? "SQLite" : "MySQL"),
      _pool(_connector, withCharacterSet(_dialect, connectionString), 1, maxSessions, 60)
{
    Poco::Data::Session probe = session();
    if (_dialect == Dialect::SQLite)
    {
        // WAL lets the HTTP threads read while the scheduler writes.
        probe << "PRAGMA journal_mode=WAL", now;
    }
}

Poco::Data::Session SqlDatabase::session()
{
    Poco::Data::Session session = _pool.get();
    if (_dialect == Dialect::SQLite)
    {
        session << "PRAGMA foreign_keys=ON", now;
        session << "PRAGMA busy_timeout=10000", now;
    }
    else if (!session.isTransaction())
    {
        // Poco's MySQL connector leaves autocommit off after begin() and commit(): a pooled
        // session would otherwise run its next statements in a transaction nobody commits.
        session.setFeature("autoCommit", true);
    }
    return session;
}

void executeScript(Poco::Data::Session& session, const std::string& script)
{
    std::istringstream lines(script);
    std::string line;
    std::string statement;
    while (std::getline(lines, line))
    {
        std::string trimmed = Poco::trim(line);
        if (trimmed.empty() || trimmed.rfind("--", 0) == 0)
            continue;
        statement += line + "\n";
        if (trimmed.back() == ';')
        {
            session << statement, now;
            statement.clear();
        }
    }
    if (!Poco::trim(statement).empty())
        session << statement, now;
}
} // namespace CrmHost
