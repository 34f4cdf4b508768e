#include "delivery/Deliveries.h"
#include "SqlDialect.h"
#include "audience/EmailAddress.h"
#include "audience/Suppressions.h"
#include "content/ContentException.h"
#include "delivery/TimeZones.h"
#include <Poco/Ascii.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/String.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
const std::string handedOver = "(status = 'leased' AND in_flight_at IS NOT NULL)";
const std::string waitingToSend = "(status = 'queued' OR (status = 'leased' AND in_flight_at IS NULL))";
const std::string wentOut = "status IN ('sent', 'bounced')";
const std::string meantToDeliver = "(status <> 'left_out')";
// Deliveries::bounced() keeps the kind in bounce: a row the server gave up on after a 4.x.x is
// 'bounced' too, with bounce 'soft'.
const std::string bouncedHard = "(bounce = 'hard')";
const std::string bouncedSoft = "(bounce = 'soft')";
const std::string heldOut = "(status = 'left_out' AND reason = 'control_group')";
const std::string campaignRunning = "(status IN ('sending', 'paused'))"; // as running() says

StateException::StateException(const std::string& action, const std::string& status)
    : Poco::IllegalStateException("cannot " + action + " a campaign that is " + status), _status(status)
{
}

QuotaException::QuotaException(long planned_, long sent_, long limit_)
    : Poco::RangeException("this send of " + std::to_string(planned_) +
                           " messages would exceed the monthly quota: " + std::to_string(sent_) +
                           " already sent this month, limit " + std::to_string(limit_) + ", " +
                           std::to_string(std::max(0L, limit_ - sent_)) + " remaining"),
      planned(planned_), sentThisMonth(sent_), limit(limit_)
{
}

Deliveries::Deliveries(CrmHost::Database& database, Clock clock)
    : _database(database), _clock(std::move(clock))
{
}

std::string Deliveries::status(long campaignId)
{
    Poco::Data::Session session = _database.session();
    return status(session, campaignId);
}

std::string Deliveries::status(Poco::Data::Session& session, long campaignId)
{
    std::vector<std::string> statuses;
    session << "SELECT status FROM mm_campaigns WHERE id = ?", use(campaignId), into(statuses), now;
    if (statuses.empty())
        throw Poco::NotFoundException("campaign " + std::to_string(campaignId));
    return statuses.front();
}

// Changes the state only from one of the given states: the condition in the UPDATE makes
// two concurrent changes safe, the first wins and the second sees the new state.
void Deliveries::move(Poco::Data::Session& session, long campaignId, const std::string& action,
                      const std::vector<std::string>& from, const std::string& to,
                      const std::string& extraSet, const std::vector<std::string>& extraValues)
{
    Poco::Data::Statement update(session);
    std::string target = to, in;
    for (std::size_t i = 0; i < from.size(); ++i)
        in += i ? ", ?" : "?";
    update << "UPDATE mm_campaigns SET status = ?" + extraSet + " WHERE id = ? AND status IN (" + in + ")",
        use(target);
    std::vector<std::string> values = extraValues;
    for (auto& value : values)
        update, use(value);
    update, use(campaignId);
    std::vector<std::string> states = from;
    for (auto& state : states)
        update, use(state);
    if (update.execute() == 0)
        throw StateException(action, status(campaignId));
}

bool Deliveries::editable(const std::string& status)
{
    return status == "draft" || status == "rejected";
}

bool Deliveries::planned(const std::string& status)
{
    return status == "pending_approval" || status == "scheduled";
}

bool Deliveries::running(const std::string& status)
{
    return status == "sending" || status == "paused";
}

bool Deliveries::finished(const std::string& status)
{
    return status == "done" || status == "expired" || status == "cancelled";
}

bool Deliveries::hasSent(const std::string& status)
{
    return running(status) || finished(status);
}

bool Deliveries::resendable(const std::string& status)
{
    // Not a cancelled or expired campaign: the user stopped it, or its deadline passed.
    return running(status) || status == "done";
}

bool Deliveries::canSendAgain(const std::string& campaignStatus, const std::string& rowStatus)
{
    return resendable(campaignStatus) && (rowStatus == "sent" || rowStatus == "bounced" ||
                                          rowStatus == "failed" || rowStatus == "in_doubt");
}

std::string Deliveries::delivered(const std::string& row)
{
    return "(" + row + "status = 'sent' AND " + row + "bounce = '')";
}

