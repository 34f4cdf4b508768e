#ifndef MassMailing_Campaigns_INCLUDED
#define MassMailing_Campaigns_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Recipient.h"
#include "content/Campaign.h"
#include "content/Personalizer.h"
#include <Poco/Data/Session.h>
#include <functional>
#include <mstch/mstch.hpp>
#include <optional>
#include <vector>

namespace MassMailing
{
/// The campaigns of every group (table mm_campaigns), checked on the way in.
class Campaigns
{
public:
    using ChannelOn = std::function<bool(long groupId, const std::string& channel)>;
    /// Whether a group may send on a channel ("sms", "push": add-ons a host administrator
    /// switches on per group, GroupSettings "channel.sms").

    explicit Campaigns(CrmHost::Database& database, ChannelOn channelOn = {});
    /// Without channelOn, only email is available.

    static const std::vector<std::string>& channels();
    /// "email", "sms", "push": the values of Campaign::channel.
    static bool hasSubject(const std::string& channel);
    /// A subject is required (email, push: a notification's title), not for an SMS.
    static bool hasSender(const std::string& channel);
    /// A sender's address (a verified sending domain) and a reply-to: email only.
    std::vector<std::string> channelsOf(long groupId) const;
    /// The channels the group may send on now: email, and the add-ons switched on.

    long create(Campaign campaign);
    /// Checks, sanitises the HTML and stores a new draft. Throws FieldException naming the
    /// first wrong field.

    void update(const Campaign& changes, Poco::Data::Session& session);
    /// Stores new details and content in the caller's transaction. Whether the campaign's
    /// state allows it is delivery's rule: screens call this inside Deliveries::edit. Throws
    /// FieldException, also when the recipient type would change (fixed once the campaign
    /// exists), and Poco::NotFoundException for an unknown campaign.
    void update(const Campaign& changes);
    /// The same in a transaction of its own, for the content stage's own tests and tools.

    std::optional<Campaign> find(long id);
    std::vector<Campaign> ofGroup(long groupId);

    std::string groupKind(long groupId);
    /// "food", "crm" or "studio"; throws FieldException (group) for an unknown group.
    std::string groupName(long groupId);
    std::vector<std::string> verifiedDomains(long groupId);

    static std::string messageLocale(const Campaign& campaign, const std::string& recipientLocale);
    /// The language of a recipient's message (C11): the forced locale when there is one, else
    /// the recipient's when a version has it, else "en" or "fr" (the footer's languages). It
    /// names both the version sent (inLocale) and the language of the footer and dates.

    static Campaign inLocale(const Campaign& campaign, const std::string& locale);
    /// The campaign with the subject and bodies of its version in this locale, or as it is
    /// (its main version) when it has none in this locale.

    static std::vector<std::string> locales(const Campaign& campaign);
    /// "" (the main version) and the locale of each version: every message it can send.

    mstch::map valuesFor(const Campaign& campaign, const std::string& locale);
    /// The variables that are the same for every recipient: group_name, sender_name and,
    /// in a food group, next_distribution_date and next_distribution_place (the campaign's
    /// distribution when it has one, else the group's next).

    void setDistribution(long campaignId, long distributionId);
    /// The distribution a food group's campaign is about (an automatic order summary's), whose
    /// date, place and order lines its variables give.
    long distributionOf(long campaignId);
    /// 0 when none.

    RecipientLists orderLines(const Campaign& campaign, const Recipient& recipient,
                              const std::string& locale);
    /// A member's order for the campaign's distribution (else the group's next), from the host's
    /// orders: "order.lines", one line per order with product (the catalogue), quantity, price
    /// (of one) and total, amounts in the locale's form ("12,50" in French, "12.50" otherwise).
    /// Nothing for someone who is not a person or ordered nothing there.

private:
    void check(Campaign& campaign);
    std::vector<Campaign> select(const std::string& where, long parameter);
    void storeVersions(Poco::Data::Session& session, const Campaign& campaign);

    CrmHost::Database& _database;
    ChannelOn _channelOn;
};
} // namespace MassMailing

#endif
