#include "audience/Suppressions.h"
#include "FieldException.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include "audience/PhoneNumber.h"
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>
#include <sqlite3.h>
#include <vector>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const std::size_t MAX_ADDRESS_SIZE = 320;

// The one difference between the dialects here: on a second unsubscription, keep the row
// already there (and report no row affected), refusing every other error as usual.
// Now, in UTC, to the second, written as CURRENT_TIMESTAMP writes it, so that SQLite, which
// keeps times as text, compares it rightly with the times the database itself writes.
std::string utcNow()
{
    return sqlTime(Poco::DateTime());
}
} // namespace

Suppressions::Suppressions(CrmHost::Database& database) : _database(database) {}

std::string Suppressions::normalise(const std::string& address)
{
    const std::string identity = EmailAddress::identity(address);
    if (PhoneNumber::isE164(identity))
        return identity; // an SMS row's address (issue 15)
    const auto at = identity.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == identity.size())
        throw Poco::InvalidArgumentException("\"" + address + "\" is not an email address (local@domain)");
    if (identity.size() > MAX_ADDRESS_SIZE)
        throw Poco::InvalidArgumentException("an email address is longer than " +
                                             std::to_string(MAX_ADDRESS_SIZE) + " characters");
    return identity;
}

bool Suppressions::unsubscribe(long groupId, const std::string& address, long campaignId,
                               UnsubscribeMethod method) const
{
    std::string normalised = normalise(address);
    std::string methodName = Suppression::methodName(method);
    std::string createdAt = utcNow();
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement insert(session);
    insert << "INSERT INTO mm_unsubscribes (group_id, address, campaign_id, method, created_at) "
              "VALUES (?, ?, NULLIF(?, 0), ?, ?)" +
                  SqlDialect(_database.dialect()).keepingTheFirst("group_id, address"),
        use(groupId), use(normalised), use(campaignId), use(methodName), use(createdAt);
    return insert.execute() > 0;
}

bool Suppressions::isUnsubscribed(long groupId, const std::string& address) const
{
    return find(groupId, address).has_value();
}

std::optional<Suppression> Suppressions::find(long groupId, const std::string& address) const
{
    std::string normalised = normalise(address);
    std::vector<Poco::Int64> campaigns;
    std::vector<std::string> methods;
    std::vector<Poco::DateTime> times;
    Poco::Data::Session session = _database.session();
    session << "SELECT COALESCE(campaign_id, 0), method, created_at FROM mm_unsubscribes "
               "WHERE group_id = ? AND address = ?",
        use(groupId), use(normalised), into(campaigns), into(methods), into(times), now;
    if (campaigns.empty())
        return std::nullopt;
    return Suppression{groupId, normalised, long(campaigns.front()),
                       Suppression::parseMethod(methods.front()), times.front()};
}

bool Suppressions::resubscribe(long groupId, const std::string& address) const
{
    std::string normalised = normalise(address);
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement remove(session);
    remove << "DELETE FROM mm_unsubscribes WHERE group_id = ? AND address = ?", use(groupId), use(normalised);
    return remove.execute() > 0;
}

bool Suppressions::suppress(long groupId, const std::string& address, const std::string& reason,
                            const std::string& detail, long campaignId, const Poco::DateTime& at) const
{
    Poco::Data::Session session = _database.session();
    return suppress(session, groupId, address, reason, detail, campaignId, at);
}

bool Suppressions::suppress(Poco::Data::Session& session, long groupId, const std::string& address,
                            const std::string& reason, const std::string& detail, long campaignId,
                            const Poco::DateTime& at)
{
    if (reason != "bounced" && reason != "complained")
        throw Poco::InvalidArgumentException(
            "reason", "an address is suppressed as bounced or complained, not \"" + reason + "\"");
    std::string normalised = normalise(address), why = reason, what = detail.substr(0, 500);
    std::string createdAt = sqlTime(at);
    // A lifted suppression is replaced by the new one (its event stays in mm_events).
    Poco::Data::Statement again(session);
    again << "UPDATE mm_group_suppressions SET reason = ?, detail = ?, campaign_id = ?, created_at = ?, "
             "lifted_at = NULL, lifted_by = 0, lift_reason = '' "
             "WHERE group_id = ? AND address = ? AND lifted_at IS NOT NULL",
        use(why), use(what), use(campaignId), use(createdAt), use(groupId), use(normalised);
    if (again.execute() > 0)
        return true;
    Poco::Data::Statement insert(session);
    insert
        << "INSERT INTO mm_group_suppressions (group_id, address, reason, detail, campaign_id, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?)" +
               SqlDialect(Poco::icompare(session.connector(), "mysql") == 0 ? CrmHost::Dialect::MySQL
                                                                            : CrmHost::Dialect::SQLite)
                   .keepingTheFirst("group_id, address"),
        use(groupId), use(normalised), use(why), use(what), use(campaignId), use(createdAt);
    return insert.execute() > 0;
}