std::string Deliveries::undelivered(const std::string& row)
{
    // A bounce, hard or soft, says the message did not reach the mailbox; "bounced" is the status
    // a row may take for it.
    return "(" + row + "status IN ('failed', 'bounced') OR " + row + "bounce <> '')";
}

// Holds the campaign's row until the transaction ends (an UPDATE locks it on MariaDB, and takes
// SQLite's write lock), then reads its state: no other change can slip in between.
std::string Deliveries::lock(Poco::Data::Session& session, long campaignId)
{
    session << "UPDATE mm_campaigns SET status = status WHERE id = ?", use(campaignId), now;
    std::vector<std::string> statuses;
    session << "SELECT status FROM mm_campaigns WHERE id = ?", use(campaignId), into(statuses), now;
    if (statuses.empty())
        throw Poco::NotFoundException("campaign " + std::to_string(campaignId));
    return statuses.front();
}

namespace
{
// Runs work in a transaction of its own: committed when it returns, rolled back when it throws.
template <typename Work> void inTransaction(Poco::Data::Session& session, Work work)
{
    session.begin();
    try
    {
        work();
        session.commit();
    }
    catch (...)
    {
        session.rollback();
        throw;
    }
}
} // namespace

void Deliveries::edit(long campaignId, const std::function<void(Poco::Data::Session&)>& write)
{
    Poco::Data::Session session = _database.session();
    inTransaction(session,
                  [&]
                  {
                      std::string current = lock(session, campaignId);
                      if (!editable(current))
                          throw StateException("edit", current);
                      write(session);
                  });
}

void Deliveries::requireEditable(long campaignId)
{
    std::string current = status(campaignId);
    if (!editable(current))
        throw StateException("edit", current);
}

void Deliveries::check(const SendPlan& plan) const
{
    if (!plan.timeZone.empty() && !TimeZones::known(plan.timeZone))
        throw FieldException("timezone", "unknown_zone",
                             "\"" + plan.timeZone.substr(0, 64) + "\" is not a time zone of the TZ database");
    // A minute of grace: the time typed for "in a moment" may pass while the form is sent.
    if (!plan.at.empty() && plan.at < sqlTime(_clock() - Poco::Timespan(60, 0)))
        throw FieldException("at", "past", "the time " + plan.at + " (UTC) has passed");
    std::string at = plan.at.empty() ? sqlTime(_clock()) : plan.at;
    if (!plan.deadline.empty() && plan.deadline <= at)
        throw FieldException("deadline", "before_start",
                             "the deadline " + plan.deadline + " is not after the start " + at);
    if (plan.maxPerHour < 0)
        throw FieldException("max_per_hour", "bad_pace",
                             "the pace is a number of messages per hour, 0 for no limit");
    auto hourMinute = [](const std::string& value)
    {
        return value.size() == 5 && Poco::Ascii::isDigit(value[0]) && Poco::Ascii::isDigit(value[1]) &&
               value[2] == ':' && Poco::Ascii::isDigit(value[3]) && Poco::Ascii::isDigit(value[4]) &&
               value.substr(0, 2) < "24" && value.substr(3, 2) < "60";
    };
    const SendCalendar& calendar = plan.calendar;
    for (std::size_t i = 0; i < calendar.days.size(); ++i)
        if (calendar.days[i] < '1' || calendar.days[i] > '7' ||
            calendar.days.find(calendar.days[i], i + 1) != std::string::npos)
            throw FieldException("calendar.days", "bad_days",
                                 "the days are ISO weekdays, each once: 1 (Monday) to 7 (Sunday)");
    if (!calendar.from.empty() && !hourMinute(calendar.from))
        throw FieldException("calendar.from", "bad_time", "the calendar's first hour is HH:MM, \"08:00\"");
    if (!calendar.to.empty() && !hourMinute(calendar.to))
        throw FieldException("calendar.to", "bad_time", "the calendar's last hour is HH:MM, \"18:00\"");
    if (!calendar.from.empty() && !calendar.to.empty() && calendar.from >= calendar.to)
        throw FieldException("calendar.to", "before_start",
                             "the calendar ends at " + calendar.to + ", not after it starts at " +
                                 calendar.from);
    if (!plan.localTime.empty())
    {
        if (!hourMinute(plan.localTime))
            throw FieldException("local_time", "bad_time", "the local time is HH:MM, \"09:00\"");
        if ((!calendar.from.empty() && plan.localTime < calendar.from) ||
            (!calendar.to.empty() && plan.localTime >= calendar.to))
            throw FieldException("local_time", "outside_calendar",
                                 "the local time " + plan.localTime + " is outside the calendar's hours");
    }
    else if (plan.optimisedHour)
        throw FieldException("local_time", "required",
                             "the optimised hour needs a local time to fall back on");
}

