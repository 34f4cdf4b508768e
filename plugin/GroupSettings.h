#ifndef MassMailing_GroupSettings_INCLUDED
#define MassMailing_GroupSettings_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/Setting.h"
#include <functional>
#include <string>
#include <vector>

namespace MassMailing
{
/// A group's own values of the module's settings (table mm_group_settings), for every stage:
/// a name the group did not set takes the module's setting "massmailing." + name (the file or
/// the host's settings screen). The names a group may set, with what each accepts:
/// - "bounce.domain": the domain of the bounce addresses (VERP); empty: the sender's domain;
/// - "tracking": "on" or "off" (opens and clicks, R3);
/// - "tracking.ip": "keep" or "hash" (the IP of an open or a click, kept or only as a hash);
/// - "bounce.soft_limit", "bounce.soft_days": soft bounces over that many days suppress.
class GroupSettings
{
public:
    using ModuleSetting = std::function<std::string(const std::string& key)>;

    GroupSettings(CrmHost::Database& database, ModuleSetting moduleSetting);

    static std::vector<CrmHost::Setting> declarations();
    /// The module's settings a group may set for itself, with their defaults and rules: the
    /// module declares them (ModuleSettings), and set() checks a group's value by the same rules.

    std::string value(long groupId, const std::string& name) const;
    /// The group's value, else the module's. Throws the database's exception.

    long number(long groupId, const std::string& name) const;
    /// value() as a whole number. Throws Poco::SyntaxException when it is not one.

    bool on(long groupId, const std::string& name) const;
    /// value() is "on": both the group's value and the module's setting allow only "on" and "off".

    void set(long groupId, const std::string& name, const std::string& value) const;
    /// Stores the group's value; an empty one takes the module's setting again.
    /// Throws Poco::InvalidArgumentException, naming the setting, for a name or a value that
    /// declarations() does not allow.

private:
    CrmHost::Database& _database;
    ModuleSetting _moduleSetting;
};
} // namespace MassMailing

#endif
