#ifndef CrmHost_Database_INCLUDED
#define CrmHost_Database_INCLUDED

#include <Poco/Data/Session.h>

namespace CrmHost
{
enum class Dialect
{
    SQLite,
    MySQL
};

/// The host's database: sessions from a pool, and the dialect they speak.
class Database
{
public:
    virtual ~Database() = default;

    virtual Poco::Data::Session session() = 0;
    /// A session from the pool, returned to it when the last copy is destroyed.
    /// Throws Poco::Data::SessionPoolExhaustedException when none is free.

    virtual Dialect dialect() const = 0;
};
} // namespace CrmHost

#endif