std::vector<Suppressions::List> Suppressions::lists(long groupId)
{
    const std::string group = std::to_string(groupId);
    // The group's own (those that hold), then the older blocks of every group (no longer written).
    return {{"unsubscribed", "FROM mm_unsubscribes WHERE group_id = ?", {group}},
            {"bounced",
             "FROM mm_group_suppressions WHERE group_id = ? AND reason = 'bounced' AND lifted_at IS NULL",
             {group}},
            {"bounced", "FROM mm_address_blocks WHERE reason = 'bounced'", {}},
            {"complained",
             "FROM mm_group_suppressions WHERE group_id = ? AND reason = 'complained' AND lifted_at IS NULL",
             {group}},
            {"complained", "FROM mm_address_blocks WHERE reason = 'complained'", {}},
            // An erased person (X2), by the hash of their address: of the group, or of a block.
            {"erased", "FROM mm_erased_addresses WHERE group_id IN (0, ?)", {group}, true}};
}

std::string Suppressions::List::condition(const std::string& identity) const
{
    if (hashed)
        return "SHA2(" + identity + ", 256) IN (SELECT address_hash " + rows + ")";
    return identity + " IN (SELECT address " + rows + ")";
}

namespace
{
// SHA2(text, 256) as MariaDB computes it: the digest in lower-case hex; NULL for NULL or another size.
void sha2(sqlite3_context* context, int argc, sqlite3_value** argv)
{
    if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_int(argv[1]) != 256)
    {
        sqlite3_result_null(context);
        return;
    }
    const unsigned char* text = sqlite3_value_text(argv[0]);
    int size = sqlite3_value_bytes(argv[0]);
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text, unsigned(size));
    std::string hex = Poco::DigestEngine::digestToHex(engine.digest());
    sqlite3_result_text(context, hex.c_str(), int(hex.size()), SQLITE_TRANSIENT);
}
} // namespace

void Suppressions::prepare(Poco::Data::Session& session)
{
    if (Poco::icompare(session.connector(), "sqlite") != 0)
        return;
    sqlite3_create_function_v2(Poco::Data::SQLite::Utility::dbHandle(session), "SHA2", 2,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &sha2, nullptr, nullptr, nullptr);
}

std::map<std::string, std::string> Suppressions::reasons(long groupId,
                                                         const std::vector<std::string>& addresses) const
{
    std::map<std::string, std::vector<std::string>> given; // identity -> the addresses as given
    for (const auto& address : addresses)
        given[EmailAddress::identity(address)].push_back(address);
    std::map<std::string, std::string> found;
    if (given.empty())
        return found;
    std::string marks;
    for (std::size_t i = 0; i < given.size(); ++i)
        marks += i == 0 ? "?" : ", ?";
    // One statement for all the lists (the dispatcher asks at every claim), each row with the
    // list's rank: the first list to name an address gives its reason.
    const std::vector<List> all = lists(groupId);
    std::string sql;
    std::vector<std::string> values;
    std::map<std::string, std::string> hashes; // erasedForm -> identity
    for (const auto& entry : given)
        hashes[EmailAddress::erasedForm(entry.first)] = entry.first;
    for (std::size_t i = 0; i < all.size(); ++i)
    {
        const std::string column = all[i].hashed ? "address_hash" : "address";
        sql += (i == 0 ? "SELECT " : " UNION ALL SELECT ") + std::to_string(i) + ", " + column + " " +
               all[i].rows + " AND " + column + " IN (" + marks + ")";
        values.insert(values.end(), all[i].values.begin(), all[i].values.end());
        if (all[i].hashed)
            for (const auto& entry : hashes)
                values.push_back(entry.first);
        else
            for (const auto& entry : given)
                values.push_back(entry.first);
    }
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::vector<int> ranks;
    std::vector<std::string> hits;
    select << sql + " ORDER BY 1", into(ranks), into(hits);
    for (const auto& value : values)
        select, bind(value);
    select.execute();
    // An erased person's anonymised row (X2) is never sent anything.
    for (const auto& entry : given)
        if (EmailAddress::domain(entry.first) == EmailAddress::ERASED_DOMAIN)
            for (const auto& address : entry.second)
                found.emplace(address, "erased");
    for (std::size_t i = 0; i < hits.size(); ++i)
    {
        const List& list = all[std::size_t(ranks[i])];
        for (const auto& address : given[list.hashed ? hashes[hits[i]] : hits[i]])
            found.emplace(address, list.reason);
    }
    return found;
}

