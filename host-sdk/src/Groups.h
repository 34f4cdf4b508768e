#ifndef CrmHost_Groups_INCLUDED
#define CrmHost_Groups_INCLUDED

#include "CrmHost/Database.h"
#include <optional>
#include <string>
#include <vector>

namespace CrmHost
{
struct Group
{
    long id = 0;
    std::string kind; /// food, crm or studio
    std::string name;
};

/// The host's groups and the modules enabled in each.
class Groups
{
public:
    explicit Groups(Database& database);

    std::vector<Group> all();
    std::optional<Group> find(long id);
    std::vector<Group> visibleTo(long userId);
    /// The groups where the user holds a right, or all of them for a right held in all groups.

    bool isEnabled(const std::string& module, long groupId);
    std::vector<long> enabledGroups(const std::string& module);
    void enable(const std::string& module, long groupId);
    /// Throws Poco::NotFoundException for an unknown group.
    void disable(const std::string& module, long groupId);

    long count(long groupId);
    /// Number of members.

private:
    Database& _database;
};
} // namespace CrmHost

#endif
