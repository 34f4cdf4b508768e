#include "tracking/PersonalData.h"
#include "FieldException.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include "audience/Suppressions.h"
#include "delivery/TestSends.h"
#include "push/PushSubscriptions.h"
#include "tracking/CsvLine.h"
#include "tracking/Events.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/NumberParser.h>
#include <set>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
std::string identityOf(const std::string& address)
{
    try
    {
        return Suppressions::normalise(address);
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        throw FieldException("address", "invalid_address", error.message());
    }
}

// One table's rows: columns are "name" (a column of alias t) or "name=expression"; every value
// is read as text, the same on both databases.
PersonalRows rowsOf(Poco::Data::Session& session, const std::string& table,
                    const std::vector<std::string>& columns, const std::string& from,
                    const std::vector<std::string>& values)
{
    PersonalRows out;
    out.table = table;
    std::string select;
    for (const auto& column : columns)
    {
        auto eq = column.find('=');
        std::string name = column.substr(0, eq);
        std::string expression = eq == std::string::npos ? "t." + column : column.substr(eq + 1);
        out.columns.push_back(name);
        select +=
            (select.empty() ? "" : ", ") + std::string("COALESCE(CAST(") + expression + " AS CHAR), '')";
    }
    Poco::Data::Statement statement(session);
    statement << "SELECT " + select + " " + from;
    for (const auto& value : values)
        statement, bind(value);
    statement.execute();
    Poco::Data::RecordSet records(statement);
    for (std::size_t r = 0; r < records.rowCount(); ++r)
    {
        std::vector<std::string> row;
        for (std::size_t c = 0; c < columns.size(); ++c)
        {
            Poco::Dynamic::Var value = records.value(c, r);
            std::string text = value.isEmpty() ? std::string() : value.convert<std::string>();
            // DATETIME read back as text keeps its seconds only.
            row.push_back(text);
        }
        out.rows.push_back(row);
    }
    return out;
}

// The person's keys ("KIND:ID") in the group: whom the directory finds by the address now, and
// whom the group's recipient rows of the address named.
std::vector<std::string> personKeys(Poco::Data::Session& session, RecipientDirectory& directory, long groupId,
                                    const std::string& groupKind, const std::string& identity)
{
    std::set<std::string> keys;
    for (const auto& person :
         directory.withAddress(groupId, groupKind == "crm" ? "targets" : "members", identity))
        keys.insert(person.kind + ":" + std::to_string(person.id));
    std::vector<std::string> kinds;
    std::vector<Poco::Int64> ids;
    session << "SELECT DISTINCT r.kind, r.recipient_id FROM mm_recipients r JOIN mm_campaigns c ON c.id = "
               "r.campaign_id WHERE r.email_identity = ? AND c.group_id = ? AND r.recipient_id > 0",
        bind(identity), bind(groupId), into(kinds), into(ids), now;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        keys.insert(kinds[i] + ":" + std::to_string(ids[i]));
    return {keys.begin(), keys.end()};
}
// The ids of the people among the keys ("person:12").
std::vector<long> personIdsOf(const std::vector<std::string>& keys)
{
    std::vector<long> ids;
    for (const auto& key : keys)
    {
        Poco::Int64 id = 0;
        if (key.compare(0, 7, "person:") == 0 && Poco::NumberParser::tryParse64(key.substr(7), id))
            ids.push_back(long(id));
    }
    return ids;
}
} // namespace

std::size_t PersonalExport::count(const std::string& table) const
{
    for (const auto& t : tables)
        if (t.table == table)
            return t.rows.size();
    return 0;
}

std::string PersonalExport::json() const
{
    Poco::JSON::Object answer;
    answer.set("address", address);
    answer.set("exported_at", exportedAt.size() >= 19
                                  ? exportedAt.substr(0, 10) + "T" + exportedAt.substr(11, 8) + "Z"
                                  : exportedAt);
    Poco::JSON::Object::Ptr byTable = new Poco::JSON::Object;
    for (const auto& t : tables)
    {
        Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
        for (const auto& row : t.rows)
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            for (std::size_t c = 0; c < t.columns.size(); ++c)
                o->set(t.columns[c], row[c]);
            rows->add(o);
        }
        byTable->set(t.table, rows);
    }
    answer.set("tables", byTable);
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(answer, out, 1);
    return out.str();
}

