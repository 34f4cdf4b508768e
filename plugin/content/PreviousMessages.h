#ifndef MassMailing_PreviousMessages_INCLUDED
#define MassMailing_PreviousMessages_INCLUDED

#include "CrmHost/Database.h"
#include "content/Attachments.h"
#include "content/Campaign.h"
#include "content/Campaigns.h"
#include <functional>
#include <string>
#include <vector>

namespace MassMailing
{
/// A campaign whose message may be reused, as the reuse list shows it.
struct PreviousMessage
{
    long id = 0;
    long groupId = 0;
    std::string groupName;
    std::string name;
    std::string subject;
    std::string status;
    std::string createdAt;
};

/// Reusing a previous message (C8): the subject and the body of another campaign of the same
/// group or of another group the user composes in; never its recipients or its sender.
class PreviousMessages
{
public:
    using MayCompose = std::function<bool(long groupId)>;

    PreviousMessages(CrmHost::Database& database, Campaigns& campaigns, Attachments& attachments);

    std::vector<PreviousMessage> choices(long excludedCampaignId, const MayCompose& mayCompose,
                                         std::size_t limit = 200);
    /// Campaigns with a subject or a body, newest first, of the groups where mayCompose is true.

    void reuse(long fromCampaignId, Campaign& into, const MayCompose& mayCompose);
    /// Sets into's subject, HTML and language versions to those of the other campaign; its inline images
    /// become images of into. Nothing is stored: the caller saves into. Throws FieldException (field "reuse",
    /// code "unknown_message") when there is no such campaign or the user may not compose in its group.

private:
    CrmHost::Database& _database;
    Campaigns& _campaigns;
    Attachments& _attachments;
};
} // namespace MassMailing

#endif
