#include "HostSettings.h"
#include <Poco/Data/Session.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
HostSettings::HostSettings(Poco::AutoPtr<Poco::Util::AbstractConfiguration> file, Database& database,
                           const Registry<Setting>& declared)
    : _file(std::move(file)), _database(database), _declared(declared)
{
}

void HostSettings::check(const Setting& setting, const std::string& value)
{
    // A password or a secret is not repeated into the log.
    const std::string name = setting.key.substr(setting.key.rfind('.') + 1);
    const bool secret = name == "password" || name == "secret";
    const std::string refused =
        "setting " + setting.key + (secret ? "" : " = \"" + value + "\"") + " is refused: ";
    if (!setting.allowed.empty() &&
        std::find(setting.allowed.begin(), setting.allowed.end(), value) == setting.allowed.end())
    {
        std::string allowed;
        for (const auto& one : setting.allowed)
            allowed += (allowed.empty() ? "" : ", ") + one;
        throw SettingException(refused + "the allowed values are " + allowed);
    }
    if (!setting.check)
        return;
    try
    {
        setting.check(value);
    }
    catch (const Poco::Exception& error)
    {
        throw SettingException(refused + error.message());
    }
    catch (const std::exception& error)
    {
        throw SettingException(refused + error.what());
    }
}

std::string HostSettings::get(const std::string& key, const std::string& defaultValue) const
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> saved;
    std::string k = key;
    session << "SELECT setting_value FROM settings WHERE setting_key = ?", use(k), into(saved), now;
    if (!saved.empty())
        return saved.front();
    return _file->getString(key, defaultValue);
}

void HostSettings::save(const std::string& key, const std::string& value)
{
    Setting declared;
    if (_declared.find(key, declared))
        check(declared, value);
    Poco::Data::Session session = _database.session();
    std::string k = key, v = value;
    session.begin();
    session << "DELETE FROM settings WHERE setting_key = ?", use(k), now;
    session << "INSERT INTO settings (setting_key, setting_value) VALUES (?, ?)", use(k), use(v), now;
    session.commit();
}

void HostSettings::clear(const std::string& key)
{
    Poco::Data::Session session = _database.session();
    std::string k = key;
    session << "DELETE FROM settings WHERE setting_key = ?", use(k), now;
}
} // namespace CrmHost
