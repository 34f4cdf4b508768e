#ifndef MassMailing_Audience_INCLUDED
#define MassMailing_Audience_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/RecipientLoader.h"
#include "SqlDialect.h"
#include "audience/Recipient.h"
#include <functional>
#include <map>
#include <optional>
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
    long withoutConsent = 0; /// planned people (persons, leads of a person) without consent to marketing
                             /// on the campaign's channel: people.consent_email, consent_sms or
                             /// consent_push = 0 (A8)

    long count(const std::string& reason) const;
    long remainingThisMonth() const; /// -1 when there is no limit
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
    std::string source; /// The source's label, else its kind (kept for the JSON API).
    long sourceId = 0;
    std::string sourceKind;                          /// target, addresses, csv
    std::string sourceLabel;                         /// A target's catalogue key, a CSV's file name, or ""
    std::map<std::string, std::string> sourceParams; /// A target's params, to fill its label

    std::string key() const;
    /// What setChecked() takes for this row: "KIND:ID", or the address of a typed or imported one.
};

/// What the user loaded into an audience, or excluded from it, in order.
struct AudienceSource
{
    long id = 0;
    std::string action; /// add, exclude
    std::string kind;   /// target, addresses, csv, campaign, not_opened, undelivered
    std::string targetId;
    std::map<std::string, std::string> params;
    std::string label; /// A target's catalogue key, a CSV's file name, an excluded campaign's name
    long rows = 0;     /// Rows it loaded at the last resolution (add only)
};

/// A refused line of an import: its number, why (a code for the screens' words, and the
/// stage's own message), the field at fault and its value (the address, the number of columns).
struct CsvRefusal
{
    long line = 0;
    std::string code; /// no_address, invalid_address, columns, not_utf8, line_too_long,
                      /// first_name_too_long, last_name_too_long, too_many_lines
    std::string value;
    std::string message;
    std::string field; /// email, first_name, last_name; "" for the whole line
};

/// What an imported CSV gave: the lines taken and, for each refused line, why.
struct CsvReport
{
    long taken = 0;
    std::vector<CsvRefusal> refused;
};

/// What delivery says about the rows of a campaign that went out, handed to the audience stage
/// (which comes before delivery) so that it never lists delivery's states itself (A11).
struct PastDeliveries
{
    std::function<bool(const std::string& status)> hasSent; /// Deliveries::hasSent
    std::function<std::string(const std::string& row)> delivered;
    /// Deliveries::delivered: a condition on the columns of mm_recipients, row their alias and a dot.
    std::function<std::string(const std::string& row)> undelivered; /// Deliveries::undelivered
};

/// A campaign's audience (A1–A11): the targets and addresses loaded into it, resolved
/// set-based into mm_recipients (one INSERT ... SELECT per source that decides every reason of the
/// rows it writes: no row is updated after), each row planned or left out with its reason. The reasons, in
/// the order they win: unchecked, excluded, no_address, invalid, unsubscribed, bounced, complained,
/// duplicate, control_group.
class Audience
{
public:
    using SentThisMonth = std::function<long(long groupId)>;

    using Country = std::function<std::string(long groupId)>;

    Audience(CrmHost::Database& database, const CrmHost::RecipientLoader& loader, SentThisMonth sentThisMonth,
             PastDeliveries past = {}, Country country = {});
    /// sentThisMonth: how many messages the group was sent this month, counted by delivery
    /// (Deliveries::sentThisMonth, its clock), which the summary shows against the quota (A9).
    /// past: what delivery says of a campaign that went out, for the sources of campaignRows();
    /// without it they are refused.
    /// country: the group's country (GroupSettings "country", ISO 3166 alpha-2 or ""), for the
    /// numbers of an SMS campaign written without their international prefix.

    std::vector<CrmHost::Target> targets(long groupId, const std::string& recipientType) const;
    /// The loader's targets that apply to this group and recipient type ("targets" takes every CRM type).

    void addTarget(const AudienceOwner& owner, const std::string& targetId,
                   const std::map<std::string, std::string>& params, bool exclude);
    /// Loads (or excludes) a target. Throws Poco::NotFoundException for a target this group does
    /// not offer, Poco::InvalidArgumentException for a bad parameter.

    static const char* const MEMBER_TARGET;
    /// "members.person" {person}: one member of the group (the inbox's member conversations),
    /// which addTarget() takes though targets() never lists it.

    std::vector<long> campaignsLoading(long groupId, const std::string& targetId, const std::string& param,
                                       const std::string& value);
    /// The campaigns of the group whose audience loads that target with that parameter (the
    /// smartlist's campaigns, automatic ones too, for its conversation), in the order made.

    std::vector<Recipient> preview(long groupId, const std::string& recipientType,
                                   const std::string& targetId,
                                   const std::map<std::string, std::string>& params, std::size_t limit);
    /// Who a target holds now, by name, before any campaign (the inbox's choice of a session's
    /// recipients, each deselectable, seed 003 step 5). Throws as addTarget() does.