bool Deliveries::inCalendar(Poco::Data::Session& session, long campaignId)
{
    Poco::Nullable<std::string> localTime, days, from, to;
    std::string zone;
    session
        << "SELECT local_time, calendar_days, calendar_from, calendar_to, time_zone FROM mm_campaigns WHERE "
           "id = ?",
        use(campaignId), into(localTime), into(days), into(from), into(to), into(zone), now;
    if (!localTime.isNull() && !localTime.value().empty())
        return true; // its rows are due only within the calendar of their zone
    SendCalendar calendar{days.isNull() ? "" : days.value(), from.isNull() ? "" : from.value(),
                          to.isNull() ? "" : to.value()};
    return TimeZones::inCalendar(sqlTime(_clock()), zone, calendar);
}

SendCalendar Deliveries::calendarOf(long campaignId, std::string& localTime)
{
    Poco::Data::Session session = _database.session();
    Poco::Nullable<std::string> local, days, from, to;
    session << "SELECT local_time, calendar_days, calendar_from, calendar_to FROM mm_campaigns WHERE id = ?",
        use(campaignId), into(local), into(days), into(from), into(to), now;
    localTime = local.isNull() ? "" : local.value();
    return {days.isNull() ? "" : days.value(), from.isNull() ? "" : from.value(),
            to.isNull() ? "" : to.value()};
}

void Deliveries::assignOptimisedHours(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                                      const std::string& at)
{
    // The hour (UTC) each person of this campaign first opened the group's earlier messages most
    // often, from the rows' first opens that tracking records; the group's best hour for those
    // who opened nothing; then each due time is one wave, at that hour in the person's zone.
    Poco::Int64 group = 0;
    session << "SELECT group_id FROM mm_campaigns WHERE id = ?", use(campaignId), into(group), now;
    Poco::Data::Statement opens(session);
    opens << "SELECT e.recipient_id, SUBSTR(CAST(e.first_open_at AS CHAR), 12, 2), COUNT(*) FROM "
             "mm_recipients e "
             "JOIN mm_campaigns c ON c.id = e.campaign_id WHERE c.group_id = ? AND e.campaign_id <> ? AND "
             "e.kind = 'person' AND e.first_open_at IS NOT NULL GROUP BY e.recipient_id, SUBSTR(CAST("
             "e.first_open_at AS CHAR), 12, 2)",
        use(group), use(campaignId), now;
    Poco::Data::RecordSet rows(opens);
    std::map<long, std::pair<long, std::string>> best; // person: (opens, hour)
    std::map<std::string, long> groupHours;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext())
    {
        long person = long(rows.value(0).convert<Poco::Int64>());
        long count = long(rows.value(2).convert<Poco::Int64>());
        std::string hour = rows.value(1).convert<std::string>();
        groupHours[hour] += count;
        auto& top = best[person];
        if (count > top.first || (count == top.first && hour < top.second))
            top = {count, hour};
    }
    if (groupHours.empty())
        return; // nobody opened anything yet: everyone at the chosen hour
    std::string groupHour = groupHours.begin()->first;
    for (const auto& [hour, count] : groupHours)
        if (count > groupHours[groupHour])
            groupHour = hour;
    std::vector<Poco::Int64> persons;
    std::vector<std::string> zones;
    session
        << "SELECT r.recipient_id, p.time_zone FROM mm_recipients r JOIN people p ON p.id = r.recipient_id "
           "WHERE r.campaign_id = ? AND r.status = 'queued' AND r.kind = 'person'",
        use(campaignId), into(persons), into(zones), now;
    const std::string fallback = TimeZones::known(plan.timeZone) ? plan.timeZone : "UTC";
    std::map<std::string, std::vector<long>> waves; // due time: persons
    for (std::size_t i = 0; i < persons.size(); ++i)
    {
        auto found = best.find(long(persons[i]));
        std::string hour = found != best.end() ? found->second.second : groupHour;
        std::string zone = TimeZones::known(zones[i]) ? zones[i] : fallback;
        // That UTC hour as the zone's local hour on the start's day.
        std::string local = TimeZones::localOf(at.substr(0, 10) + " " + hour + ":00:00", zone);
        std::string due =
            local.size() >= 16 ? TimeZones::nextLocal(at, local.substr(11, 5), zone, plan.calendar) : "";
        if (!due.empty()) // else outside the calendar's hours: the chosen hour instead
            waves[due].push_back(long(persons[i]));
    }
    for (const auto& [due, people] : waves)
        for (std::size_t from = 0; from < people.size(); from += 1000) // statements of a bounded size
        {
            std::string when = due, list;
            for (std::size_t i = from; i < std::min(people.size(), from + 1000); ++i)
                list += (list.empty() ? "" : ",") + std::to_string(people[i]);
            session
                << "UPDATE mm_recipients SET next_attempt_at = ? WHERE campaign_id = ? AND status = 'queued' "
                   "AND kind = 'person' AND recipient_id IN (" +
                       list + ")",
                use(when), use(campaignId), now;
        }
}

