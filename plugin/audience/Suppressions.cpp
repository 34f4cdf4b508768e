#include "audience/Suppressions.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include <Poco/Data/Session.h>
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
    insert << "INSERT INTO mm_group_suppressions (group_id, address, reason, detail, campaign_id, created_at) "
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
            {"bounced", "FROM mm_group_suppressions WHERE group_id = ? AND reason = 'bounced' AND lifted_at IS NULL",
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
} // namespace MassMailing
