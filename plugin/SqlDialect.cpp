#include "SqlDialect.h"
#include "audience/EmailAddress.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/String.h>
#include <algorithm>

namespace MassMailing
{
std::string SqlDialect::concat(const std::vector<std::string>& parts) const
{
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : (_dialect == CrmHost::Dialect::SQLite ? " || " : ", ")) + part;
    return _dialect == CrmHost::Dialect::SQLite ? "(" + out + ")" : "CONCAT(" + out + ")";
}

std::string SqlDialect::hasCharOutside(const std::string& expression, const std::string& characters) const
{
    if (_dialect == CrmHost::Dialect::SQLite)
        return "(" + expression + " GLOB '*[^" + characters + "]*')";
    return "(" + expression + " REGEXP '[^" + characters + "]')";
}

std::string SqlDialect::trimmed(const std::string& expression) const
{
    // The blanks are written as they are inside the literals: no escape to read differently.
    const std::string blanks = EmailAddress::BLANKS;
    if (_dialect == CrmHost::Dialect::SQLite)
        return "TRIM(" + expression + ", '" + blanks + "')";
    // MariaDB's TRIM removes one string, not a set of characters.
    return "REGEXP_REPLACE(" + expression + ", '^[" + blanks + "]+|[" + blanks + "]+$', '')";
}

std::string SqlDialect::asciiLower(const std::string& expression) const
{
    // SQLite's LOWER changes ASCII letters only (without the ICU extension, which Poco does not
    // load); MariaDB's follows Unicode (K, the Kelvin sign, becomes k), so it is spelled out there:
    // REPLACE matches case-sensitively whatever the collation.
    if (_dialect == CrmHost::Dialect::SQLite)
        return "LOWER(" + expression + ")";
    std::string out = expression;
    for (char c = 'A'; c <= 'Z'; ++c)
        out = "REPLACE(" + out + ", '" + c + "', '" + char(c - 'A' + 'a') + "')";
    return out;
}

std::string SqlDialect::addressToSend(const std::string& expression) const
{
    const std::string t = trimmed(expression);
    const std::string at = "INSTR(" + t + ", '@')";
    return "CASE WHEN " + at + " > 0 THEN " +
           concat({"SUBSTR(" + t + ", 1, " + at + ")", asciiLower("SUBSTR(" + t + ", " + at + " + 1)")}) +
           " ELSE " + t + " END";
}

std::string SqlDialect::withoutText(const std::string& expression) const
{
    return "CASE WHEN " + asciiLower(expression) + " LIKE ? THEN '' ELSE " + expression + " END";
}

CrmHost::Dialect SqlDialect::of(Poco::Data::Session& session)
{
    return Poco::icompare(session.connector(), "mysql") == 0 ? CrmHost::Dialect::MySQL
                                                             : CrmHost::Dialect::SQLite;
}

std::string SqlDialect::addressIdentity(const std::string& expression) const
{
    return asciiLower(trimmed(expression));
}

std::string SqlDialect::invalidEmail(const std::string& c) const
{
    const std::string at = "INSTR(" + c + ", '@')";
    const std::string local = "SUBSTR(" + c + ", 1, " + at + " - 1)";
    const std::string domain = "SUBSTR(" + c + ", " + at + " + 1)";
    return "(LENGTH(" + c + ") - LENGTH(REPLACE(" + c + ", '@', '')) <> 1 OR " + at + " < 2 OR " + at +
           " > 65 OR LENGTH(" + c + ") > 254 OR " + c + " LIKE '.%' OR " + c + " LIKE '%.' OR " + c +
           " LIKE '%..%' OR " + c + " LIKE '%.@%' OR " + c + " LIKE '%@.%' OR " + c + " LIKE '%@-%' OR " + c +
           " LIKE '%-.%' OR " + c + " LIKE '%.-%' OR " + c + " LIKE '%-' OR INSTR(" + domain +
           ", '.') = 0 OR " + hasCharOutside(local, "A-Za-z0-9.!#$%&''*+/=?^_`{|}~-") + " OR " +
           hasCharOutside(domain, "A-Za-z0-9.-") + ")";
}

std::string SqlDialect::addressDomain(const std::string& column) const
{
    // SQLite has no "last index of": RTRIM by every character but "@" keeps the text up to the
    // last "@", and REPLACE drops that prefix (the rest holds no "@", so nothing else matches).
    if (_dialect == CrmHost::Dialect::SQLite)
        return "REPLACE(" + column + ", RTRIM(" + column + ", REPLACE(" + column + ", '@', '')), '')";
    return "SUBSTRING_INDEX(" + column + ", '@', -1)";
}

std::string SqlDialect::everyRow() const
{
    return _dialect == CrmHost::Dialect::SQLite ? " LIMIT -1" : " LIMIT 18446744073709551615";
}

Poco::Data::Statement SqlDialect::selectWithLongTexts(Poco::Data::Session& session,
                                                      const std::vector<std::string>& columns,
                                                      const std::vector<std::string>& longTexts,
                                                      const std::string& rest, long parameter) const
{
    auto isLong = [&](const std::string& column)
    { return std::find(longTexts.begin(), longTexts.end(), column) != longTexts.end(); };
    std::string longest = "0";
    for (const auto& column : longTexts)
        longest = "GREATEST(" + longest + ", CHAR_LENGTH(" + column + "))";
    Poco::Int64 bound = USUAL_TEXT;
    for (;;)
    {
        std::string sql;
        for (const auto& column : columns)
            sql += (sql.empty() ? "SELECT " : ", ") +
                   (_dialect == CrmHost::Dialect::MySQL && isLong(column)
                        ? "SUBSTRING(" + column + ", 1, " + std::to_string(bound) + ")"
                        : column);
        if (_dialect == CrmHost::Dialect::MySQL)
            sql += ", " + longest;
        Poco::Data::Statement statement(session);
        statement << sql + " " + rest, Poco::Data::Keywords::use(parameter), Poco::Data::Keywords::now;
        if (_dialect != CrmHost::Dialect::MySQL)
            return statement;
        Poco::Data::RecordSet rows(statement);
        Poco::Int64 needed = 0;
        for (std::size_t row = 0; row < rows.rowCount(); ++row)
            needed = std::max(needed, rows.value(columns.size(), row).convert<Poco::Int64>());
        if (needed <= bound)
            return statement;
        bound = needed;
    }
}

std::string SqlDialect::lastInsertId() const
{
    return _dialect == CrmHost::Dialect::SQLite ? "SELECT last_insert_rowid()" : "SELECT LAST_INSERT_ID()";
}

std::string SqlDialect::keepingTheFirst(const std::string& key) const
{
    const std::string first = key.substr(0, key.find(','));
    return _dialect == CrmHost::Dialect::MySQL ? " ON DUPLICATE KEY UPDATE " + first + " = " + first
                                               : " ON CONFLICT (" + key + ") DO NOTHING";
}

std::string SqlDialect::addingOnConflict(const std::string& key,
                                         const std::vector<std::string>& columns) const
{
    std::string sets;
    for (const auto& c : columns)
        sets += (sets.empty() ? "" : ", ") + c + " = " + c + " + " +
                (_dialect == CrmHost::Dialect::MySQL ? "VALUES(" + c + ")" : "excluded." + c);
    return _dialect == CrmHost::Dialect::MySQL ? " ON DUPLICATE KEY UPDATE " + sets
                                               : " ON CONFLICT (" + key + ") DO UPDATE SET " + sets;
}
} // namespace MassMailing
