#ifndef MassMailing_AddressLog_INCLUDED
#define MassMailing_AddressLog_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Recipient.h"
#include "audience/RecipientDirectory.h"
#include "audience/Suppressions.h"
#include "delivery/TestSends.h"
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// What one campaign of the group did with one address: its recipient row and what came back.
struct AddressDelivery
{
    long campaignId = 0;
    std::string campaignName;
    std::string campaignStatus;
    long rowId = 0;           /// mm_recipients.id
    std::string status;       /// planned, left_out, queued, leased, sent, failed, skipped, in_doubt, ...
    std::string reason;       /// Why it was left out or skipped; "" otherwise.
    std::string detail;       /// The delivery's last word (the server's answer to a failure).
    std::string bounce;       /// "", "soft" or "hard".
    std::string bounceDetail; /// The server's text of the bounce.
    std::string sentAt, bouncedAt, firstOpenAt, firstClickAt, unsubscribedAt,
        complainedAt; /// UTC; "" for none
    long opens = 0, machineOpens = 0, clicks = 0, machineClicks = 0;
    bool canSendAgain = false; /// Deliveries::canSendAgain of the campaign's state and the row's.
};

/// A campaign sent to the address again by hand (mm_resends).
struct AddressResend
{
    long campaignId = 0;
    long rowId = 0;
    std::string previousStatus;
    std::string previousDetail;
    long requestedBy = 0;
    std::string requestedByLogin;
    std::string reason;
    std::string at;
};

/// One address's delivery log in a group (R5, the questions of seed 002).
struct AddressLogReport
{
    std::string address;                           /// Its identity (Suppressions::normalise).
    std::vector<Recipient> people;                 /// Who of the group has this address now; empty: nobody.
    std::vector<AddressDelivery> deliveries;       /// Newest first.
    std::vector<TestSendRecord> tests;             /// Newest first.
    std::vector<Suppressions::Entry> suppressions; /// Oldest first, lifted ones too.
    std::vector<AddressResend> resends;            /// Oldest first.
    std::map<long, std::string> logins;            /// The users named by suppressions' liftedBy, by id.
    bool truncated = false; /// More campaigns than the limit: the oldest are not shown.

    bool member() const { return !people.empty(); }
    bool suppressed() const; /// A suppression holds now.
};

/// Reads one address's delivery log: every campaign of the group it was a recipient of, with its
/// status, reason, bounce text, sent time, opens, clicks, unsubscription and complaint; every test
/// it received; its suppressions with their dates (and who lifted one, and why); the campaigns
/// sent to it again; and whether it is still among the group's people. Only reads: lifting and
/// sending again belong to Suppressions and Deliveries.
class AddressLog
{
public:
    AddressLog(CrmHost::Database& database, Suppressions& suppressions, TestSends& testSends,
               RecipientDirectory& directory);

    AddressLogReport of(long groupId, const std::string& groupKind, const std::string& address,
                        std::size_t limit = 500) const;
    /// groupKind decides who counts as the group's (members; a CRM's contacts, accounts and
    /// leads). Throws FieldException (address) for what Suppressions::normalise refuses.

private:
    CrmHost::Database& _database;
    Suppressions& _suppressions;
    TestSends& _testSends;
    RecipientDirectory& _directory;
};
} // namespace MassMailing

#endif
