#include "tracking/Unsubscribes.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include "tracking/Events.h"
#include <Poco/Data/Statement.h>
#include <vector>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
Unsubscribes::Unsubscribes(CrmHost::Database& database, const Suppressions& suppressions,
                           std::function<Poco::DateTime()> clock)
    : _database(database), _suppressions(suppressions), _clock(std::move(clock))
{
}

bool Unsubscribes::unsubscribe(const LinkToken& token, UnsubscribeMethod method) const
{
    const bool recorded = _suppressions.unsubscribe(token.groupId, token.address, token.campaignId, method);
    if (token.campaignId <= 0)
        return recorded;
    const Poco::DateTime at = _clock();
    std::string when = sqlTime(at), address = token.address;
    long campaign = token.campaignId;
    Poco::Data::Session session = _database.session();
    session.begin();
    try
    {
        // The row as it was sent: the token holds the address of the message (mm_recipients.email),
        // found by its identity (index mm_recipients_identity).
        std::vector<Poco::Int64> rows;
        std::string identity = EmailAddress::identity(address);
        session << "SELECT id FROM mm_recipients WHERE email_identity = ? AND campaign_id = ? AND email = ? "
                   "AND unsubscribed_at IS NULL ORDER BY id",
            use(identity), use(campaign), use(address), into(rows), now;
        for (Poco::Int64 row : rows)
        {
            long id = long(row);
            Poco::Data::Statement mark(session);
            mark << "UPDATE mm_recipients SET unsubscribed_at = ? WHERE id = ? AND unsubscribed_at IS NULL",
                use(when), use(id);
            if (mark.execute() == 0)
                continue;
            Event event;
            event.campaignId = campaign;
            event.recipientRow = id;
            event.kind = Event::unsubscribe;
            event.at = at;
            event.detail = Suppression::methodName(method);
            Events::insert(session, {event});
        }
        session.commit();
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
    return recorded;
}
} // namespace MassMailing
