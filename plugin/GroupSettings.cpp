#include "GroupSettings.h"
#include "SettingChecks.h"
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const std::string prefix = "massmailing.";
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
            setting("bounce.soft_days", "30", {}, wholeNumber(1, 365))};
}

GroupSettings::GroupSettings(CrmHost::Database& database, ModuleSetting moduleSetting)
    : _database(database), _moduleSetting(std::move(moduleSetting))
{
}

std::string GroupSettings::value(long groupId, const std::string& name) const
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> values;
    std::string key = name;
    session << "SELECT value FROM mm_group_settings WHERE group_id = ? AND name = ?", use(groupId), use(key),
        into(values), now;
    return values.empty() ? _moduleSetting(prefix + name) : values.front();
}

long GroupSettings::number(long groupId, const std::string& name) const
{
    return long(Poco::NumberParser::parse64(value(groupId, name)));
}

bool GroupSettings::on(long groupId, const std::string& name) const
{
    return value(groupId, name) == "on";
}

void GroupSettings::set(long groupId, const std::string& name, const std::string& value) const
{
    const std::vector<CrmHost::Setting> all = declarations();
    auto declared =
        std::find_if(all.begin(), all.end(),
                     [&](const CrmHost::Setting& setting) { return setting.key == prefix + name; });
    if (declared == all.end())
        throw Poco::InvalidArgumentException(name + ": a group cannot set it");
    if (!value.empty())
    {
        const auto& allowed = declared->allowed;
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end())
            throw Poco::InvalidArgumentException(
                name + ": it must be " + Poco::cat(std::string(" or "), allowed.begin(), allowed.end()));
        try
        {
            if (declared->check)
                declared->check(value);
        }
        catch (const Poco::Exception& e)
        {
            throw Poco::InvalidArgumentException(name + ": " + e.message());
        }
    }
    Poco::Data::Session session = _database.session();
    std::string key = name, text = value;
    session.begin();
    session << "DELETE FROM mm_group_settings WHERE group_id = ? AND name = ?", use(groupId), use(key), now;
    if (!text.empty())
        session << "INSERT INTO mm_group_settings (group_id, name, value) VALUES (?, ?, ?)", use(groupId),
            use(key), use(text), now;
    session.commit();
}
} // namespace MassMailing