void PersonalExport::csv(std::ostream& out) const
{
    out << CsvLine::of({"table", "row", "column", "value"});
    for (const auto& t : tables)
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            for (std::size_t c = 0; c < t.columns.size(); ++c)
                out << CsvLine::of({t.table, std::to_string(r + 1), t.columns[c], t.rows[r][c]});
}

PersonalData::PersonalData(CrmHost::Database& database, RecipientDirectory& directory, Clock clock)
    : _database(database), _directory(directory), _clock(std::move(clock))
{
}

PersonalExport PersonalData::exportOf(long groupId, const std::string& groupKind,
                                      const std::string& address) const
{
    PersonalExport out;
    out.address = identityOf(address);
    out.exportedAt = sqlTime(_clock());
    const std::string& identity = out.address;
    const std::string group = std::to_string(groupId), hash = EmailAddress::erasedForm(identity);
    Poco::Data::Session session = _database.session();
    const std::vector<std::string> keys = personKeys(session, _directory, groupId, groupKind, identity);
    const std::string ofGroup = "t.campaign_id IN (SELECT id FROM mm_campaigns WHERE group_id = ?)";
    const std::string rowsOfAddress = "SELECT r.id FROM mm_recipients r JOIN mm_campaigns c ON c.id = "
                                      "r.campaign_id WHERE r.email_identity = ? "
                                      "AND c.group_id = ?";
    std::string keyMarks;
    for (std::size_t i = 0; i < keys.size() + 1; ++i)
        keyMarks += i == 0 ? "?" : ", ?";
    std::vector<std::string> keyValues{identity};
    keyValues.insert(keyValues.end(), keys.begin(), keys.end());

    auto add = [&](PersonalRows rows) { out.tables.push_back(std::move(rows)); };
    add(rowsOf(
        session, "mm_recipients",
        {"id",
         "campaign_id",
         "campaign_name=c.name",
         "kind",
         "recipient_id",
         "email",
         "first_name",
         "last_name",
         "company",
         "locale",
         "domain",
         "status",
         "reason",
         "detail",
         "sent_at",
         "bounce",
         "bounce_detail",
         "bounced_at",
         "complained_at",
         "unsubscribed_at",
         "first_open_at",
         "opens",
         "machine_opens",
         "first_click_at",
         "clicks",
         "machine_clicks"},
        "FROM mm_recipients t JOIN mm_campaigns c ON c.id = t.campaign_id WHERE t.email_identity = ? AND "
        "c.group_id = ? ORDER BY t.id",
        {identity, group}));
    add(rowsOf(session, "mm_events",
               {"id", "campaign_id", "recipient_row", "kind", "machine", "link_id", "url=COALESCE(l.url, '')",
                "at", "user_agent", "ip", "detail"},
               "FROM mm_events t LEFT JOIN mm_links l ON l.id = t.link_id WHERE t.recipient_row IN (" +
                   rowsOfAddress + ") ORDER BY t.id",
               {identity, group}));
    add(rowsOf(session, "mm_test_sends", {"id", "campaign_id", "sent_to", "sample", "sent_at"},
               "FROM mm_test_sends t WHERE t.group_id = ? AND t.address = ? ORDER BY t.id",
               {group, identity}));
    add(rowsOf(session, "mm_resends",
               {"id", "campaign_id", "recipient_row", "address", "previous_status", "previous_detail",
                "requested_by", "reason", "created_at"},
               "FROM mm_resends t WHERE t.address = ? AND " + ofGroup + " ORDER BY t.id", {identity, group}));
    add(rowsOf(session, "mm_unsubscribes", {"address", "campaign_id", "method", "created_at"},
               "FROM mm_unsubscribes t WHERE t.group_id = ? AND t.address = ?", {group, identity}));
    add(rowsOf(
        session, "mm_group_suppressions",
        {"address", "reason", "detail", "campaign_id", "created_at", "lifted_at", "lifted_by", "lift_reason"},
        "FROM mm_group_suppressions t WHERE t.group_id = ? AND t.address = ?", {group, identity}));
    add(rowsOf(session, "mm_address_blocks", {"address", "reason", "detail", "created_at"},
               "FROM mm_address_blocks t WHERE t.address = ?", {identity}));
    add(rowsOf(
        session, "mm_audience_addresses",
        {"campaign_id=s.campaign_id", "source_id", "line", "address", "first_name", "last_name"},
        "FROM mm_audience_addresses t JOIN mm_audience_sources s ON s.id = t.source_id JOIN mm_campaigns c "
        "ON c.id = s.campaign_id WHERE c.group_id = ? AND " +
            SqlDialect(_database.dialect()).addressIdentity("t.address") +
            " = ? ORDER BY t.source_id, t.line",
        {group, identity}));
    std::vector<std::string> values{group};
    values.insert(values.end(), keyValues.begin(), keyValues.end());
    add(rowsOf(session, "mm_audience_unchecked", {"campaign_id", "recipient_key"},
               "FROM mm_audience_unchecked t WHERE " + ofGroup + " AND t.recipient_key IN (" + keyMarks + ")",
               values));
    values.insert(values.end(), keyValues.begin(), keyValues.end());
    add(rowsOf(session, "mm_audience_exclusions", {"campaign_id", "email", "recipient_key"},
               "FROM mm_audience_exclusions t WHERE " + ofGroup + " AND (t.email IN (" + keyMarks +
                   ") OR t.recipient_key IN (" + keyMarks + "))",
               values));
    // The members' push devices (issue 15): found by the person, the row holds no address.
    std::vector<std::string> personValues{group};
    std::string personMarks = "0";
    for (long person : personIdsOf(keys))
    {
        personMarks += ", ?";
        personValues.push_back(std::to_string(person));
    }
    add(rowsOf(session, "mm_push_subscriptions", {"id", "person_id", "endpoint", "user_agent", "created_at"},
               "FROM mm_push_subscriptions t WHERE t.group_id = ? AND t.person_id IN (" + personMarks +
                   ") ORDER BY t.id",
               personValues));
    add(rowsOf(session, "mm_erased_addresses", {"group_id", "address_hash", "reasons"},
               "FROM mm_erased_addresses t WHERE t.group_id IN (0, ?) AND t.address_hash = ?",
               {group, hash}));
    return out;
}

