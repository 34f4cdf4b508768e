#include "GroupSettings.h"
#include "FieldException.h"
#include "SettingChecks.h"
#include "SqlTime.h"
#include <Poco/DateTime.h>
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const std::string prefix = "massmailing.";

// Empty, or two capital letters (ISO 3166-1 alpha-2).
void countryCode(const std::string& value)
{
    if (!value.empty() && (value.size() != 2 || !std::isupper(static_cast<unsigned char>(value[0])) ||
                           !std::isupper(static_cast<unsigned char>(value[1]))))
        throw Poco::InvalidArgumentException(
            "it must be a country code of two capital letters (FR, BE), or empty");
}
} // namespace

std::vector<CrmHost::Setting> GroupSettings::declarations()
{
    auto setting = [](const std::string& name, const std::string& defaultValue,
                      std::vector<std::string> allowed, std::function<void(const std::string&)> check)
    {
        return CrmHost::Setting{prefix + name, defaultValue, prefix + name + ".label", std::move(allowed),
                                std::move(check)};
    };
    return {setting("bounce.domain", "", {}, domainNameOrEmpty),
            setting("tracking", "on", {"on", "off"}, nullptr),
            setting("tracking.ip", "keep", {"keep", "hash"}, nullptr),
            setting("bounce.soft_limit", "3", {}, wholeNumber(1, 100)),
            setting("bounce.soft_days", "30", {}, wholeNumber(1, 365)),
            setting("pacing.max_per_hour", "0", {}, wholeNumber(0, 10000000)),
            setting("country", "", {}, countryCode), setting("channel.email", "on", {"on", "off"}, nullptr),
            // Add-ons a host administrator switches on per group (isHostSwitch).
            setting("channel.sms", "off", {"off", "on"}, nullptr),
            setting("channel.push", "off", {"off", "on"}, nullptr)};
}

GroupSettings::GroupSettings(CrmHost::Database& database, ModuleSetting moduleSetting,
                             Declarations declarations, const SecretBox* secrets)
    : _database(database), _moduleSetting(std::move(moduleSetting)), _declarations(std::move(declarations)),
      _secrets(secrets)
{
}

std::vector<CrmHost::Setting> GroupSettings::settable(long groupId) const
{
    std::vector<CrmHost::Setting> all;
    if (groupId == HOST)
        all = _declarations.host;
    for (CrmHost::Setting& setting : declarations())
        all.push_back(std::move(setting));
    all.insert(all.end(), _declarations.group.begin(), _declarations.group.end());
    return all;
}

bool GroupSettings::isHostSwitch(const std::string& name)
{
    return name == "channel.sms" || name == "channel.push";
}

bool GroupSettings::isSecret(const std::string& name)
{
    return Poco::endsWith(name, std::string("password")) || Poco::endsWith(name, std::string("secret"));
}

const CrmHost::Setting* GroupSettings::find(const std::vector<CrmHost::Setting>& all,
                                            const std::string& name) const
{
    auto found = std::find_if(all.begin(), all.end(),
                              [&](const CrmHost::Setting& setting) { return setting.key == prefix + name; });
    return found == all.end() ? nullptr : &*found;
}

std::string GroupSettings::value(long groupId, const std::string& name) const
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> values;
    std::string key = name;
    long host = HOST;
    session
        << "SELECT value FROM mm_group_settings WHERE group_id IN (?, ?) AND name = ? ORDER BY group_id DESC",
        use(groupId), use(host), use(key), into(values), now;
    if (values.empty())
        return _moduleSetting(prefix + name);
    if (SecretBox::isSealed(values.front()))
    {
        if (!_secrets)
            throw SecretException(name + ": no key to open it");
        return _secrets->open(values.front());
    }
    return values.front();
}

long GroupSettings::number(long groupId, const std::string& name) const
{
    return long(Poco::NumberParser::parse64(value(groupId, name)));
}

bool GroupSettings::on(long groupId, const std::string& name) const
{
    return value(groupId, name) == "on";
}

std::string GroupSettings::shown(const std::string& name, const std::string& value) const
{
    if (isSecret(name))
        return value.empty() ? "(empty)" : "(set)";
    return value;
}

