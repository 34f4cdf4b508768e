#ifndef MassMailing_TargetsLoader_INCLUDED
#define MassMailing_TargetsLoader_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/RecipientLoader.h"
#include <Poco/DateTime.h>
#include <functional>
#include <string>
#include <vector>

namespace MassMailing
{
/// The predefined lists and filters of a group (product A1, A3, A4), as the recipient
/// loader "massmailing.targets" of the host: campaign audiences and the host's Members
/// screen share it (A2). It reads the host's data model (docs/data-model.md).
///
/// Food groups (recipient type "members"): members.all, members.admins,
/// members.catalogue_contacts, members.test, members.without_order, members.with_order,
/// members.fees_to_renew and members.fees_up_to_date (only where manages_fees),
/// members.never_logged_in, members.waiting_list, members.ordered_next_distribution,
/// members.not_ordered_next_distribution, members.amap_contract (only for an AMAP);
/// members.catalogue_buyers {catalogue, catalogue_name}, one per active catalogue;
/// members.to_collect {distribution, date, catalogue, catalogue_name}, one per distribution
/// of the next 14 days and catalogue ordered there (only for an AMAP, as in the seed).
/// CRM groups: contacts.all, accounts.all, leads.all; contacts.filter, accounts.filter,
/// leads.filter {filter, filter_name}, one per saved filter; targets.list {target,
/// target_name} (recipient type "targets"), one per CRM target, mixing the three kinds.
/// Studio groups: members.all; members.filter {filter, filter_name}, one per smartlist;
/// session.booked, session.waiting, session.cancelled {session, session_title, date}, for
/// each session from 7 days ago to 30 days ahead. Food groups list their members smartlists
/// too, when they have any. members.person {person}: one member, for the inbox (never listed).
///
/// Every query yields kind, id, email, first_name, last_name, company, locale and phone (hasPhone), never
/// NULL, one row per recipient; addresses are returned as stored. A bare address of the test list is the row
/// ('person', 0, address, '', '', '', 'fr').
class TargetsLoader : public CrmHost::RecipientLoader
{
public:
    using Clock = std::function<Poco::DateTime()>;
    /// The current time, UTC.

    explicit TargetsLoader(CrmHost::Database& database);
    /// A loader on the host's database and the system clock.

    TargetsLoader(CrmHost::Database& database, Clock clock);
    /// A loader whose "now" (next distribution, fees and contracts of today, upcoming
    /// sessions) comes from clock.

    std::string name() const override;
    /// "massmailing.targets".

    std::vector<CrmHost::Target> targets(long groupId) const override;
    /// The targets that apply to the group: none for an unknown group. Saved filters are
    /// listed as they are; a bad definition is refused by query().
    /// Throws the connector's Poco::Data exception when the database fails.

    CrmHost::RecipientQuery query(const CrmHost::Target& target, long groupId,
                                  CrmHost::Dialect dialect) const override;
    /// The query of a target of the group, with the current time bound into it.
    /// Throws Poco::NotFoundException for an unknown group, or a target id that does not
    /// apply to the group (fee lists without fees, AMAP lists outside an AMAP, ...);
    /// Poco::InvalidArgumentException, naming the parameter, for a missing or malformed
    /// parameter, one that names another group's catalogue, distribution, session, filter
    /// or target, a recipient type that does not match the target, or a saved filter whose
    /// definition is refused (see SavedFilter).

private:
    struct Group
    {
        std::string kind;
        bool managesFees = false;
        bool isAmap = false;
    };

    bool findGroup(long groupId, Group& group) const;
    void listFood(long groupId, const Group& group, std::vector<CrmHost::Target>& targets) const;
    void listCrm(long groupId, std::vector<CrmHost::Target>& targets) const;
    void listStudio(long groupId, std::vector<CrmHost::Target>& targets) const;
    void listFilters(long groupId, const std::vector<std::string>& types,
                     std::vector<CrmHost::Target>& targets) const;
    void checkOwned(const char* table, const char* parameter, long id, long groupId) const;
    CrmHost::RecipientQuery filterQuery(const CrmHost::Target& target, long groupId,
                                        const std::string& recipientType) const;

    CrmHost::Database& _database;
    Clock _clock;
};
} // namespace MassMailing

#endif