std::optional<std::string> Suppressions::groupName(long groupId) const
{
    std::vector<std::string> names;
    Poco::Data::Session session = _database.session();
    session << "SELECT name FROM host_groups WHERE id = ?", use(groupId), into(names), now;
    if (names.empty())
        return std::nullopt;
    return names.front();
}
// One address's suppressions, the group's list, and lifting (R5). -----------------------------

bool Suppressions::Entry::liftable() const
{
    return scope == "group" && holds() && (reason == "bounced" || reason == "complained");
}

namespace
{
// The columns of an Entry, from each table, in this order: address, reason, detail, scope,
// campaign, at, lifted_at, lifted_by, lift_reason (times as text, the same on both databases).
// The first names the columns of the derived table the lists are read from.
const char* const UNSUBSCRIBED =
    "SELECT address, 'unsubscribed' AS reason, method AS detail, 'group' AS scope, COALESCE(campaign_id, 0) "
    "AS "
    "campaign, CAST(created_at AS CHAR) AS at, '' AS lifted_at, 0 AS lifted_by, '' AS lift_reason FROM "
    "mm_unsubscribes WHERE group_id = ?";
const char* const CAME_BACK =
    "SELECT address, reason, detail, 'group', campaign_id, CAST(created_at AS CHAR), COALESCE(CAST(lifted_at "
    "AS "
    "CHAR), ''), lifted_by, lift_reason FROM mm_group_suppressions WHERE group_id = ?";
// An erased address (X2): the address asked about (bound first), the reasons it had as detail.
const char* const ERASED =
    "SELECT ?, 'erased', reasons, CASE WHEN group_id = 0 THEN 'all' ELSE 'group' END, 0, "
    "'', '', 0, '' FROM mm_erased_addresses WHERE group_id IN (0, ?) AND address_hash = ?";
const char* const BLOCKED = "SELECT address, reason, detail, 'all', 0, CAST(created_at AS CHAR), '', 0, '' "
                            "FROM mm_address_blocks WHERE 1 = 1";

std::vector<Suppressions::Entry> entries(Poco::Data::Statement& select)
{
    std::vector<std::string> addresses, reasons, details, scopes, at, lifted, liftReasons;
    std::vector<Poco::Int64> campaigns, liftedBy;
    select, into(addresses), into(reasons), into(details), into(scopes), into(campaigns), into(at),
        into(lifted), into(liftedBy), into(liftReasons);
    select.execute();
    std::vector<Suppressions::Entry> out;
    for (std::size_t i = 0; i < addresses.size(); ++i)
        out.push_back({addresses[i], reasons[i], details[i], scopes[i], long(campaigns[i]),
                       at[i].substr(0, 19), lifted[i].substr(0, 19), long(liftedBy[i]), liftReasons[i]});
    return out;
}
} // namespace

void Suppressions::lift(long groupId, const std::string& address, long userId,
                        const std::string& reason) const
{
    const std::string why = Poco::trim(reason).substr(0, 500);
    if (why.empty())
        throw FieldException("reason", "required", "say why the suppression is lifted: it is recorded");
    std::string normalised = normalise(address), liftedAt = utcNow();
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement update(session);
    update << "UPDATE mm_group_suppressions SET lifted_at = ?, lifted_by = ?, lift_reason = ? WHERE group_id "
              "= ? "
              "AND address = ? AND lifted_at IS NULL AND reason IN ('bounced', 'complained')",
        use(liftedAt), use(userId), bind(why), use(groupId), use(normalised);
    if (update.execute() > 0)
        return;
    if (isUnsubscribed(groupId, normalised))
        throw FieldException("address", "unsubscribed",
                             normalised + " unsubscribed from this group: only the person can take it back, "
                                          "from their own link");
    throw FieldException("address", "not_suppressed",
                         normalised + " has no bounce or complaint suppression to lift in this group");
}

std::vector<Suppressions::Entry> Suppressions::listed(long groupId, std::size_t limit,
                                                      std::size_t offset) const
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    select << "SELECT * FROM (" + std::string(UNSUBSCRIBED) + " UNION ALL " + CAME_BACK +
                  " AND lifted_at IS NULL) s ORDER BY 6 DESC, 1, 2 LIMIT " + std::to_string(limit) +
                  " OFFSET " + std::to_string(offset),
        use(groupId), use(groupId);
    return entries(select);
}