void Deliveries::assignLocalTimes(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                                  const std::string& at)
{
    // Nothing of the rows has gone yet: a new plan starts from no due time.
    session << "UPDATE mm_recipients SET next_attempt_at = NULL WHERE campaign_id = ? AND status = 'queued'",
        use(campaignId), now;
    if (plan.localTime.empty())
        return;
    // A few waves, one per zone of the recipients: a person's zone is the host's (people.time_zone,
    // docs/data-model.md); the others, and an unknown zone, take the plan's.
    const std::string fallback = TimeZones::known(plan.timeZone) ? plan.timeZone : "UTC";
    std::vector<std::string> zones;
    session
        << "SELECT DISTINCT p.time_zone FROM mm_recipients r JOIN people p ON p.id = r.recipient_id WHERE "
           "r.campaign_id = ? AND r.status = 'queued' AND r.kind = 'person'",
        use(campaignId), into(zones), now;
    auto dueIn = [&](const std::string& zone)
    {
        std::string due = TimeZones::nextLocal(at, plan.localTime, zone, plan.calendar);
        if (due.empty())
            throw FieldException("calendar", "never", "the calendar leaves no day for " + plan.localTime);
        return due;
    };
    if (plan.optimisedHour)
        assignOptimisedHours(session, campaignId, plan, at);
    for (const std::string& zone : zones)
    {
        if (!TimeZones::known(zone))
            continue;
        std::string due = dueIn(zone), in = zone;
        session
            << "UPDATE mm_recipients SET next_attempt_at = ? WHERE campaign_id = ? AND status = 'queued' AND "
               "kind = 'person' AND next_attempt_at IS NULL AND EXISTS (SELECT 1 FROM people p WHERE p.id = "
               "mm_recipients.recipient_id AND p.time_zone = ?)",
            use(due), use(campaignId), use(in), now;
    }
    std::string due = dueIn(fallback);
    session << "UPDATE mm_recipients SET next_attempt_at = ? WHERE campaign_id = ? AND status = 'queued' AND "
               "next_attempt_at IS NULL",
        use(due), use(campaignId), now;
}

void Deliveries::checkAudience(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                               long monthlyLimit)
{
    check(plan);
    Poco::Int64 planned = 0, group = 0;
    session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND status IN ('planned', 'queued')",
        use(campaignId), into(planned), now;
    session << "SELECT group_id FROM mm_campaigns WHERE id = ?", use(campaignId), into(group), now;
    if (planned == 0)
        throw FieldException("audience", "nobody_planned", "nobody is planned: choose the recipients first");
    long sent = sentThisMonth(long(group));
    if (monthlyLimit > 0 && sent + planned > monthlyLimit)
        throw QuotaException(long(planned), sent, monthlyLimit);
}

namespace
{
// The plan's columns, as schedule() and reschedule() store them.
std::string planColumns(const SendPlan& plan)
{
    auto orNull = [](const std::string& value) { return std::string(value.empty() ? "NULL" : "?"); };
    return ", scheduled_at = ?, time_zone = ?, max_per_hour = ?, deadline_at = " + orNull(plan.deadline) +
           ", pause_reason = '', local_time = " + orNull(plan.localTime) +
           ", optimised_hour = " + (plan.optimisedHour ? "1" : "0") +
           ", calendar_days = " + orNull(plan.calendar.days) +
           ", calendar_from = " + orNull(plan.calendar.from) + ", calendar_to = " + orNull(plan.calendar.to);
}

std::vector<std::string> planValues(const SendPlan& plan, const std::string& at)
{
    std::vector<std::string> values{at, plan.timeZone, std::to_string(plan.maxPerHour)};
    for (const std::string* value :
         {&plan.deadline, &plan.localTime, &plan.calendar.days, &plan.calendar.from, &plan.calendar.to})
        if (!value->empty())
            values.push_back(*value);
    return values;
}
} // namespace

