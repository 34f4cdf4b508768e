#ifndef MassMailing_PersonalData_INCLUDED
#define MassMailing_PersonalData_INCLUDED

#include "CrmHost/Database.h"
#include "audience/RecipientDirectory.h"
#include "delivery/Deliveries.h"
#include <ostream>
#include <string>
#include <vector>

namespace MassMailing
{
/// The rows of one table about a person, as exported: the columns' names and each row's values
/// as text ("" for NULL; times UTC "YYYY-MM-DD HH:MM:SS").
struct PersonalRows
{
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

/// What the module holds about one address in a group (X2), table by table.
struct PersonalExport
{
    std::string address;    /// Its identity.
    std::string exportedAt; /// UTC.
    std::vector<PersonalRows> tables;

    std::size_t count(const std::string& table) const; /// Rows of that table; 0 when absent.
    std::string json() const;
    /// {"address", "exported_at", "tables": {"mm_recipients": [{column: value, ...}], ...}}
    void csv(std::ostream& out) const;
    /// One line per value: table,row,column,value (CsvLine), after a header line.
};

/// One erasure as it is recorded: who and when, never whom.
struct ErasureRecord
{
    long id = 0;
    long erasedBy = 0;
    std::string erasedByLogin;
    std::string at; /// UTC.
    long rows = 0;  /// Rows changed or removed.
};

/// A person's data held by the module, exported and erased on request (X2, GDPR articles 15
/// and 17). The rows about an address in a group: its recipient rows (status, reason, what came
/// back, opens, clicks), their events (mm_events), its test sends, resends, unsubscription,
/// bounce and complaint suppressions, a block of every group, and the audience's inputs naming
/// it (typed and imported lines, unchecked rows, gathered exclusions). Erasing goes through each
/// table's owner (Events, Deliveries, TestSends, Suppressions) in one transaction: the rows stay,
/// anonymised, so that every count of every campaign stays right; the suppressions are kept as
/// the address's hash (EmailAddress::erasedForm), so that no later campaign mails it; and the
/// erasure is recorded (mm_erasures: who, when, how many rows; not the address).
class PersonalData
{
public:
    PersonalData(CrmHost::Database& database, RecipientDirectory& directory, Clock clock);

    PersonalExport exportOf(long groupId, const std::string& groupKind, const std::string& address) const;
    /// Throws FieldException (address) for what Suppressions::normalise refuses.

    long erase(long groupId, const std::string& groupKind, const std::string& address,
               const std::string& confirmation, long userId) const;
    /// Erases the address in the group; confirmation must be the same address (typed again by
    /// the administrator; compared by identity), else FieldException ("confirm", "mismatch") and
    /// nothing changes. Returns how many rows changed or were removed. Throws FieldException
    /// (address) for what normalise refuses, and the database's exception (nothing changed).

    std::vector<ErasureRecord> erasures(long groupId, std::size_t limit = 50) const;
    /// The group's erasures, newest first.

private:
    CrmHost::Database& _database;
    RecipientDirectory& _directory;
    Clock _clock;
};
} // namespace MassMailing

#endif
