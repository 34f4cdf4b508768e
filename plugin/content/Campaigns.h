#ifndef MassMailing_Campaigns_INCLUDED
#define MassMailing_Campaigns_INCLUDED

#include "CrmHost/Database.h"
#include "content/Campaign.h"
#include <mstch/mstch.hpp>
#include <optional>
#include <vector>

namespace MassMailing
{
/// The campaigns of every group (table mm_campaigns), checked on the way in.
class Campaigns
{
public:
    explicit Campaigns(CrmHost::Database& database);

    long create(Campaign campaign);
    /// Checks, sanitises the HTML and stores a new draft. Throws FieldException naming the
    /// first wrong field.

    void update(const Campaign& changes);
    /// Stores new details and content of a draft. Throws FieldException, also when the
    /// recipient type would change (fixed once the campaign exists), and
    /// Poco::NotFoundException for an unknown campaign.

    std::optional<Campaign> find(long id);
    std::vector<Campaign> ofGroup(long groupId);

    std::string groupKind(long groupId);
    /// "food", "crm" or "studio"; throws FieldException (group) for an unknown group.
    std::string groupName(long groupId);
    std::vector<std::string> verifiedDomains(long groupId);

    mstch::map valuesFor(const Campaign& campaign, const std::string& locale);
    /// The variables that are the same for every recipient: group_name, sender_name and,
    /// in a food group, next_distribution_date and next_distribution_place.

private:
    void check(Campaign& campaign);
    std::vector<Campaign> select(const std::string& where, long parameter);

    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
