#include "NotificationSettings.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
const std::vector<std::string>& NotificationSettings::notifications()
{
    static const std::vector<std::string> names = {"orders_opened", "order_summary"};
    return names;
}

NotificationSettings::NotificationSettings(Database& database) : _database(database) {}

long NotificationSettings::personOf(long userId)
{
    Poco::Data::Session session = _database.session();
    Poco::Nullable<Poco::Int64> person;
    session << "SELECT person_id FROM users WHERE id = ?", use(userId), into(person), now;
    return person.isNull() ? 0 : long(person.value());
}

std::vector<NotificationSettings::Choice> NotificationSettings::of(long personId)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> groups;
    std::vector<std::string> names;
    session
        << "SELECT g.id, g.name FROM memberships m JOIN host_groups g ON g.id = m.group_id WHERE m.person_id "
           "= ? AND g.kind = 'food' ORDER BY g.name, g.id",
        use(personId), into(groups), into(names), now;
    std::vector<Choice> choices;
    for (std::size_t i = 0; i < groups.size(); ++i)
        for (const std::string& notification : notifications())
        {
            Choice choice;
            choice.groupId = long(groups[i]);
            choice.groupName = names[i];
            choice.notification = notification;
            Poco::Data::Statement select(session);
            Poco::Int64 group = groups[i];
            std::string name = notification;
            select << "SELECT enabled, lead_hours, CAST(changed_at AS CHAR) FROM notification_settings WHERE "
                      "person_id = ? AND group_id = ? AND notification = ?",
                use(personId), use(group), use(name);
            select.execute();
            Poco::Data::RecordSet row(select);
            if (row.rowCount() == 1)
            {
                choice.enabled = row.value(0, 0).convert<int>() != 0;
                choice.leadHours = row.value(1, 0).convert<int>();
                choice.changedAt = row.value(2, 0).convert<std::string>().substr(0, 19);
            }
            choices.push_back(choice);
        }
    return choices;
}

void NotificationSettings::choose(long personId, long groupId, const std::string& notification, bool enabled,
                                  int leadHours, const std::string& at)
{
    const auto& names = notifications();
    if (std::find(names.begin(), names.end(), notification) == names.end())
        throw Poco::InvalidArgumentException("notification", "no notification \"" + notification + "\"");
    if (leadHours != 4 && leadHours != 24)
        throw Poco::InvalidArgumentException("lead_hours", "the order summary comes 4 or 24 hours before");
    Poco::Data::Session session = _database.session();
    Poco::Int64 member = 0;
    session << "SELECT COUNT(*) FROM memberships WHERE person_id = ? AND group_id = ?", use(personId),
        use(groupId), into(member), now;
    if (member == 0)
        throw Poco::InvalidArgumentException("group", "not a member of group " + std::to_string(groupId));
    int on = enabled ? 1 : 0;
    std::string name = notification, changed = at;
    session.begin();
    session << "DELETE FROM notification_settings WHERE person_id = ? AND group_id = ? AND notification = ?",
        use(personId), use(groupId), use(name), now;
    session << "INSERT INTO notification_settings (person_id, group_id, notification, enabled, lead_hours, "
               "changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        use(personId), use(groupId), use(name), use(on), use(leadHours), use(changed), now;
    session.commit();
}
} // namespace CrmHost
