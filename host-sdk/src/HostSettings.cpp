#include "HostSettings.h"
#include <Poco/Data/Session.h>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
HostSettings::HostSettings(Poco::AutoPtr<Poco::Util::AbstractConfiguration> file, Database& database)
    : _file(std::move(file)), _database(database)
{
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
