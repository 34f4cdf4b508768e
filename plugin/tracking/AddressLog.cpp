#include "tracking/AddressLog.h"
#include "FieldException.h"
#include "delivery/Deliveries.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <set>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// A DATETIME column as "YYYY-MM-DD HH:MM:SS" text, "" when NULL: the same on both databases.
std::string timeOf(const std::string& column)
{
    return "COALESCE(CAST(" + column + " AS CHAR), '')";
}
} // namespace

bool AddressLogReport::suppressed() const
{
    for (const auto& entry : suppressions)
        if (entry.holds())
            return true;
    return false;
}

AddressLog::AddressLog(CrmHost::Database& database, Suppressions& suppressions, TestSends& testSends,
                       RecipientDirectory& directory)
    : _database(database), _suppressions(suppressions), _testSends(testSends), _directory(directory)
{
}

AddressLogReport AddressLog::of(long groupId, const std::string& groupKind, const std::string& address,
                                std::size_t limit) const
{
    AddressLogReport report;
    try
    {
        report.address = Suppressions::normalise(address);
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        throw FieldException("address", "invalid_address", error.message());
    }
    std::string identity = report.address;
    report.people = _directory.withAddress(groupId, groupKind == "crm" ? "targets" : "members", identity);
    report.suppressions = _suppressions.ofAddress(groupId, identity);
    report.tests = _testSends.ofAddress(groupId, identity, limit);

    // The rows by the address's identity (index mm_recipients_identity), newest first.
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> rows, campaigns, opens, machineOpens, clicks, machineClicks;
    std::vector<std::string> names, campaignStatuses, statuses, reasons, details, bounces, bounceDetails,
        sent, bounced, firstOpen, firstClick, unsubscribed, complained;
    Poco::Data::Statement select(session);
    select
        << "SELECT r.id, c.id, c.name, c.status, r.status, r.reason, r.detail, r.bounce, r.bounce_detail, " +
               timeOf("r.sent_at") + ", " + timeOf("r.bounced_at") + ", " + timeOf("r.first_open_at") + ", " +
               timeOf("r.first_click_at") + ", " + timeOf("r.unsubscribed_at") + ", " +
               timeOf("r.complained_at") +
               ", r.opens, r.machine_opens, r.clicks, r.machine_clicks FROM mm_recipients r JOIN "
               "mm_campaigns c "
               "ON c.id = r.campaign_id WHERE r.email_identity = ? AND c.group_id = ? ORDER BY "
               "COALESCE(r.sent_at, c.started_at, c.created_at) DESC, r.id DESC LIMIT " +
               std::to_string(limit + 1),
        use(identity), use(groupId), into(rows), into(campaigns), into(names), into(campaignStatuses),
        into(statuses), into(reasons), into(details), into(bounces), into(bounceDetails), into(sent),
        into(bounced), into(firstOpen), into(firstClick), into(unsubscribed), into(complained), into(opens),
        into(machineOpens), into(clicks), into(machineClicks);
    select.execute();
    report.truncated = rows.size() > limit;
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i)
    {
        AddressDelivery d;
        d.campaignId = long(campaigns[i]);
        d.campaignName = names[i];
        d.campaignStatus = campaignStatuses[i];
        d.rowId = long(rows[i]);
        d.status = statuses[i];
        d.reason = reasons[i];
        d.detail = details[i];
        d.bounce = bounces[i];
        d.bounceDetail = bounceDetails[i];
        d.sentAt = sent[i].substr(0, 19);
        d.bouncedAt = bounced[i].substr(0, 19);
        d.firstOpenAt = firstOpen[i].substr(0, 19);
        d.firstClickAt = firstClick[i].substr(0, 19);
        d.unsubscribedAt = unsubscribed[i].substr(0, 19);
        d.complainedAt = complained[i].substr(0, 19);
        d.opens = long(opens[i]);
        d.machineOpens = long(machineOpens[i]);
        d.clicks = long(clicks[i]);
        d.machineClicks = long(machineClicks[i]);
        d.canSendAgain = Deliveries::canSendAgain(d.campaignStatus, d.status);
        report.deliveries.push_back(d);
    }

    // The campaigns sent to it again, by the rows of this address in the group.
    std::vector<Poco::Int64> resendCampaigns, resendRows, requestedBy;
    std::vector<std::string> previous, previousDetails, logins, why, at;
    session << "SELECT s.campaign_id, s.recipient_row, s.previous_status, s.previous_detail, s.requested_by, "
               "COALESCE(u.login, ''), s.reason, " +
                   timeOf("s.created_at") +
                   " FROM mm_resends s LEFT JOIN users u ON u.id = s.requested_by WHERE s.recipient_row IN "
                   "(SELECT "
                   "r.id FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id WHERE "
                   "r.email_identity = ? "
                   "AND c.group_id = ?) ORDER BY s.created_at, s.id",
        use(identity), use(groupId), into(resendCampaigns), into(resendRows), into(previous),
        into(previousDetails), into(requestedBy), into(logins), into(why), into(at), now;
    for (std::size_t i = 0; i < resendRows.size(); ++i)
        report.resends.push_back({long(resendCampaigns[i]), long(resendRows[i]), previous[i],
                                  previousDetails[i], long(requestedBy[i]), logins[i], why[i],
                                  at[i].substr(0, 19)});

    // Who lifted a suppression, by login.
    std::set<long> lifters;
    for (const auto& entry : report.suppressions)
        if (entry.liftedBy > 0)
            lifters.insert(entry.liftedBy);
    for (long user : lifters)
    {
        std::vector<std::string> login;
        session << "SELECT login FROM users WHERE id = ?", use(user), into(login), now;
        report.logins[user] = login.empty() ? "#" + std::to_string(user) : login.front();
    }
    return report;
}
} // namespace MassMailing
