#ifndef CrmHost_DemoSeeder_INCLUDED
#define CrmHost_DemoSeeder_INCLUDED

#include "CrmHost/Database.h"
#include <Poco/DateTime.h>
#include <Poco/Logger.h>
#include <optional>

namespace CrmHost
{
/// The ids of the demo groups, one per kind of user in the product spec (H5).
struct DemoGroups
{
    long food;        /// "AMAP des Capucins": an AMAP that manages membership fees.
    long foodNonAmap; /// "La Ruche du Canal": a food group, neither AMAP nor managing fees.
    long crm;         /// "Atelier Conseil CRM": contacts, accounts, leads, targets, saved filters.
    long studio;      /// "Studio Danse Bastille": sessions and bookings.
};

/// Fills an empty, migrated host database with deterministic demo data: the food groups,
/// the CRM and the studio of the product spec, and N people split among them.
/// docs/data-model.md lists the tables and the rules that decide who is in which list.
///
/// Everything is generated in SQL, set-based (INSERT ... SELECT over a number sequence);
/// a row's attributes are arithmetic on its id and the seed, so the same seed gives the
/// same rows, ids included. Dates count from a reference day (today, UTC, by default).
class DemoSeeder
{
public:
    DemoSeeder(Database& database, Poco::Logger& logger);

    void setReferenceDay(const Poco::DateTime& day);
    /// Dates of the demo (distributions, sessions, logins, fees...) count from this day,
    /// at midnight UTC. Without it, seed() reads today's date once when it starts.

    DemoGroups seed(long people, unsigned long seed);
    /// Generates the demo data and logs one line per stage with its row count and
    /// duration. Seeds equal modulo 1000003 give the same data.
    /// Throws Poco::InvalidArgumentException when people is below 100,
    /// Poco::IllegalStateException when the database already holds groups or people,
    /// and the connector's Poco::Data exception when a statement fails; the rows written
    /// until then are deleted again.

private:
    Database& _database;
    Poco::Logger& _logger;
    std::optional<Poco::DateTime> _referenceDay;
};
} // namespace CrmHost

#endif
