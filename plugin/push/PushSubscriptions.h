#ifndef MassMailing_PushSubscriptions_INCLUDED
#define MassMailing_PushSubscriptions_INCLUDED

#include "CrmHost/Database.h"
#include "push/PushSubscription.h"
#include <Poco/Data/Session.h>
#include <vector>

namespace MassMailing
{
/// The members' push subscriptions (table mm_push_subscriptions), one row per group and
/// browser: added from the subscribe page, read by the sender, deleted when the push service
/// answers that the subscription is gone (404, 410) or the member removes the device.
class PushSubscriptions
{
public:
    explicit PushSubscriptions(CrmHost::Database& database);

    long add(long groupId, long personId, const PushSubscription& subscription, const std::string& userAgent,
             const std::string& at) const;
    /// Keeps the (already parsed) subscription for that member, replacing the row of the same
    /// endpoint in the group (a browser subscribing again, or another member on the same
    /// browser), in one transaction. Returns the row's id. Throws the database's exception.

    std::vector<PushSubscription> ofPerson(long groupId, long personId) const;
    /// The member's devices in the group, oldest first.

    bool remove(long groupId, long id) const;
    /// Deletes one subscription; false when it was not there.

    bool removeEndpoint(long groupId, const std::string& endpoint) const;
    /// Deletes the subscription of that endpoint (the push service said it is gone).

    long memberOfUser(long userId, long groupId) const;
    /// The person the logged-in user is (the host's users.person_id) when that person is a member
    /// of the group (memberships); 0 otherwise.

    long memberByEmail(long groupId, const std::string& email) const;
    /// A member of the group by address (the host's member screen links by address); 0 if none.

    static long erase(Poco::Data::Session& session, long groupId, const std::vector<long>& personIds);
    /// A person's erasure (X2), in the caller's transaction: the devices of those members in the
    /// group are deleted. Returns how many.

    static std::string endpointKey(const std::string& endpoint);
    /// The SHA-256 of the endpoint in hexadecimal: the unique key (an URL is too long to index).

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
