#include "GroupSettings.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <map>
#include <vector>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
using Check = std::function<bool(const std::string&)>;

bool wholeNumber(const std::string& value, long min, long max)
{
    Poco::Int64 number = 0;
    return Poco::NumberParser::tryParse64(value, number) && number >= min && number <= max;
}

// What a group may set, and what it must be.
const std::map<std::string, std::pair<Check, std::string>>& known()
{
    static const std::map<std::string, std::pair<Check, std::string>> names = {
        {"bounce.domain",
         {[](const std::string& v)
          { return v.find_first_of(" @<>\r\n\t") == std::string::npos && v.size() <= 253; },
          "a domain name, or empty for the sender's domain"}},
        {"tracking", {[](const std::string& v) { return v == "on" || v == "off"; }, "on or off"}},
        {"tracking.ip", {[](const std::string& v) { return v == "keep" || v == "hash"; }, "keep or hash"}},
        {"bounce.soft_limit",
         {[](const std::string& v) { return wholeNumber(v, 1, 100); }, "a whole number from 1 to 100"}},
        {"bounce.soft_days",
         {[](const std::string& v) { return wholeNumber(v, 1, 365); }, "a whole number from 1 to 365"}}};
    return names;
}
} // namespace

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
    return values.empty() ? _moduleSetting("massmailing." + name) : values.front();
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
    auto rule = known().find(name);
    if (rule == known().end())
        throw Poco::InvalidArgumentException(name + ": a group cannot set it");
    if (!value.empty() && !rule->second.first(value))
        throw Poco::InvalidArgumentException(name + ": it must be " + rule->second.second);
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
