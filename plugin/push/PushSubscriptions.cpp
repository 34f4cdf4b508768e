#include "push/PushSubscriptions.h"
#include "SqlDialect.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
PushSubscriptions::PushSubscriptions(CrmHost::Database& database) : _database(database) {}

std::string PushSubscriptions::endpointKey(const std::string& endpoint)
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(endpoint);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

long PushSubscriptions::add(long groupId, long personId, const PushSubscription& subscription,
                            const std::string& userAgent, const std::string& at) const
{
    std::string endpoint = subscription.endpoint, key = endpointKey(endpoint), p256dh = subscription.p256dh,
                auth = subscription.auth, agent = userAgent.substr(0, 255), when = at;
    Poco::Data::Session session = _database.session();
    Poco::Data::Transaction transaction(session);
    session << "DELETE FROM mm_push_subscriptions WHERE group_id = ? AND endpoint_key = ?", use(groupId),
        use(key), now;
    session
        << "INSERT INTO mm_push_subscriptions (group_id, person_id, endpoint, endpoint_key, p256dh, auth, "
           "user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        use(groupId), use(personId), use(endpoint), use(key), use(p256dh), use(auth), use(agent), use(when),
        now;
    Poco::Int64 id = 0;
    session << SqlDialect(SqlDialect::of(session)).lastInsertId(), into(id), now;
    transaction.commit();
    return long(id);
}

std::vector<PushSubscription> PushSubscriptions::ofPerson(long groupId, long personId) const
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> endpoints, p256dhs, auths, agents, times;
    Poco::Data::Session session = _database.session();
    session << "SELECT id, endpoint, p256dh, auth, user_agent, CAST(created_at AS CHAR) FROM "
               "mm_push_subscriptions WHERE group_id = ? AND person_id = ? ORDER BY id",
        use(groupId), use(personId), into(ids), into(endpoints), into(p256dhs), into(auths), into(agents),
        into(times), now;
    std::vector<PushSubscription> out;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        PushSubscription s;
        s.id = long(ids[i]);
        s.groupId = groupId;
        s.personId = personId;
        s.endpoint = endpoints[i];
        s.p256dh = p256dhs[i];
        s.auth = auths[i];
        s.userAgent = agents[i];
        s.createdAt = times[i].substr(0, 19);
        out.push_back(s);
    }
    return out;
}

bool PushSubscriptions::remove(long groupId, long id) const
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM mm_push_subscriptions WHERE group_id = ? AND id = ?", use(groupId), use(id);
    return statement.execute() > 0;
}

bool PushSubscriptions::removeEndpoint(long groupId, const std::string& endpoint) const
{
    std::string key = endpointKey(endpoint);
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM mm_push_subscriptions WHERE group_id = ? AND endpoint_key = ?", use(groupId),
        use(key);
    return statement.execute() > 0;
}

long PushSubscriptions::erase(Poco::Data::Session& session, long groupId, const std::vector<long>& personIds)
{
    long changed = 0;
    for (long person : personIds)
    {
        Poco::Data::Statement statement(session);
        statement << "DELETE FROM mm_push_subscriptions WHERE group_id = ? AND person_id = ?", bind(groupId),
            bind(person);
        changed += long(statement.execute());
    }
    return changed;
}

long PushSubscriptions::memberOfUser(long userId, long groupId) const
{
    std::vector<Poco::Int64> people;
    Poco::Data::Session session = _database.session();
    session << "SELECT u.person_id FROM users u JOIN memberships m ON m.person_id = u.person_id AND "
               "m.group_id = ? "
               "WHERE u.id = ?",
        use(groupId), use(userId), into(people), now;
    return people.empty() ? 0 : long(people[0]);
}

long PushSubscriptions::memberByEmail(long groupId, const std::string& email) const
{
    std::string address = email;
    std::vector<Poco::Int64> people;
    Poco::Data::Session session = _database.session();
    session << "SELECT p.id FROM people p JOIN memberships m ON m.person_id = p.id AND m.group_id = ? WHERE "
               "p.email = ? ORDER BY p.id",
        use(groupId), use(address), into(people), now;
    return people.empty() ? 0 : long(people[0]);
}
} // namespace MassMailing
