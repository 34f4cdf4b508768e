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
    // MariaDB's TRIM removes one string, not a set of characters. The regular expression costs
    // as much as writing the row: it runs only when the first or last byte is a blank.
    const std::string codes = "(9, 10, 11, 12, 13, 32)";
    return "CASE WHEN ASCII(" + expression + ") IN " + codes + " OR ASCII(RIGHT(" + expression + ", 1)) IN " +
           codes + " THEN REGEXP_REPLACE(" + expression + ", '^[" + blanks + "]+|[" + blanks +
           "]+$', '') ELSE " + expression + " END";
}

std::string SqlDialect::asciiLower(const std::string& expression) const
{
    // SQLite's LOWER changes ASCII letters only (without the ICU extension, which Poco does not
    // load); MariaDB's follows Unicode (K, the Kelvin sign, becomes k), so it is spelled out there:
    // REPLACE matches case-sensitively whatever the collation.
    if (_dialect == CrmHost::Dialect::SQLite)
        return "LOWER(" + expression + ")";
    // Text of ASCII characters only (as many bytes as characters, in utf8mb4) takes LOWER, which
    // lowers exactly A-Z there, at a twentieth of the cost.
    std::string out = expression;
    for (char c = 'A'; c <= 'Z'; ++c)
        out = "REPLACE(" + out + ", '" + c + "', '" + char(c - 'A' + 'a') + "')";
    return "CASE WHEN LENGTH(" + expression + ") = CHAR_LENGTH(" + expression + ") THEN LOWER(" + expression +
           ") ELSE " + out + " END";
}

std::string SqlDialect::addressToSend(const std::string& expression) const
{
    const std::string t = trimmed(expression);
    const std::string at = "INSTR(" + t + ", '@')";
    const std::string any =
        "CASE WHEN " + at + " > 0 THEN " +
        concat({"SUBSTR(" + t + ", 1, " + at + ")", asciiLower("SUBSTR(" + t + ", " + at + " + 1)")}) +
        " ELSE " + t + " END";
    if (_dialect == CrmHost::Dialect::SQLite)
        return any;
    // Most addresses: ASCII with no blank at either end, which take LOWER of the domain as it is,
    // at a fraction of the cost of the nested forms above (a third of a row's writing).
    const std::string x = expression, a = "INSTR(" + x + ", '@')";
    return "CASE WHEN " + plainAscii(x) + " THEN CASE WHEN " + a + " > 0 THEN CONCAT(LEFT(" + x + ", " + a +
           "), LOWER(SUBSTR(" + x + ", " + a + " + 1))) ELSE " + x + " END ELSE " + any + " END";
}

std::string SqlDialect::plainAscii(const std::string& expression) const
{
    const std::string codes = "(9, 10, 11, 12, 13, 32)";
    return "(LENGTH(" + expression + ") = CHAR_LENGTH(" + expression + ") AND ASCII(" + expression +
           ") NOT IN " + codes + " AND ASCII(RIGHT(" + expression + ", 1)) NOT IN " + codes + ")";
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
    if (_dialect == CrmHost::Dialect::SQLite)
        return asciiLower(trimmed(expression));
    return "CASE WHEN " + plainAscii(expression) + " THEN LOWER(" + expression + ") ELSE " +
           asciiLower(trimmed(expression)) + " END";
}

std::string SqlDialect::invalidEmail(const std::string& c) const
{
    const std::string at = "INSTR(" + c + ", '@')";
    const std::string local = "SUBSTR(" + c + ", 1, " + at + " - 1)";
    const std::string domain = "SUBSTR(" + c + ", " + at + " + 1)";
    const std::string localSet = "A-Za-z0-9.!#$%&''*+/=?^_`{|}~-", domainSet = "A-Za-z0-9.-";
    // A character outside the sets, on either side of the one "@" (the conditions before have
    // refused any other count): on MySQL one regular expression over the whole address.
    const std::string characters =
        _dialect == CrmHost::Dialect::MySQL
            ? "NOT (" + c + " REGEXP '^[" + localSet + "]*@[" + domainSet + "]*$')"
            : hasCharOutside(local, localSet) + " OR " + hasCharOutside(domain, domainSet);
    return "(LENGTH(" + c + ") - LENGTH(REPLACE(" + c + ", '@', '')) <> 1 OR " + at + " < 2 OR " + at +
           " > 65 OR LENGTH(" + c + ") > 254 OR " + c + " LIKE '.%' OR " + c + " LIKE '%.' OR " + c +
           " LIKE '%..%' OR " + c + " LIKE '%.@%' OR " + c + " LIKE '%@.%' OR " + c + " LIKE '%@-%' OR " + c +
           " LIKE '%-.%' OR " + c + " LIKE '%.-%' OR " + c + " LIKE '%-' OR INSTR(" + domain +
           ", '.') = 0 OR " + characters + ")";
}

std::string SqlDialect::addressDomain(const std::string& column) const
{
    // SQLite has no "last index of": RTRIM by every character but "@" keeps the text up to the
    // last "@", and REPLACE drops that prefix (the rest holds no "@", so nothing else matches).
    if (_dialect == CrmHost::Dialect::SQLite)
        return "REPLACE(" + column + ", RTRIM(" + column + ", REPLACE(" + column + ", '@', '')), '')";
    return "SUBSTRING_INDEX(" + column + ", '@', -1)";
}

std::string SqlDialect::updateRows(const std::string& table, const std::string& set, const std::string& where,
                                   const std::string& ids) const
{
    if (_dialect == CrmHost::Dialect::MySQL)
        return "UPDATE " + table + " JOIN (" + ids + ") updated_rows ON updated_rows.id = " + table +
               ".id SET " + set + " WHERE " + where;
    return "UPDATE " + table + " SET " + set + " WHERE " + where + " AND id IN (" + ids + ")";
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
