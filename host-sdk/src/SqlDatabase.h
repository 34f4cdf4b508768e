#ifndef CrmHost_SqlDatabase_INCLUDED
#define CrmHost_SqlDatabase_INCLUDED

#include "CrmHost/Database.h"
#include <Poco/Data/SessionPool.h>
#include <string>

namespace CrmHost
{
/// The Database of the host: a Poco::Data session pool for "SQLite" or "MySQL".
class SqlDatabase : public Database
{
public:
    SqlDatabase(const std::string& connector, const std::string& connectionString, int maxSessions = 32);
    /// Throws Poco::InvalidArgumentException for an unknown connector, and the connector's
    /// exception when the database cannot be opened.

    Poco::Data::Session session() override;
    Dialect dialect() const override { return _dialect; }

    static Dialect dialectOf(const std::string& connector);
    /// Throws Poco::InvalidArgumentException naming db.connector for anything else than SQLite or MySQL.

private:
    Dialect _dialect;
    std::string _connector;
    Poco::Data::SessionPool _pool;
};

/// Runs a script of statements separated by ";" at the end of a line ("--" comments allowed).
void executeScript(Poco::Data::Session& session, const std::string& script);
} // namespace CrmHost

#endif
