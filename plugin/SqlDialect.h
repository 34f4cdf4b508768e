#ifndef MassMailing_SqlDialect_INCLUDED
#define MassMailing_SqlDialect_INCLUDED

#include "CrmHost/Database.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// The few SQL expressions that SQLite and MySQL spell differently, in one place, for every stage.
class SqlDialect
{
public:
    explicit SqlDialect(CrmHost::Dialect dialect) : _dialect(dialect) {}

    std::string concat(const std::vector<std::string>& parts) const;
    /// a || b on SQLite, CONCAT(a, b) on MySQL.

    std::string hasCharOutside(const std::string& expression, const std::string& characters) const;
    /// True when the expression holds a character not in the bracket set ("A-Za-z0-9.-"):
    /// GLOB on SQLite, REGEXP on MySQL. The set must not hold "]" or a quote other than "''".

    std::string addressToSend(const std::string& expression) const;
    /// The address trimmed, its domain in lower case, its local part as written
    /// (EmailAddress::normalize in SQL, byte for byte).

    std::string addressIdentity(const std::string& expression) const;
    /// The address trimmed and lower-cased: EmailAddress::identity in SQL, byte for byte, on
    /// both databases and for any text (only ASCII letters are lowered).

    std::string addressDomain(const std::string& column) const;
    /// The domain of an address already normalised (addressToSend): what follows its last "@",
    /// the whole text when it has none (EmailAddress::domain in SQL, byte for byte). The column
    /// is named three times on SQLite: give a column, not a long expression.

    std::string invalidEmail(const std::string& column) const;
    /// A condition true for a non-empty normalised address that EmailAddress::isValid
    /// refuses (labels longer than 63 characters excepted).

    std::string updateRows(const std::string& table, const std::string& set, const std::string& where,
                           const std::string& ids) const;
    /// An UPDATE of the rows of table whose id the query ids yields (a column "id"), which may read
    /// table itself: a join on MySQL (which refuses, or reads again for every row, a subquery on
    /// the table it updates), "id IN (ids)" on SQLite. set and where name the table's columns bare.

    std::string withoutText(const std::string& expression) const;
    /// The expression, or '' when it holds, in any ASCII case, the text of the LIKE pattern bound
    /// to its one "?" ("%alice@example.org%", the text in lower case): a server's answer that
    /// names an erased person's address is dropped (X2).

    static CrmHost::Dialect of(Poco::Data::Session& session);
    /// The dialect a session speaks (its connector's name).

    std::string everyRow() const;
    /// A LIMIT clause that keeps every row. On a derived table it keeps MySQL from merging it
    /// into the outer query, where each reference to one of its expressions computes it again.

    std::string lastInsertId() const;
    /// The query that reads the id of the row the session inserted last.

    std::string keepingTheFirst(const std::string& key) const;
    /// What follows an INSERT so that a row whose unique key (the columns of key, "a, b") is
    /// already there is kept as it is, the new one dropped.

    std::string addingOnConflict(const std::string& key, const std::vector<std::string>& columns) const;
    /// What follows an INSERT so that, when a row with its unique key (the columns of key,
    /// "a, b") is already there, the new row's values of columns are added to that row's
    /// (counters: ON DUPLICATE KEY UPDATE c = c + VALUES(c), or SQLite's ON CONFLICT DO UPDATE).

    Poco::Data::Statement selectWithLongTexts(Poco::Data::Session& session,
                                              const std::vector<std::string>& columns,
                                              const std::vector<std::string>& longTexts,
                                              const std::string& rest, long parameter) const;
    /// The executed SELECT columns (longTexts among them: MEDIUMTEXT) rest, to read with a RecordSet, with
    /// one ? in rest bound to parameter. Poco 1.11's MySQL connector gives each statement a cleared buffer of
    /// a column type's largest size, 16 MiB for a MEDIUMTEXT (about 0.05 s a column); on MySQL each long text
    /// is therefore read as SUBSTRING(column, 1, bound), a bound that fits every row (first USUAL_TEXT
    /// characters, again with the longest row's length when one is longer).

    static constexpr std::size_t USUAL_TEXT = 65535;

private:
    std::string trimmed(const std::string& expression) const;
    /// The expression without EmailAddress::BLANKS at either end.
    std::string asciiLower(const std::string& expression) const;
    /// A-Z lowered, every other character kept.
    std::string plainAscii(const std::string& expression) const;
    /// MySQL: true for a text of ASCII characters only with no blank at either end (nor NULL),
    /// which the address forms take as it is.

    CrmHost::Dialect _dialect;
};
} // namespace MassMailing

#endif
