#ifndef MassMailing_Audience_INCLUDED
#define MassMailing_Audience_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/RecipientLoader.h"
#include "audience/SqlDialect.h"
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// The campaign an audience belongs to, as the audience stage needs it.
struct AudienceOwner
{
    long campaignId = 0;
    long groupId = 0;
    std::string recipientType; /// members, contacts, accounts, leads or targets
    std::string dedupe;        /// "address": one message per address; "contact": one per person
};

/// The numbers of "Calculer" (A9). loaded = planned + the sum of leftOut.
struct AudienceSummary
{
    long loaded = 0;
    long planned = 0;
    std::map<std::string, long> leftOut; /// by reason: invalid, no_address, duplicate, unsubscribed, ...
    long monthlyLimit = 0;               /// 0: none
    long sentThisMonth = 0;

    long count(const std::string& reason) const;
    long remainingThisMonth() const;     /// -1 when there is no limit
};

/// One loaded row, planned or left out with its reason.
struct AudienceRow
{
    long id = 0;
    std::string kind;
    long recipientId = 0;
    std::string email;
    std::string firstName;
    std::string lastName;
    std::string status;
    std::string reason;
    std::string source;
};

/// What an imported CSV gave: the lines taken and, for each refused line, why.
struct CsvReport
{
    long taken = 0;
    std::vector<std::pair<long, std::string>> refused; /// (line number, reason)
};

/// A campaign's audience (A1–A11): the targets and addresses loaded into it, resolved
/// set-based into mm_recipients (INSERT ... SELECT, then one UPDATE per reason), each row
/// planned or left out with its reason. The reasons, in the order they win: unchecked,
/// excluded, no_address, invalid, unsubscribed, bounced, complained, duplicate, control_group.
class Audience
{
public:
    Audience(CrmHost::Database& database, const CrmHost::RecipientLoader& loader);

    std::vector<CrmHost::Target> targets(long groupId, const std::string& recipientType) const;
    /// The loader's targets that apply to this group and recipient type ("targets" takes every CRM type).

    void addTarget(const AudienceOwner& owner, const std::string& targetId, const std::map<std::string, std::string>& params,
                   bool exclude);
    /// Loads (or excludes) a target. Throws Poco::NotFoundException for a target this group does
    /// not offer, Poco::InvalidArgumentException for a bad parameter.

    void excludeCampaign(const AudienceOwner& owner, long campaignId);
    /// Leaves out everyone who was sent campaign campaignId (A11).

    void addAddresses(const AudienceOwner& owner, const std::vector<std::string>& addresses);
    CsvReport importCsv(const AudienceOwner& owner, const std::string& csv);
    /// One address per line, with optional first and last names: "email[,first_name,last_name]",
    /// a header line allowed. Every refused line is reported with its reason; the good ones are kept.

    void setChecked(const AudienceOwner& owner, const std::string& key, bool checked);
    /// key: "KIND:ID" or an address. An unchecked row is left out with reason "unchecked".
    void setControlGroup(const AudienceOwner& owner, int percent);
    void clear(const AudienceOwner& owner);

    AudienceSummary resolve(const AudienceOwner& owner, long monthlyLimit);
    /// Rebuilds the campaign's recipient rows from its sources and returns the summary.
    AudienceSummary summary(const AudienceOwner& owner, long monthlyLimit);
    std::vector<AudienceRow> rows(long campaignId, const std::string& status, const std::string& reason,
                                  std::size_t limit, std::size_t offset);

private:
    long addSource(const AudienceOwner& owner, const std::string& action, const std::string& source,
                   const std::string& targetId, const std::string& params, const std::string& label);
    CrmHost::Target findTarget(const AudienceOwner& owner, const std::string& targetId,
                               const std::map<std::string, std::string>& params) const;

    CrmHost::Database& _database;
    const CrmHost::RecipientLoader& _loader;
    SqlDialect _sql;
};
} // namespace MassMailing

#endif
