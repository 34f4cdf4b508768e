#include "Migrator.h"
#include "SqlDatabase.h"
#include <Poco/Data/DataException.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
Migrator::Migrator(Database& database, const std::string& schemaDir)
    : _database(database), _schemaDir(schemaDir)
{
}

std::vector<std::string> Migrator::migrate(const std::string& component)
{
    Poco::Data::Session session = _database.session();
    session << "CREATE TABLE IF NOT EXISTS schema_migrations (component VARCHAR(100) NOT NULL, "
               "name VARCHAR(191) NOT NULL, applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "
               "PRIMARY KEY (component, name))",
        now;

    std::string dir =
        _schemaDir + "/" + component + "/" + (_database.dialect() == Dialect::MySQL ? "mysql" : "sqlite");
    std::vector<std::string> files;
    if (Poco::File(dir).exists())
        for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
            if (Poco::Path(it.name()).getExtension() == "sql")
                files.push_back(it.name());
    std::sort(files.begin(), files.end());

    std::vector<std::string> applied;
    std::string c = component;
    session << "SELECT name FROM schema_migrations WHERE component = ?", use(c), into(applied), now;

    std::vector<std::string> done;
    for (std::string file : files)
    {
        if (std::find(applied.begin(), applied.end(), file) != applied.end())
            continue;
        Poco::FileInputStream in(dir + "/" + file);
        std::string script;
        Poco::StreamCopier::copyToString(in, script);
        try
        {
            // MySQL commits DDL implicitly; on SQLite the transaction makes a migration all or nothing.
            session.begin();
            executeScript(session, script);
            session << "INSERT INTO schema_migrations (component, name) VALUES (?, ?)", use(c), use(file),
                now;
            session.commit();
        }
        catch (const Poco::Exception& error)
        {
            if (session.isTransaction())
                session.rollback();
            throw Poco::Data::DataException("migration " + dir + "/" + file + " failed", error);
        }
        Poco::Logger::get("crmhost.migrations").information("Applied %s/%s", component, file);
        done.push_back(file);
    }
    return done;
}
} // namespace CrmHost
