#include "Groups.h"
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/NumberFormatter.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
// The groups matching a condition on their id, each ? bound to the same value.
std::vector<Group> select(Poco::Data::Session& session, const std::string& where, long parameter)
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> kinds, names;
    Poco::Data::Statement statement(session);
    statement << "SELECT id, kind, name FROM host_groups WHERE " + where + " ORDER BY id", into(ids),
        into(kinds), into(names);
    for (auto n = std::count(where.begin(), where.end(), '?'); n > 0; --n)
        statement, use(parameter);
    statement.execute();
    std::vector<Group> groups;
    for (std::size_t i = 0; i < ids.size(); ++i)
        groups.push_back({long(ids[i]), kinds[i], names[i]});
    return groups;
}
} // namespace

Groups::Groups(Database& database) : _database(database) {}

std::vector<Group> Groups::all()
{
    Poco::Data::Session session = _database.session();
    return select(session, "1 = 1", 0);
}

std::optional<Group> Groups::find(long id)
{
    Poco::Data::Session session = _database.session();
    auto groups = select(session, "id = ?", id);
    if (groups.empty())
        return std::nullopt;
    return groups.front();
}

std::vector<Group> Groups::visibleTo(long userId)
{
    Poco::Data::Session session = _database.session();
    int everywhere = 0;
    session << "SELECT COUNT(*) FROM user_rights WHERE user_id = ? AND group_id = 0", use(userId),
        into(everywhere), now;
    if (everywhere)
        return select(session, "1 = 1", 0);
    return select(
        session,
        "id IN (SELECT group_id FROM user_rights WHERE user_id = ? UNION SELECT m.group_id FROM users u "
        "JOIN memberships m ON m.person_id = u.person_id WHERE u.id = ?)",
        userId);
}

bool Groups::isEnabled(const std::string& module, long groupId)
{
    Poco::Data::Session session = _database.session();
    std::string m = module;
    int count = 0;
    session << "SELECT COUNT(*) FROM module_groups WHERE module = ? AND group_id = ?", use(m), use(groupId),
        into(count), now;
    return count > 0;
}

std::vector<long> Groups::enabledGroups(const std::string& module)
{
    Poco::Data::Session session = _database.session();
    std::string m = module;
    std::vector<Poco::Int64> ids;
    session << "SELECT group_id FROM module_groups WHERE module = ? ORDER BY group_id", use(m), into(ids),
        now;
    return {ids.begin(), ids.end()};
}

void Groups::enable(const std::string& module, long groupId)
{
    if (!find(groupId))
        throw Poco::NotFoundException("group", "no group with id " + Poco::NumberFormatter::format(groupId));
    if (isEnabled(module, groupId))
        return;
    Poco::Data::Session session = _database.session();
    std::string m = module;
    session << "INSERT INTO module_groups (module, group_id) VALUES (?, ?)", use(m), use(groupId), now;
}

void Groups::disable(const std::string& module, long groupId)
{
    Poco::Data::Session session = _database.session();
    std::string m = module;
    session << "DELETE FROM module_groups WHERE module = ? AND group_id = ?", use(m), use(groupId), now;
}

long Groups::count(long groupId)
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 members = 0;
    session << "SELECT COUNT(*) FROM memberships WHERE group_id = ?", use(groupId), into(members), now;
    return long(members);
}
} // namespace CrmHost