long Suppressions::countListed(long groupId) const
{
    Poco::Int64 unsubscribed = 0, cameBack = 0;
    Poco::Data::Session session = _database.session();
    session << "SELECT COUNT(*) FROM mm_unsubscribes WHERE group_id = ?", use(groupId), into(unsubscribed),
        now;
    session << "SELECT COUNT(*) FROM mm_group_suppressions WHERE group_id = ? AND lifted_at IS NULL",
        use(groupId), into(cameBack), now;
    return long(unsubscribed + cameBack);
}

std::vector<Suppressions::Entry> Suppressions::ofAddress(long groupId, const std::string& address) const
{
    std::string normalised = normalise(address);
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::string hash = EmailAddress::erasedForm(normalised);
    select << "SELECT * FROM (" + std::string(UNSUBSCRIBED) + " AND address = ? UNION ALL " + CAME_BACK +
                  " AND address = ? UNION ALL " + BLOCKED + " AND address = ? UNION ALL " + ERASED +
                  ") s ORDER BY 6, 2",
        use(groupId), use(normalised), use(groupId), use(normalised), use(normalised), use(normalised),
        use(groupId), use(hash);
    return entries(select);
}

bool Suppressions::isErased(long groupId, const std::string& address) const
{
    std::string hash = EmailAddress::erasedForm(normalise(address));
    std::vector<int> found;
    Poco::Data::Session session = _database.session();
    session << "SELECT 1 FROM mm_erased_addresses WHERE group_id IN (0, ?) AND address_hash = ?",
        use(groupId), use(hash), into(found), now;
    return !found.empty();
}

long Suppressions::erase(Poco::Data::Session& session, long groupId, const std::string& address,
                         const std::vector<std::string>& personKeys)
{
    std::string identity = normalise(address), hash = EmailAddress::erasedForm(identity);
    const SqlDialect sql(Poco::icompare(session.connector(), "mysql") == 0 ? CrmHost::Dialect::MySQL
                                                                           : CrmHost::Dialect::SQLite);
    long changed = 0;
    auto run = [&](const std::string& statement, const std::vector<std::string>& values)
    {
        Poco::Data::Statement s(session);
        s << statement;
        for (const auto& value : values)
            s, bind(value);
        changed += long(s.execute());
    };
    const std::string group = std::to_string(groupId);
    // What kept the address from the group's messages, as reasons to keep with its hash.
    std::vector<std::string> held, blocks;
    session << "SELECT 'unsubscribed' FROM mm_unsubscribes WHERE group_id = ? AND address = ? UNION ALL "
               "SELECT reason FROM mm_group_suppressions WHERE group_id = ? AND address = ? AND lifted_at IS "
               "NULL",
        use(groupId), use(identity), use(groupId), use(identity), into(held), now;
    session << "SELECT reason FROM mm_address_blocks WHERE address = ?", use(identity), into(blocks), now;
    std::string reasons = Poco::cat(std::string(","), held.begin(), held.end());
    run("INSERT INTO mm_erased_addresses (group_id, address_hash, reasons) VALUES (?, ?, ?)" +
            sql.keepingTheFirst("group_id, address_hash"),
        {group, hash, reasons});
    if (!blocks.empty())
        run("INSERT INTO mm_erased_addresses (group_id, address_hash, reasons) VALUES (0, ?, ?)" +
                sql.keepingTheFirst("group_id, address_hash"),
            {hash, blocks.front()});
    run("DELETE FROM mm_unsubscribes WHERE group_id = ? AND address = ?", {group, identity});
    run("DELETE FROM mm_group_suppressions WHERE group_id = ? AND address = ?", {group, identity});
    run("DELETE FROM mm_address_blocks WHERE address = ?", {identity});

    // The audience's inputs of the group's campaigns that name the address or the person.
    const std::string ofGroup = "campaign_id IN (SELECT id FROM mm_campaigns WHERE group_id = ?)";
    run("DELETE FROM mm_audience_addresses WHERE source_id IN (SELECT id FROM mm_audience_sources WHERE " +
            ofGroup + ") AND " + sql.addressIdentity("address") + " = ?",
        {group, identity});
    std::vector<std::string> keys{identity};
    keys.insert(keys.end(), personKeys.begin(), personKeys.end());
    for (const auto& key : keys)
    {
        run("DELETE FROM mm_audience_unchecked WHERE " + ofGroup + " AND recipient_key = ?", {group, key});
        run("DELETE FROM mm_audience_exclusions WHERE " + ofGroup + " AND (email = ? OR recipient_key = ?)",
            {group, key, key});
    }
    return changed;
}
} // namespace MassMailing
