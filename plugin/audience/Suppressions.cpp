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

bool Suppressions::block(const std::string& address, const std::string& reason,
                         const std::string& detail) const
{
    if (reason != "bounced" && reason != "complained")
        throw Poco::InvalidArgumentException(
            "reason", "an address is blocked as bounced or complained, not \"" + reason + "\"");
    std::string normalised = normalise(address), why = reason, what = detail.substr(0, 500);
    std::string createdAt = utcNow();
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement insert(session);
    insert << "INSERT INTO mm_address_blocks (address, reason, detail, created_at) VALUES (?, ?, ?, ?)" +
                  SqlDialect(_database.dialect()).keepingTheFirst("address"),
        use(normalised), use(why), use(what), use(createdAt);
    return insert.execute() > 0;
}

std::vector<Suppressions::List> Suppressions::lists(long groupId)
{
    return {{"unsubscribed", "FROM mm_unsubscribes WHERE group_id = ?", {std::to_string(groupId)}},
            {"bounced", "FROM mm_address_blocks WHERE reason = 'bounced'", {}},
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