void Deliveries::schedule(long campaignId, const SendPlan& plan, bool needsApproval, long monthlyLimit)
{
    Poco::Data::Session session = _database.session();
    inTransaction(session,
                  [&]
                  {
                      std::string current = lock(session, campaignId);
                      if (!editable(current))
                          throw StateException("schedule", current);
                      // An automatic message's model is copied at each occurrence, never sent (M4).
                      std::string automatic;
                      session << "SELECT automatic FROM mm_campaigns WHERE id = ?", use(campaignId),
                          into(automatic), now;
                      if (automatic == "model")
                          throw FieldException("campaign", "automatic_model",
                                               "this is the message of an automatic rule: each occurrence "
                                               "of the rule sends a copy of it");
                      checkAudience(session, campaignId, plan, monthlyLimit);
                      std::string at = plan.at.empty() ? sqlTime(_clock()) : plan.at;
                      session << "UPDATE mm_recipients SET status = 'queued' WHERE campaign_id = ? AND "
                                 "status = 'planned'",
                          use(campaignId), now;
                      assignLocalTimes(session, campaignId, plan, at);
                      move(session, campaignId, "schedule", {"draft", "rejected"},
                           needsApproval ? "pending_approval" : "scheduled", planColumns(plan),
                           planValues(plan, at));
                  });
}

void Deliveries::reschedule(long campaignId, const SendPlan& plan, bool needsApproval, long monthlyLimit)
{
    Poco::Data::Session session = _database.session();
    inTransaction(session,
                  [&]
                  {
                      std::string current = lock(session, campaignId);
                      if (!planned(current))
                          throw StateException("change the plan of", current);
                      checkAudience(session, campaignId, plan, monthlyLimit);
                      std::string at = plan.at.empty() ? sqlTime(_clock()) : plan.at;
                      assignLocalTimes(session, campaignId, plan, at);
                      // A plan changed by someone who may not approve needs an approver's yes again.
                      move(session, campaignId, "change the plan of", {current},
                           needsApproval ? "pending_approval" : "scheduled",
                           planColumns(plan) + (needsApproval ? ", reviewed_by = 0, review_note = ''" : ""),
                           planValues(plan, at));
                  });
}

void Deliveries::approve(long campaignId, long userId)
{
    Poco::Data::Session session = _database.session();
    move(session, campaignId, "approve", {"pending_approval"}, "scheduled", ", reviewed_by = ?",
         {std::to_string(userId)});
}

void Deliveries::reject(long campaignId, long userId, const std::string& reason)
{
    // The author reads why on the screen: a rejection without a reason tells them nothing.
    if (Poco::trim(reason).empty())
        throw FieldException("reason", "required", "say why the campaign is rejected");
    Poco::Data::Session session = _database.session();
    inTransaction(session,
                  [&]
                  {
                      move(session, campaignId, "reject", {"pending_approval"}, "rejected",
                           ", reviewed_by = ?, review_note = ?", {std::to_string(userId), reason});
                      session << "UPDATE mm_recipients SET status = 'planned' WHERE campaign_id = ? AND "
                                 "status = 'queued'",
                          use(campaignId), now;
                  });
}

void Deliveries::pause(long campaignId, const std::string& reason)
{
    Poco::Data::Session session = _database.session();
    move(session, campaignId, "pause", {"scheduled", "sending"}, "paused", ", pause_reason = ?", {reason});
    ++_changes;
}

void Deliveries::resume(long campaignId)
{
    // Back to scheduled: the dispatcher starts it again at once if its time has come.
    Poco::Data::Session session = _database.session();
    move(session, campaignId, "resume", {"paused"}, "scheduled", ", pause_reason = ''");
}

void Deliveries::cancel(long campaignId)
{
    Poco::Data::Session session = _database.session();
    inTransaction(session,
                  [&]
                  {
                      move(session, campaignId, "cancel",
                           {"pending_approval", "scheduled", "sending", "paused"}, "cancelled",
                           ", finished_at = ?", {sqlTime(_clock())});
                      // Rows already handed to the server are left to their worker, which records the answer.
                      session << "UPDATE mm_recipients SET status = 'skipped', reason = 'cancelled' WHERE "
                                 "campaign_id = ? AND " +
                                     waitingToSend,
                          use(campaignId), now;
                  });
    ++_changes;
}

