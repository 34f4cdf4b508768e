#ifndef MassMailing_Unsubscribes_INCLUDED
#define MassMailing_Unsubscribes_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Suppressions.h"
#include "tracking/LinkToken.h"
#include <Poco/DateTime.h>
#include <functional>

namespace MassMailing
{
/// An unsubscribe link used (X1), counted for the campaign whose message held it: the address
/// leaves the group (audience's Suppressions), and the campaign's row of that address gets
/// mm_recipients.unsubscribed_at and an "unsubscribe" event, once (the results' count).
class Unsubscribes
{
public:
    Unsubscribes(CrmHost::Database& database, const Suppressions& suppressions,
                 std::function<Poco::DateTime()> clock);
    /// Both must outlive this object; clock: the time recorded (UTC).

    bool unsubscribe(const LinkToken& token, UnsubscribeMethod method) const;
    /// Suppressions::unsubscribe for the token's group and address (its return), then the row
    /// of the token's campaign sent to that address marked and its event recorded, unless it
    /// was already. Throws as Suppressions::unsubscribe() does.

private:
    CrmHost::Database& _database;
    const Suppressions& _suppressions;
    std::function<Poco::DateTime()> _clock;
};
} // namespace MassMailing

#endif