    void excludeCampaign(const AudienceOwner& owner, long campaignId);
    /// Leaves out everyone who was sent campaign campaignId (A11). Throws
    /// Poco::NotFoundException for a campaign of another group.

    static const char* const NOT_OPENED;  /// "not_opened": those sent campaign X who did not open it
    static const char* const UNDELIVERED; /// "undelivered": those whose delivery of X failed or bounced
    static bool isCampaignRows(const std::string& kind);
    /// NOT_OPENED or UNDELIVERED: the source kinds of addCampaignRows().

    void addCampaignRows(const AudienceOwner& owner, const std::string& kind, long campaignId, bool exclude);
    /// Loads (or excludes) the rows of an earlier campaign of the group (A11): those it was sent to
    /// who have not opened it (no open by a person; machines' opens do not count), or those whose
    /// delivery failed or bounced, as delivery says (PastDeliveries). Throws
    /// Poco::NotFoundException for a campaign of another group or this one, and
    /// FieldException (campaign) for a campaign that has not sent, or, for NOT_OPENED, that was
    /// sent without tracking (nobody's opens are known), and for another kind.

    void addAddresses(const AudienceOwner& owner, const std::vector<std::string>& addresses);
    /// Adds addresses, one per item. Throws Poco::InvalidArgumentException naming the first
    /// bad one (the good ones are kept).
    CsvReport addAddressLines(const AudienceOwner& owner, const std::string& text);
    /// Adds the addresses typed in a box, one per line (a whole line is one address). Every
    /// refused line is reported with its reason; the good ones are kept.
    CsvReport importCsv(const AudienceOwner& owner, const std::string& csv, const std::string& fileName = "");
    /// One address per line, with optional first and last names: "email[,first_name,last_name]",
    /// a header line allowed. Every refused line is reported with its reason; the good ones are kept.
    /// With a file name, the rows show it as their source. A line is at most MAX_LINE_BYTES, a
    /// name at most MAX_NAME_CHARACTERS; a text of more than MAX_LINES lines is refused whole
    /// (too_many_lines, at the first line over), nothing taken.

    static const std::size_t MAX_LINE_BYTES = 2000;
    static const std::size_t MAX_NAME_CHARACTERS = 100; /// mm_recipients.first_name, last_name
    static const long MAX_LINES = 200000;

    std::vector<AudienceSource> sources(long campaignId);
    void removeSource(const AudienceOwner& owner, long sourceId);
    /// Takes back what one source loaded or excluded. Throws Poco::NotFoundException for a
    /// source of another campaign.
    int controlGroup(const AudienceOwner& owner);

    void setChecked(const AudienceOwner& owner, const std::string& key, bool checked);
    /// key: "KIND:ID" or an address. An unchecked row is left out with reason "unchecked";
    /// checking a row ("KIND:ID") brings it back also when it was unchecked by its address.
    void setControlGroup(const AudienceOwner& owner, int percent);
    void clear(const AudienceOwner& owner);

    /// Where a resolution is: the step that starts (exclusions, loading for each source, summary),
    /// the rows loaded so far, and the steps done of all.
    struct Step
    {
        std::string name;
        long rows = 0;
        int done = 0;
        int total = 1;
    };
    using Progress = std::function<void(const Step& step)>;

    AudienceSummary resolve(const AudienceOwner& owner, long monthlyLimit, const Progress& progress = {});
    /// Rebuilds the campaign's recipient rows from its sources and returns the summary; progress,
    /// when given, is told each step as it starts (from the thread that resolves).
    AudienceSummary summary(const AudienceOwner& owner, long monthlyLimit);
    std::vector<AudienceRow> rows(long campaignId, const std::string& status, const std::string& reason,
                                  std::size_t limit, std::size_t offset);

    std::optional<Recipient> recipient(long campaignId, long recipientId, const std::string& email);
    /// The campaign's recipient with that id and address, with the values its message was filled
    /// with; empty when the campaign has no such row.

private:
    long addSource(const AudienceOwner& owner, const std::string& action, const std::string& source,
                   const std::string& targetId, const std::string& params, const std::string& label);
    CsvReport importLines(const AudienceOwner& owner, const std::string& text, bool wholeLine,
                          const std::string& source, const std::string& label);
    void knowNumbers(const CrmHost::RecipientQuery& query, const std::string& country);
    /// The target's numbers not yet in mm_phone_numbers for this country, normalised there
    /// (PhoneNumber::toE164; "" for an invalid one).
    CrmHost::Target findTarget(const AudienceOwner& owner, const std::string& targetId,
                               const std::map<std::string, std::string>& params) const;

    CrmHost::Database& _database;
    const CrmHost::RecipientLoader& _loader;
    SqlDialect _sql;
    SentThisMonth _sentThisMonth;
    PastDeliveries _past;
    Country _country;
};
} // namespace MassMailing

#endif