void Deliveries::setPacing(long campaignId, long maxPerHour)
{
    if (maxPerHour < 0)
        throw FieldException("max_per_hour", "bad_pace",
                             "the pace is a number of messages per hour, 0 for no limit");
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_campaigns SET max_per_hour = ? WHERE id = ?", use(maxPerHour), use(campaignId), now;
}

void Deliveries::resend(long campaignId, long recipientRowId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement update(session);
    update << "UPDATE mm_recipients SET status = 'queued', next_attempt_at = NULL, attempts = 0, detail = '' "
              "WHERE id = ? AND campaign_id = ? AND status IN ('failed', 'in_doubt')",
        use(recipientRowId), use(campaignId);
    if (update.execute() == 0)
        throw StateException("send again to a recipient who is not failed or in doubt in",
                             status(campaignId));
    // A finished campaign goes back to sending for this one recipient.
    session
        << "UPDATE mm_campaigns SET status = 'sending', finished_at = NULL WHERE id = ? AND status = 'done'",
        use(campaignId), now;
}

long Deliveries::sendAgain(long campaignId, long recipientRowId, long userId, const std::string& reason)
{
    const std::string why = Poco::trim(reason).substr(0, 500);
    if (why.empty())
        throw FieldException("reason", "required", "say why this person is sent the campaign again");
    Poco::Data::Session session = _database.session();
    std::vector<std::string> emails, statuses, details;
    std::vector<Poco::Int64> groups;
    session
        << "SELECT r.email, r.status, CASE WHEN r.bounce_detail <> '' THEN r.bounce_detail ELSE r.detail "
           "END, "
           "c.group_id FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id WHERE r.id = ? AND "
           "r.campaign_id = ?",
        use(recipientRowId), use(campaignId), into(emails), into(statuses), into(details), into(groups), now;
    if (emails.empty())
        throw FieldException("recipient", "unknown_recipient",
                             "recipient " + std::to_string(recipientRowId) +
                                 " is not one of this campaign's");
    // The suppressions as their owner lists them: whoever left or bounced is not mailed again.
    auto suppressed = Suppressions(_database).reasons(long(groups.front()), {emails.front()});
    if (!suppressed.empty())
        throw FieldException("address", suppressed.begin()->second,
                             emails.front() + " is suppressed in this group (" + suppressed.begin()->second +
                                 "): it is not sent anything");
    long id = 0;
    inTransaction(
        session,
        [&]
        {
            std::string current = lock(session, campaignId);
            if (!resendable(current))
                throw StateException("send again to one recipient of", current);
            std::string previous = statuses.front();
            Poco::Data::Statement update(session);
            // From the state read above only: a worker that took the row meanwhile wins.
            update << "UPDATE mm_recipients SET status = 'queued', next_attempt_at = NULL, attempts = 0, "
                      "detail = '', bounce = '', bounce_detail = '', bounced_at = NULL, lease_owner = '', "
                      "lease_until = NULL, in_flight_at = NULL WHERE id = ? AND campaign_id = ? AND "
                      "status = ?",
                use(recipientRowId), use(campaignId), use(previous);
            if (!canSendAgain(current, previous) || update.execute() == 0)
                throw FieldException("recipient", "not_sent",
                                     "recipient " + std::to_string(recipientRowId) + " is " +
                                         statuses.front() +
                                         ": only a row that was sent, bounced or failed is sent again");
            std::string address = EmailAddress::identity(emails.front()), at = sqlTime(_clock());
            std::string detail = details.front().substr(0, 500);
            session << "INSERT INTO mm_resends (campaign_id, recipient_row, address, previous_status, "
                       "previous_detail, requested_by, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                use(campaignId), use(recipientRowId), use(address), use(previous), use(detail), use(userId),
                bind(why), use(at), now;
            Poco::Int64 last = 0;
            session << SqlDialect(_database.dialect()).lastInsertId(), into(last), now;
            id = long(last);
            session << "UPDATE mm_campaigns SET status = 'sending', finished_at = NULL WHERE id = ? AND "
                       "status = 'done'",
                use(campaignId), now;
        });
    return id;
}

