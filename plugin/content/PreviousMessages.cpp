#include "content/PreviousMessages.h"
#include "content/ContentException.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
PreviousMessages::PreviousMessages(CrmHost::Database& database, Campaigns& campaigns,
                                   Attachments& attachments)
    : _database(database), _campaigns(campaigns), _attachments(attachments)
{
}

std::vector<PreviousMessage> PreviousMessages::choices(long excludedCampaignId, const MayCompose& mayCompose,
                                                       std::size_t limit)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> groups;
    session << "SELECT DISTINCT group_id FROM mm_campaigns", into(groups), now;
    std::string allowed;
    for (auto group : groups)
        if (mayCompose(long(group)))
            allowed += (allowed.empty() ? "" : ", ") + std::to_string(group);
    if (allowed.empty())
        return {};

    // The group ids are numbers read from the database, not user input.
    Poco::Data::Statement statement(session);
    statement << "SELECT c.id, c.group_id, g.name, c.name, c.subject, c.status, CAST(c.created_at AS CHAR) "
                 "FROM mm_campaigns c JOIN host_groups g ON g.id = c.group_id WHERE c.group_id IN (" +
                     allowed +
                     ") AND c.id <> ? AND (c.subject <> '' OR c.html <> '') ORDER BY c.id DESC LIMIT " +
                     std::to_string(limit),
        use(excludedCampaignId), now;
    Poco::Data::RecordSet rows(statement);
    std::vector<PreviousMessage> found;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) { return rows.value(column, row).convert<std::string>(); };
        found.push_back(PreviousMessage{long(rows.value(0, row).convert<Poco::Int64>()),
                                        long(rows.value(1, row).convert<Poco::Int64>()), text(2), text(3),
                                        text(4), text(5), text(6)});
    }
    return found;
}

void PreviousMessages::reuse(long fromCampaignId, Campaign& into, const MayCompose& mayCompose)
{
    auto from = _campaigns.find(fromCampaignId);
    if (!from || from->id == into.id || !mayCompose(from->groupId))
        throw FieldException("reuse", "unknown_message",
                             "there is no message " + std::to_string(fromCampaignId) + " you may reuse");
    into.subject = from->subject;
    into.text = from->text;
    into.html = _attachments.adoptDataImages(into.id, _attachments.withImageData(from->html, from->id));
    into.versions = from->versions; // its other languages (C11) come along, their images too
    for (auto& version : into.versions)
        version.html =
            _attachments.adoptDataImages(into.id, _attachments.withImageData(version.html, from->id));
}
} // namespace MassMailing
