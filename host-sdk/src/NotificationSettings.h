#ifndef CrmHost_NotificationSettings_INCLUDED
#define CrmHost_NotificationSettings_INCLUDED

#include "CrmHost/Database.h"
#include <string>
#include <vector>

namespace CrmHost
{
/// A member's switches of the automatic notifications of their food groups (seed 002, "My
/// account → Notifications"), table notification_settings: "orders_opened" (orders open for a
/// distribution) and "order_summary" (the order summary 24 or 4 hours before it). Without a
/// row a notification is on, 24 hours before. Each choice keeps the time it was made. Modules
/// read the table through their recipient loaders (docs/data-model.md).
class NotificationSettings
{
public:
    static const std::vector<std::string>& notifications();
    /// orders_opened, order_summary.

    struct Choice
    {
        long groupId = 0;
        std::string groupName;
        std::string notification;
        bool enabled = true;
        int leadHours = 24;
        std::string changedAt; /// UTC; "" when never chosen (the default holds).
    };

    explicit NotificationSettings(Database& database);

    long personOf(long userId);
    /// The person behind a login; 0 when none.

    std::vector<Choice> of(long personId);
    /// One choice per notification and food group the person is a member of.

    void choose(long personId, long groupId, const std::string& notification, bool enabled, int leadHours,
                const std::string& at);
    /// Records a choice with its time (UTC). Throws Poco::InvalidArgumentException for an unknown
    /// notification, a lead other than 4 or 24 hours, or a group the person is not a member of.

private:
    Database& _database;
};
} // namespace CrmHost

#endif