long Deliveries::sendAgainTo(long campaignId, const std::string& address, long userId,
                             const std::string& reason)
{
    std::string identity = EmailAddress::identity(address);
    std::vector<Poco::Int64> rows;
    Poco::Data::Session session = _database.session();
    // Of two rows of one address (deduplicated by contact), the one that went out.
    session << "SELECT id FROM mm_recipients WHERE campaign_id = ? AND email_identity = ? ORDER BY CASE WHEN "
               "status = 'left_out' THEN 1 ELSE 0 END, id",
        use(campaignId), use(identity), into(rows), now;
    if (rows.empty())
        throw FieldException("address", "not_a_recipient",
                             "\"" + identity.substr(0, 320) + "\" is not a recipient of this campaign");
    return sendAgain(campaignId, long(rows.front()), userId, reason);
}

std::map<std::string, long> Deliveries::counts(long campaignId)
{
    std::map<std::string, long> counts{{"queued", 0},  {"in_flight", 0}, {"sent", 0},   {"failed", 0},
                                       {"skipped", 0}, {"in_doubt", 0},  {"bounced", 0}};
    Poco::Data::Session session = _database.session();
    std::vector<std::string> statuses;
    std::vector<Poco::Int64> numbers;
    // A leased row handed to the server is in flight until its worker records the answer.
    session << "SELECT CASE WHEN " + handedOver +
                   " THEN 'in_flight' ELSE status END, COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND "
                   "status <> 'left_out' GROUP BY 1",
        use(campaignId), into(statuses), into(numbers), now;
    for (std::size_t i = 0; i < statuses.size(); ++i)
    {
        // planned and leased rows are still waiting to be sent.
        std::string status = statuses[i] == "planned" || statuses[i] == "leased" ? "queued" : statuses[i];
        counts[status] += long(numbers[i]);
    }
    return counts;
}

long Deliveries::sentThisMonth(long groupId)
{
    Poco::DateTime today = _clock();
    std::string monthStart = sqlTime(Poco::DateTime(today.year(), today.month(), 1));
    Poco::Data::Session session = _database.session();
    Poco::Int64 sent = 0;
    session << "SELECT COUNT(*) FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id "
               "WHERE c.group_id = ? AND r." +
                   wentOut + " AND r.sent_at >= ?",
        use(groupId), use(monthStart), into(sent), now;
    return long(sent);
}

bool Deliveries::confirmedSent(Poco::Data::Session& session, long campaignId, long recipientRow,
                               const Poco::DateTime& at)
{
    std::string when = sqlTime(at);
    Poco::Data::Statement update(session);
    update << "UPDATE mm_recipients SET status = 'sent', sent_at = COALESCE(sent_at, in_flight_at, ?), "
              "detail = '', "
              "reconcile = 0, lease_owner = '' WHERE id = ? AND campaign_id = ? AND status = 'in_doubt'",
        use(when), use(recipientRow), use(campaignId);
    return update.execute() > 0;
}

Deliveries::BounceChange Deliveries::bounced(Poco::Data::Session& session, long campaignId, long recipientRow,
                                             bool hard, bool givenUp, const std::string& detail,
                                             const Poco::DateTime& at)
{
    std::string text = detail.substr(0, 500), when = sqlTime(at);
    // Only a row that went out can bounce. A leased row may have gone out already: its answer
    // waits in the journal for the next batch, and the report's signed address proves it was
    // handed over. It keeps its report (the worker's "sent" only touches leased rows).
    const std::string wentOutOrHandedOver = "(status IN ('sent', 'in_doubt', 'leased'))";
    Poco::Data::Statement update(session);
    if (hard)
        // detail too: what the recipients' list shows of a row.
        update
            << "UPDATE mm_recipients SET status = 'bounced', bounce = 'hard', bounce_detail = ?, detail = ?, "
               "bounced_at = ?, sent_at = COALESCE(sent_at, in_flight_at, ?), lease_owner = '' "
               "WHERE id = ? AND campaign_id = ? AND bounce <> 'hard' AND (" +
                   wentOutOrHandedOver + " OR status = 'bounced')",
            use(text), use(text), use(when), use(when), use(recipientRow), use(campaignId);
    else if (givenUp)
        update
            << "UPDATE mm_recipients SET status = 'bounced', bounce = 'soft', bounce_detail = ?, detail = ?, "
               "bounced_at = ?, sent_at = COALESCE(sent_at, in_flight_at, ?), lease_owner = '' "
               "WHERE id = ? AND campaign_id = ? AND bounce <> 'hard' AND (" +
                   wentOutOrHandedOver + " OR status = 'bounced')",
            use(text), use(text), use(when), use(when), use(recipientRow), use(campaignId);
    else
        update << "UPDATE mm_recipients SET bounce = 'soft', bounce_detail = ?, bounced_at = ? "
                  "WHERE id = ? AND campaign_id = ? AND bounce <> 'hard' AND (" +
                      wentOutOrHandedOver + " OR status = 'bounced')",
            use(text), use(when), use(recipientRow), use(campaignId);
    if (update.execute() == 0)
        return BounceChange::None;
    return hard ? BounceChange::Hard : BounceChange::Soft;
}

