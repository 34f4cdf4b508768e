#ifndef CrmHost_Accounts_INCLUDED
#define CrmHost_Accounts_INCLUDED

#include "CrmHost/Database.h"
#include <optional>
#include <set>
#include <string>

namespace CrmHost
{
struct User
{
    long id = 0;
    std::string login;
};

/// A browser session: its id travels in an HttpOnly cookie, its CSRF token in every form.
struct WebSession
{
    std::string id;
    long userId = 0; /// 0 before login.
    std::string csrfToken;
};

/// Login accounts, their rights per group, browser sessions and API tokens.
/// Session ids and API tokens are stored as SHA-256 digests only.
class Accounts
{
public:
    /// A right held in group ALL_GROUPS holds in every group.
    static constexpr long ALL_GROUPS = 0;

    explicit Accounts(Database& database);

    long addUser(const std::string& login, const std::string& password);
    /// Throws Poco::InvalidArgumentException naming the field ("login", "password": at least
    /// 8 characters) and Poco::ExistsException when the login is taken.

    void grant(long userId, long groupId, const std::string& right);
    void addMembership(long userId, long groupId);
    /// Makes the user a member of the group, creating the person behind the login if needed.
    bool canSeeGroup(long userId, long groupId);
    /// Members of the group and holders of a right in it (or in all groups) see the group.
    std::optional<User> findUser(const std::string& login);
    std::optional<User> findUser(long id);
    std::optional<User> authenticate(const std::string& login, const std::string& password);
    /// The user, when the login exists and the password matches. An unknown login costs the
    /// same time as a known one: its password is checked against a dummy hash.

    std::set<std::string> rights(long userId, long groupId);
    /// Rights held in this group, counting those held in all groups.
    bool hasRight(long userId, const std::string& right, long groupId);
    bool hasRightSomewhere(long userId, const std::string& right);

    WebSession openSession(long userId);
    /// A new session (at login), and the expired ones deleted.
    std::optional<WebSession> findSession(const std::string& id);
    /// The session, unless unknown or expired.
    void closeSession(const std::string& id);

    std::string issueApiToken(long userId);
    std::optional<User> userByApiToken(const std::string& token);

private:
    Database& _database;
};
} // namespace CrmHost

#endif
