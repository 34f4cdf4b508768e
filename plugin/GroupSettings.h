#ifndef MassMailing_GroupSettings_INCLUDED
#define MassMailing_GroupSettings_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/Setting.h"
#include "SecretBox.h"
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// A group's own values of the module's settings (table mm_group_settings), for every stage,
/// and the values the host's administrators set on the settings screen for every group (the
/// rows of group 0). A name the group did not set takes the host's screen value, else the
/// module's setting "massmailing." + name (the file or its default). The names a group may set,
/// with what each accepts:
/// - "bounce.domain": the domain of the bounce addresses (VERP); empty: the sender's domain;
/// - "tracking": "on" or "off" (opens and clicks, R3);
/// - "tracking.ip": "keep" or "hash" (the IP of an open or a click, kept or only as a hash);
/// - "bounce.soft_limit", "bounce.soft_days": soft bounces over that many days suppress;
/// - "pacing.max_per_hour": the pacing a new send starts with (0: as fast as it goes);
/// - "country": the group's country, ISO 3166 alpha-2 ("FR"), or empty;
/// - "channel.email" ("on", "off"), "channel.sms" and "channel.push" ("off" by default, "on":
///   add-ons that only a host administrator switches on for a group, isHostSwitch());
/// - and the names of Declarations::group (the rules a stage owns, such as "time_zone").
/// The host's administrators may also set the names of Declarations::host (transport, SMTP,
/// quota): those hold for the whole host. A secret (a name ending in "password" or "secret") is stored
/// sealed with the SecretBox, never shown: changes() holds "(set)" or "(empty)" for it.
class GroupSettings
{
public:
    using ModuleSetting = std::function<std::string(const std::string& key)>;

    static const long HOST = 0; /// The group id of the values set for the whole host.

    /// Settings whose rules a stage owns, given by the module (ModuleSettings), full keys.
    struct Declarations
    {
        std::vector<CrmHost::Setting> group; /// also settable by a group, for itself
        std::vector<CrmHost::Setting> host;  /// settable by the host's administrators only
        std::function<void(const std::function<std::string(const std::string& key)>& value)> between;
        /// The rules between the host's values (an SMTP user needs a password), given the values
        /// in force by full key; throws Poco::InvalidArgumentException whose message starts with
        /// the full key at fault. May be empty.
    };

    /// A change of a setting, as the screen lists it.
    struct Change
    {
        std::string at; /// UTC, "YYYY-MM-DD HH:MM:SS"
        long userId = 0;
        std::string login; /// the user's, "" when the host has no such user
        std::string name;
        std::string oldValue; /// a secret's: "(set)" or "(empty)"
        std::string newValue;
    };

    GroupSettings(CrmHost::Database& database, ModuleSetting moduleSetting, Declarations declarations = {},
                  const SecretBox* secrets = nullptr);
    /// secrets: null only where no secret is ever set (tests of other stages).

    static std::vector<CrmHost::Setting> declarations();
    /// The module's settings a group may set for itself, with their defaults and rules: the
    /// module declares them (ModuleSettings), and set() checks a group's value by the same rules.

    std::vector<CrmHost::Setting> settable(long groupId) const;
    /// What set() takes for that group (HOST: also the host's own), full keys, in screen order.

    static bool isHostSwitch(const std::string& name);
    /// A group's setting that only a host administrator changes (the SMS and push add-ons):
    /// the settings screen refuses it to the group's own administrators.

    static bool isSecret(const std::string& name);
    /// A name whose value is never shown nor recorded: one ending in "password" or "secret".

    std::string value(long groupId, const std::string& name) const;
    /// The group's value, else the host's screen value, else the module's; a secret opened.
    /// Throws the database's exception, SecretException for a secret sealed with another key.

    long number(long groupId, const std::string& name) const;
    /// value() as a whole number. Throws Poco::SyntaxException when it is not one.

    bool on(long groupId, const std::string& name) const;
    /// value() is "on": both the group's value and the module's setting allow only "on" and "off".

    void check(long groupId, const std::string& name, const std::string& value) const;
    /// What set() checks, without storing. Throws as set().

    void set(long groupId, const std::string& name, const std::string& value, long userId = 0) const;
    /// Stores the group's value (HOST: the host's) and records the change (who, when, the old
    /// and new value in force) in the same transaction; an empty value takes the host's or
    /// module's setting again. Throws FieldException(name, "invalid" or "not_settable"), its
    /// message naming the setting, for a name or a value that settable() does not allow.

    std::map<std::string, std::string> setAll(long groupId, const std::map<std::string, std::string>& values,
                                              long userId) const;
    /// The settings screen's form: checks every value as set() does, then (for HOST) the rules
    /// between them with the new values, and stores them all, each change recorded, only when
    /// none is refused. Returns the refusals by name (each message naming its setting); empty
    /// when all were stored.

    std::vector<Change> changes(long groupId, std::size_t limit = 50) const;
    /// The latest changes of that group's (or the host's) settings, newest first.

private:
    const CrmHost::Setting* find(const std::vector<CrmHost::Setting>& all, const std::string& name) const;
    std::string shown(const std::string& name, const std::string& value) const;

    CrmHost::Database& _database;
    ModuleSetting _moduleSetting;
    Declarations _declarations;
    const SecretBox* _secrets;
};
} // namespace MassMailing

#endif
