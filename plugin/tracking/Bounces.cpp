#include "tracking/Bounces.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include "audience/Suppressions.h"
#include "delivery/Deliveries.h"
#include "tracking/Events.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
const char* const Bounces::BOUNCES_HANDLER = "massmailing.bounces";
const char* const Bounces::FEEDBACK_HANDLER = "massmailing.feedback";
const char* const Bounces::BOUNCE_PATTERN = "bounce+*@*";

namespace
{
// The row a token names, and its group.
struct Target
{
    long groupId = 0;
    std::string address; /// As sent to; empty for a test message.
};

std::string rowName(const BounceToken& token)
{
    return token.test ? "the test message of campaign " + std::to_string(token.campaignId)
                      : "recipient row " + std::to_string(token.recipientRow) + " of campaign " +
                            std::to_string(token.campaignId);
}

std::string eventKind(DeliveryReport::Kind kind)
{
    switch (kind)
    {
    case DeliveryReport::Kind::HardBounce:
        return Event::bounce;
    case DeliveryReport::Kind::SoftBounce:
        return Event::delay;
    case DeliveryReport::Kind::Complaint:
        return Event::complaint;
    case DeliveryReport::Kind::AutoReply:
        return Event::autoReply;
    case DeliveryReport::Kind::NotUnderstood:
        break;
    }
    return "";
}

std::string eventDetail(const DeliveryReport& report)
{
    if (report.kind == DeliveryReport::Kind::Complaint)
        return "feedback " + report.feedbackType;
    if (report.kind == DeliveryReport::Kind::AutoReply)
        return report.subject.substr(0, 500);
    return report.recipients.empty() ? std::string() : report.recipients.front().detail();
}
} // namespace

Bounces::Bounces(CrmHost::Database& database, const BounceAddress& signer, const GroupSettings& settings)
    : _database(database), _signer(signer), _settings(settings)
{
}

CrmHost::InboundOutcome Bounces::handle(const CrmHost::InboundMessage& message) const
{
    return record(DeliveryReport::read(message.raw, message.recipients, message.receivedAt));
}

CrmHost::InboundOutcome Bounces::record(const DeliveryReport& report) const
{
    if (report.kind == DeliveryReport::Kind::NotUnderstood)
        return {false, report.reason};
    BounceToken token;
    try
    {
        token = _signer.verify(report.token);
    }
    catch (const InvalidBounceAddressException& error)
    {
        return {false, "a " + DeliveryReport::kindName(report.kind) +
                           " with a bounce token we did not sign: " + error.message()};
    }
    return recordFor(token, report);
}

CrmHost::InboundOutcome Bounces::recordFor(const BounceToken& named, const DeliveryReport& report) const
{
    BounceToken token = named; // bound by the statements below
    if (report.kind == DeliveryReport::Kind::NotUnderstood)
        return {false, report.reason};
    Poco::Data::Session session = _database.session();
    Target target;
    {
        std::vector<Poco::Int64> groups;
        std::vector<std::string> addresses;
        if (token.test)
            session << "SELECT group_id, '' FROM mm_campaigns WHERE id = ?", use(token.campaignId),
                into(groups), into(addresses), now;
        else
            session << "SELECT c.group_id, r.email FROM mm_recipients r JOIN mm_campaigns c ON c.id = "
                       "r.campaign_id "
                       "WHERE r.id = ? AND r.campaign_id = ?",
                use(token.recipientRow), use(token.campaignId), into(groups), into(addresses), now;
        if (groups.empty())
            return {false, "a " + DeliveryReport::kindName(report.kind) + " for " + rowName(token) +
                               ", which is no longer there (a stale token)"};
        target = {long(groups.front()), addresses.front()};
    }

    Event event;
    event.campaignId = token.campaignId;
    event.recipientRow = token.test ? 0 : token.recipientRow;
    event.kind = eventKind(report.kind);
    event.at = report.at;
    event.detail = eventDetail(report);
    const std::string what = DeliveryReport::kindName(report.kind) + " of " + rowName(token);

    session.begin();
    try
    {
        if (Events::recorded(session, event))
        {
            session.commit();
            return {true, what + ", recorded already"};
        }
        std::string done;
        const bool suppresses = !token.test;
        switch (report.kind)
        {
        case DeliveryReport::Kind::HardBounce:
            if (!token.test)
                Deliveries::bounced(session, token.campaignId, token.recipientRow, true, true, event.detail,
                                    report.at);
            if (suppresses && Suppressions::suppress(session, target.groupId, target.address, "bounced",
                                                     event.detail, token.campaignId, report.at))
                done = "; " + target.address + " suppressed in group " + std::to_string(target.groupId);
            break;
        case DeliveryReport::Kind::SoftBounce:
        {
            if (!token.test)
                Deliveries::bounced(session, token.campaignId, token.recipientRow, false, report.givenUp(),
                                    event.detail, report.at);
            if (!suppresses)
                break;
            Events::insert(session, {event});
            const long limit = _settings.number(target.groupId, "bounce.soft_limit");
            const long days = _settings.number(target.groupId, "bounce.soft_days");
            std::string since = sqlTime(report.at - Poco::Timespan(days, 0, 0, 0, 0));
            std::string identity = EmailAddress::identity(target.address), kind = Event::delay;
            Poco::Int64 count = 0;
            session
                << "SELECT COUNT(*) FROM mm_events e JOIN mm_recipients r ON r.id = e.recipient_row "
                   "WHERE e.campaign_id IN (SELECT id FROM mm_campaigns WHERE group_id = ?) AND e.kind = ? "
                   "AND e.at >= ? AND " +
                       SqlDialect(_database.dialect()).addressIdentity("r.email") + " = ?",
                use(target.groupId), use(kind), use(since), use(identity), into(count), now;
            done = "; " + std::to_string(count) + " of " + std::to_string(limit) + " soft bounces in " +
                   std::to_string(days) + " days";
            if (count >= limit &&
                Suppressions::suppress(session, target.groupId, target.address, "bounced",
                                       std::to_string(count) + " soft bounces in " + std::to_string(days) +
                                           " days, the last: " + event.detail,
                                       token.campaignId, report.at))
                done += "; " + target.address + " suppressed in group " + std::to_string(target.groupId);
            session.commit();
            return {true, what + ": " + event.detail + done};
        }
        case DeliveryReport::Kind::Complaint:
            if (!token.test)
                Deliveries::complained(session, token.campaignId, token.recipientRow, report.at);
            if (suppresses && Suppressions::suppress(session, target.groupId, target.address, "complained",
                                                     event.detail, token.campaignId, report.at))
                done = "; " + target.address + " suppressed in group " + std::to_string(target.groupId);
            break;
        case DeliveryReport::Kind::AutoReply:
        case DeliveryReport::Kind::NotUnderstood:
            break;
        }
        Events::insert(session, {event});
        session.commit();
        return {true, what + (event.detail.empty() ? "" : ": " + event.detail) + done};
    }
    catch (...)
    {
        if (session.isTransaction())
            session.rollback();
        throw;
    }
}
} // namespace MassMailing
