#include "Accounts.h"
#include "PasswordHasher.h"
#include <Poco/Data/Session.h>
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
const Poco::Timespan SESSION_LIFETIME(0, 12, 0, 0, 0);

// What an unknown login's password is checked against, so that it costs what a known one
// does (no enumeration by timing). Made once, with the hasher's own parameters.
const std::string& unknownLoginHash()
{
    static const std::string hash = PasswordHasher::hash(PasswordHasher::randomToken());
    return hash;
}
} // namespace

Accounts::Accounts(Database& database) : _database(database) {}

long Accounts::addUser(const std::string& login, const std::string& password)
{
    std::string l = Poco::trim(login);
    if (l.empty() || l.size() > 100)
        throw Poco::InvalidArgumentException("login", "a login of 1 to 100 characters is required");
    if (password.size() < 8)
        throw Poco::InvalidArgumentException("password", "the password must have at least 8 characters");
    if (findUser(l))
        throw Poco::ExistsException("login", "a user with login \"" + l + "\" already exists");
    std::string hash = PasswordHasher::hash(password);
    Poco::Data::Session session = _database.session();
    session << "INSERT INTO users (login, password_hash) VALUES (?, ?)", use(l), use(hash), now;
    Poco::Int64 id = 0;
    session << "SELECT id FROM users WHERE login = ?", use(l), into(id), now;
    return long(id);
}

void Accounts::grant(long userId, long groupId, const std::string& right)
{
    Poco::Data::Session session = _database.session();
    std::string r = right;
    int held = 0;
    session << "SELECT COUNT(*) FROM user_rights WHERE user_id = ? AND group_id = ? AND right_name = ?",
        use(userId), use(groupId), use(r), into(held), now;
    if (!held)
        session << "INSERT INTO user_rights (user_id, group_id, right_name) VALUES (?, ?, ?)", use(userId),
            use(groupId), use(r), now;
}

std::optional<User> Accounts::findUser(const std::string& login)
{
    Poco::Data::Session session = _database.session();
    std::string l = login;
    std::vector<Poco::Int64> ids;
    session << "SELECT id FROM users WHERE login = ?", use(l), into(ids), now;
    if (ids.empty())
        return std::nullopt;
    return User{long(ids.front()), l};
}

void Accounts::addMembership(long userId, long groupId)
{
    Poco::Data::Session session = _database.session();
    Poco::Nullable<Poco::Int64> personId;
    session << "SELECT person_id FROM users WHERE id = ?", use(userId), into(personId), now;
    if (personId.isNull())
    {
        auto user = findUser(userId);
        if (!user)
            throw Poco::NotFoundException("no user with id " + std::to_string(userId));
        std::string login = user->login;
        session << "INSERT INTO people (first_name) VALUES (?)", use(login), now;
        Poco::Int64 id = 0;
        session << "SELECT MAX(id) FROM people WHERE first_name = ?", use(login), into(id), now;
        session << "UPDATE users SET person_id = ? WHERE id = ?", use(id), use(userId), now;
        personId = id;
    }
    Poco::Int64 person = personId.value();
    int member = 0;
    session << "SELECT COUNT(*) FROM memberships WHERE group_id = ? AND person_id = ?", use(groupId),
        use(person), into(member), now;
    if (!member)
        session << "INSERT INTO memberships (group_id, person_id) VALUES (?, ?)", use(groupId), use(person),
            now;
}

bool Accounts::canSeeGroup(long userId, long groupId)
{
    if (!rights(userId, groupId).empty())
        return true;
    Poco::Data::Session session = _database.session();
    int member = 0;
    session << "SELECT COUNT(*) FROM users u JOIN memberships m ON m.person_id = u.person_id "
               "WHERE u.id = ? AND m.group_id = ?",
        use(userId), use(groupId), into(member), now;
    return member > 0;
}

std::optional<User> Accounts::findUser(long id)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> logins;
    session << "SELECT login FROM users WHERE id = ?", use(id), into(logins), now;
    if (logins.empty())
        return std::nullopt;
    return User{id, logins.front()};
}

std::optional<User> Accounts::authenticate(const std::string& login, const std::string& password)
{
    Poco::Data::Session session = _database.session();
    std::string l = login;
    std::vector<Poco::Int64> ids;
    std::vector<std::string> hashes;
    session << "SELECT id, password_hash FROM users WHERE login = ?", use(l), into(ids), into(hashes), now;
    bool matches = PasswordHasher::verify(password, ids.empty() ? unknownLoginHash() : hashes.front());
    if (ids.empty() || !matches)
        return std::nullopt;
    return User{long(ids.front()), l};
}

std::set<std::string> Accounts::rights(long userId, long groupId)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> names;
    long all = ALL_GROUPS;
    session << "SELECT right_name FROM user_rights WHERE user_id = ? AND group_id IN (?, ?)", use(userId),
        use(groupId), use(all), into(names), now;
    return {names.begin(), names.end()};
}

bool Accounts::hasRight(long userId, const std::string& right, long groupId)
{
    return rights(userId, groupId).count(right) > 0;
}

bool Accounts::hasRightSomewhere(long userId, const std::string& right)
{
    Poco::Data::Session session = _database.session();
    std::string r = right;
    int count = 0;
    session << "SELECT COUNT(*) FROM user_rights WHERE user_id = ? AND right_name = ?", use(userId), use(r),
        into(count), now;
    return count > 0;
}

WebSession Accounts::openSession(long userId)
{
    WebSession web{PasswordHasher::randomToken(), userId, PasswordHasher::randomToken()};
    std::string hash = PasswordHasher::sha256(web.id);
    Poco::DateTime current;
    Poco::DateTime expires = current + SESSION_LIFETIME;
    Poco::Data::Session session = _database.session();
    // Sessions are opened at login only: the moment to forget the expired ones.
    session << "DELETE FROM sessions WHERE expires_at < ?", use(current), now;
    session << "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
        use(hash), use(userId), use(web.csrfToken), use(expires), now;
    return web;
}

std::optional<WebSession> Accounts::findSession(const std::string& id)
{
    if (id.empty())
        return std::nullopt;
    std::string hash = PasswordHasher::sha256(id);
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> users;
    std::vector<std::string> csrf;
    std::vector<Poco::DateTime> expires;
    session << "SELECT COALESCE(user_id, 0), csrf_token, expires_at FROM sessions WHERE token_hash = ?",
        use(hash), into(users), into(csrf), into(expires), now;
    if (users.empty() || expires.front() < Poco::DateTime())
        return std::nullopt;
    return WebSession{id, long(users.front()), csrf.front()};
}

void Accounts::closeSession(const std::string& id)
{
    std::string hash = PasswordHasher::sha256(id);
    Poco::Data::Session session = _database.session();
    session << "DELETE FROM sessions WHERE token_hash = ?", use(hash), now;
}

std::string Accounts::issueApiToken(long userId)
{
    std::string token = PasswordHasher::randomToken();
    std::string hash = PasswordHasher::sha256(token);
    Poco::Data::Session session = _database.session();
    session << "INSERT INTO api_tokens (token_hash, user_id) VALUES (?, ?)", use(hash), use(userId), now;
    return token;
}

std::optional<User> Accounts::userByApiToken(const std::string& token)
{
    std::string hash = PasswordHasher::sha256(token);
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids;
    std::vector<std::string> logins;
    session
        << "SELECT u.id, u.login FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        use(hash), into(ids), into(logins), now;
    if (ids.empty())
        return std::nullopt;
    return User{long(ids.front()), logins.front()};
}
} // namespace CrmHost
