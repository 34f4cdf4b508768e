#include "audience/Suppressions.h"
#include "FieldException.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
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
            {"complained", "FROM mm_address_blocks WHERE reason = 'complained'", {}}};
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
    for (std::size_t i = 0; i < all.size(); ++i)
    {
        sql += (i == 0 ? "SELECT " : " UNION ALL SELECT ") + std::to_string(i) + ", address " + all[i].rows +
               " AND address IN (" + marks + ")";
        values.insert(values.end(), all[i].values.begin(), all[i].values.end());
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
    for (std::size_t i = 0; i < hits.size(); ++i)
        for (const auto& address : given[hits[i]])
            found.emplace(address, all[std::size_t(ranks[i])].reason);
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
    select << "SELECT * FROM (" + std::string(UNSUBSCRIBED) + " AND address = ? UNION ALL " + CAME_BACK +
                  " AND address = ? UNION ALL " + BLOCKED + " AND address = ?) s ORDER BY 6, 2",
        use(groupId), use(normalised), use(groupId), use(normalised), use(normalised);
    return entries(select);
}
} // namespace MassMailing
