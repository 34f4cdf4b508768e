#ifndef CrmHost_Migrator_INCLUDED
#define CrmHost_Migrator_INCLUDED

#include "CrmHost/Database.h"
#include <string>
#include <vector>

namespace CrmHost
{
/// Applies the SQL migrations of a component, schema/<component>/<sqlite|mysql>/NNN_name.sql,
/// in name order, each once, recorded in the table schema_migrations.
class Migrator
{
public:
    Migrator(Database& database, const std::string& schemaDir);

    std::vector<std::string> migrate(const std::string& component);
    /// Applies the pending migrations and returns their names. A component without a
    /// schema folder has none. Throws the database's exception, naming the file, when one fails;
    /// the migrations before it stay applied.

private:
    Database& _database;
    std::string _schemaDir;
};
} // namespace CrmHost

#endif