long PersonalData::erase(long groupId, const std::string& groupKind, const std::string& address,
                         const std::string& confirmation, long userId) const
{
    const std::string identity = identityOf(address);
    if (EmailAddress::identity(confirmation) != identity)
        throw FieldException("confirm", "mismatch",
                             "type the address again to confirm: its data is erased for good");
    Poco::Data::Session session = _database.session();
    const std::vector<std::string> keys = personKeys(session, _directory, groupId, groupKind, identity);
    session.begin();
    try
    {
        // The events first: they are found by their rows' address, which the rows then lose.
        long changed = Events::anonymise(session, groupId, identity);
        changed += Deliveries::anonymise(session, groupId, identity);
        changed += TestSends::erase(session, groupId, identity, keys);
        changed += Suppressions::erase(session, groupId, identity, keys);
        changed += PushSubscriptions::erase(session, groupId, personIdsOf(keys));
        std::string at = sqlTime(_clock());
        session
            << "INSERT INTO mm_erasures (group_id, erased_by, erased_at, rows_changed) VALUES (?, ?, ?, ?)",
            bind(groupId), bind(userId), bind(at), bind(changed), now;
        session.commit();
        return changed;
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
}

std::vector<ErasureRecord> PersonalData::erasures(long groupId, std::size_t limit) const
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids, by, rows;
    std::vector<std::string> logins, at;
    session
        << "SELECT e.id, e.erased_by, COALESCE(u.login, ''), CAST(e.erased_at AS CHAR), e.rows_changed FROM "
           "mm_erasures e LEFT JOIN users u ON u.id = e.erased_by WHERE e.group_id = ? ORDER BY e.erased_at "
           "DESC, e.id DESC LIMIT " +
               std::to_string(limit),
        bind(groupId), into(ids), into(by), into(logins), into(at), into(rows), now;
    std::vector<ErasureRecord> out;
    for (std::size_t i = 0; i < ids.size(); ++i)
        out.push_back({long(ids[i]), long(by[i]), logins[i], at[i].substr(0, 19), long(rows[i])});
    return out;
}
} // namespace MassMailing