long Deliveries::groupOfRow(long recipientRow)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> groups;
    session << "SELECT c.group_id FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id WHERE "
               "r.id = ?",
        use(recipientRow), into(groups), now;
    return groups.empty() ? 0 : long(groups.front());
}

Deliveries::ReportChange Deliveries::reported(Poco::Data::Session& session, long recipientRow, bool delivered,
                                              const std::string& detail, const Poco::DateTime& at)
{
    std::vector<Poco::Int64> campaigns;
    std::vector<std::string> statuses;
    session << "SELECT campaign_id, status FROM mm_recipients WHERE id = ?", use(recipientRow),
        into(campaigns), into(statuses), now;
    if (campaigns.empty())
        return ReportChange::Unknown;
    const std::string& status = statuses.front();
    if (status == "queued" || status == "leased")
        return ReportChange::NotYet;
    std::string text = detail.substr(0, 500), when = sqlTime(at);
    std::string outcome = delivered ? "delivered" : "failed";
    if (!delivered)
        bounced(session, long(campaigns.front()), recipientRow, true, true, text, at);
    session
        << "UPDATE mm_recipients SET report = ?, reported_at = ?, detail = CASE WHEN ? = 'delivered' THEN ? "
           "ELSE detail END, status = CASE WHEN status = 'in_doubt' AND ? = 'delivered' THEN 'sent' ELSE "
           "status END, sent_at = COALESCE(sent_at, ?) WHERE id = ? AND status IN ('sent', 'in_doubt', "
           "'bounced')",
        use(outcome), use(when), use(outcome), use(text), use(outcome), use(when), use(recipientRow), now;
    return ReportChange::Recorded;
}

bool Deliveries::complained(Poco::Data::Session& session, long campaignId, long recipientRow,
                            const Poco::DateTime& at)
{
    std::string when = sqlTime(at);
    Poco::Data::Statement update(session);
    update << "UPDATE mm_recipients SET complained_at = ? WHERE id = ? AND campaign_id = ? AND complained_at "
              "IS NULL",
        use(when), use(recipientRow), use(campaignId);
    return update.execute() > 0;
}

// A person's erasure (X2). ------------------------------------------------------------------

long Deliveries::anonymise(Poco::Data::Session& session, long groupId, const std::string& identity)
{
    const SqlDialect sql(SqlDialect::of(session));
    const std::string pattern = "%" + identity + "%";
    const std::string ofGroup = "campaign_id IN (SELECT id FROM mm_campaigns WHERE group_id = ?)";
    // The texts first: on MariaDB a SET sees the values the SETs before it gave.
    const std::string detail = "REPLACE(detail, email, '[address]')",
                      bounceDetail = "REPLACE(bounce_detail, email, '[address]')";
    Poco::Data::Statement rows(session);
    rows << "UPDATE mm_recipients SET detail = " + sql.withoutText(detail) +
                ", bounce_detail = " + sql.withoutText(bounceDetail) +
                ", first_name = '', last_name = '', company = '', recipient_id = 0, dedupe_key = " +
                sql.concat({"'erased:'", "id"}) + ", email = " +
                sql.concat({"'erased-'", "id", "'@" + std::string(EmailAddress::ERASED_DOMAIN) + "'"}) +
                " WHERE email_identity = ? AND " + ofGroup,
        bind(pattern), bind(pattern), bind(identity), bind(groupId);
    long changed = long(rows.execute());
    Poco::Data::Statement resends(session);
    resends << "UPDATE mm_resends SET previous_detail = " + sql.withoutText("previous_detail") +
                   ", reason = " + sql.withoutText("reason") + ", address = " +
                   sql.concat({"'erased-'", "recipient_row",
                               "'@" + std::string(EmailAddress::ERASED_DOMAIN) + "'"}) +
                   " WHERE address = ? AND " + ofGroup,
        bind(pattern), bind(pattern), bind(identity), bind(groupId);
    return changed + long(resends.execute());
}
} // namespace MassMailing