void GroupSettings::check(long groupId, const std::string& name, const std::string& value) const
{
    const std::vector<CrmHost::Setting> all = settable(groupId);
    const CrmHost::Setting* declared = find(all, name);
    if (!declared)
        throw FieldException(name, "not_settable",
                             name + ": " +
                                 (groupId == HOST ? std::string("there is no such setting")
                                  : find(settable(HOST), name)
                                      ? std::string("a group cannot set it, only the host's administrators")
                                      : std::string("a group cannot set it")));
    // mm_group_settings.value holds 500 characters; a sealed secret takes about 4/3 of its text and 46 more.
    const std::size_t longest = isSecret(name) ? 300 : 500;
    if (value.size() > longest)
        throw FieldException(name, "too_long",
                             name + ": it must be at most " + std::to_string(longest) + " characters long");
    if (!value.empty())
    {
        const auto& allowed = declared->allowed;
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end())
            throw FieldException(name, "invalid",
                                 name + ": it must be " +
                                     Poco::cat(std::string(" or "), allowed.begin(), allowed.end()));
        try
        {
            if (declared->check)
                declared->check(value);
        }
        catch (const Poco::Exception& e)
        {
            // The message of a secret's check never repeats the value.
            throw FieldException(name, "invalid",
                                 name + ": " + (isSecret(name) ? "it is not allowed" : e.message()));
        }
    }
}

void GroupSettings::set(long groupId, const std::string& name, const std::string& value, long userId) const
{
    check(groupId, name, value);
    std::string stored = value;
    if (isSecret(name) && !value.empty())
    {
        if (!_secrets)
            throw SecretException(name + ": no key to seal it");
        stored = _secrets->seal(value);
    }
    // The value in force before, and after: the new one, or without it the host's or module's.
    std::string before = shown(name, this->value(groupId, name));
    std::string after = isSecret(name) && !value.empty() ? std::string("(changed)") : shown(name, value);
    if (value.empty())
        after = shown(name, groupId == HOST ? _moduleSetting(prefix + name) : this->value(HOST, name));
    Poco::Data::Session session = _database.session();
    std::string key = name, at = sqlTime(Poco::DateTime());
    session.begin();
    session << "DELETE FROM mm_group_settings WHERE group_id = ? AND name = ?", use(groupId), use(key), now;
    if (!stored.empty())
        session << "INSERT INTO mm_group_settings (group_id, name, value) VALUES (?, ?, ?)", use(groupId),
            use(key), use(stored), now;
    session
        << "INSERT INTO mm_setting_changes (group_id, name, old_value, new_value, changed_by, changed_at) "
           "VALUES (?, ?, ?, ?, ?, ?)",
        use(groupId), use(key), use(before), use(after), use(userId), use(at), now;
    session.commit();
}

std::map<std::string, std::string>
GroupSettings::setAll(long groupId, const std::map<std::string, std::string>& values, long userId) const
{
    std::map<std::string, std::string> refused;
    for (const auto& [name, value] : values)
    {
        try
        {
            check(groupId, name, value);
        }
        catch (const FieldException& error)
        {
            refused[name] = error.message();
        }
    }
    if (refused.empty() && groupId == HOST && _declarations.between)
    {
        try
        {
            _declarations.between(
                [&](const std::string& key)
                {
                    auto typed = values.find(key.substr(prefix.size()));
                    if (typed == values.end())
                        return value(HOST, key.substr(prefix.size()));
                    return typed->second.empty() ? _moduleSetting(key) : typed->second;
                });
        }
        catch (const Poco::Exception& error)
        {
            // "massmailing.smtp.password is required when ...": the field is the key it starts with.
            std::string message = error.message();
            if (message.compare(0, prefix.size(), prefix) == 0)
                message = message.substr(prefix.size());
            refused[message.substr(0, message.find(' '))] = message;
        }
    }
    if (refused.empty())
        for (const auto& [name, value] : values)
            set(groupId, name, value, userId);
    return refused;
}

std::vector<GroupSettings::Change> GroupSettings::changes(long groupId, std::size_t limit) const
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::DateTime> at;
    std::vector<std::string> names, olds, news, logins;
    std::vector<Poco::Int64> users;
    // Who: the host's login of the user (its users table), when there is one.
    session << "SELECT c.changed_at, c.changed_by, COALESCE(u.login, ''), c.name, c.old_value, c.new_value "
               "FROM mm_setting_changes c LEFT JOIN users u ON u.id = c.changed_by "
               "WHERE c.group_id = ? ORDER BY c.id DESC LIMIT " +
                   std::to_string(limit),
        use(groupId), into(at), into(users), into(logins), into(names), into(olds), into(news), now;
    std::vector<Change> all;
    for (std::size_t i = 0; i < names.size(); ++i)
        all.push_back({sqlTime(at[i]), long(users[i]), logins[i], names[i], olds[i], news[i]});
    return all;
}
} // namespace MassMailing
