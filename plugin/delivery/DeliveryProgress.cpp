#include "delivery/DeliveryProgress.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// A DATETIME column as "YYYY-MM-DD HH:MM:SS" on both databases; "" for NULL.
std::string timeText(const Poco::Dynamic::Var& value)
{
    if (value.isEmpty())
        return "";
    if (value.type() == typeid(Poco::DateTime))
        return sqlTime(value.extract<Poco::DateTime>());
    std::string text = value.convert<std::string>();
    Poco::DateTime time;
    if (readSqlTime(text, time))
        return sqlTime(time);
    return text;
}
} // namespace

DeliveryProgress::DeliveryProgress(CrmHost::Database& database, Deliveries& deliveries, Clock clock)
    : _database(database), _deliveries(deliveries), _clock(std::move(clock))
{
}

DeliveryState DeliveryProgress::state(long campaignId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    select << "SELECT status, scheduled_at, time_zone, max_per_hour, deadline_at, reviewed_by, review_note, "
              "pause_reason, started_at, finished_at FROM mm_campaigns WHERE id = ?",
        use(campaignId), now;
    Poco::Data::RecordSet set(select);
    if (set.rowCount() == 0)
        throw Poco::NotFoundException("campaign " + std::to_string(campaignId));
    DeliveryState state;
    auto text = [&](std::size_t column)
    { return set.value(column, 0).isEmpty() ? std::string() : set.value(column, 0).convert<std::string>(); };
    auto number = [&](std::size_t column)
    { return set.value(column, 0).isEmpty() ? 0L : long(set.value(column, 0).convert<Poco::Int64>()); };
    state.status = text(0);
    state.scheduledAt = timeText(set.value(1, 0));
    state.timeZone = text(2);
    state.maxPerHour = number(3);
    state.deadline = timeText(set.value(4, 0));
    state.reviewedBy = number(5);
    state.reviewNote = text(6);
    state.pauseReason = text(7);
    state.startedAt = timeText(set.value(8, 0));
    state.finishedAt = timeText(set.value(9, 0));

    state.counts = _deliveries.counts(campaignId);
    for (const auto& [status, count] : state.counts)
        state.total += count;
    state.remaining = state.counts["queued"] + state.counts["in_flight"];

    // The pace: what was sent in the last five minutes (or since the start, when later).
    if (!state.startedAt.empty())
    {
        Poco::DateTime current = _clock();
        Poco::DateTime window = current - Poco::Timespan(5 * 60, 0);
        Poco::DateTime started;
        if (readSqlTime(state.startedAt, started) && started > window)
            window = started;
        std::string from = sqlTime(window);
        Poco::Int64 recent = 0;
        session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND " + wentOut +
                       " AND sent_at >= ?",
            use(campaignId), use(from), into(recent), now;
        double seconds = std::max(1.0, double((current - window).totalSeconds()));
        state.perHour = long(double(recent) * 3600.0 / seconds + 0.5);
        // A paced campaign sends its hour's share at once, then waits: over a few minutes that
        // burst looks far faster than the limit, which is what the rest of the send will keep.
        if (state.maxPerHour > 0)
            state.perHour = std::min(state.perHour, state.maxPerHour);
        bool running = state.status == "sending" || state.status == "scheduled";
        if (running && state.remaining > 0 && state.perHour > 0)
            state.expectedEnd =
                sqlTime(current + Poco::Timespan(Poco::Timespan::TimeDiff(double(state.remaining) * 3600.0 /
                                                                          double(state.perHour) * 1e6)));
    }
    state.calendar = _deliveries.calendarOf(campaignId, state.localTime);
    {
        int optimised = 0;
        session << "SELECT optimised_hour FROM mm_campaigns WHERE id = ?", use(campaignId), into(optimised),
            now;
        state.optimisedHour = optimised != 0;
    }
    if (state.status == "sending" || state.status == "scheduled")
    {
        state.waitingForCalendar = state.status == "sending" && !_deliveries.inCalendar(session, campaignId);
        Poco::Nullable<std::string> next;
        std::string at = sqlTime(_clock());
        session << "SELECT CAST(MIN(next_attempt_at) AS CHAR) FROM mm_recipients WHERE campaign_id = ? AND "
                   "status = "
                   "'queued' AND next_attempt_at > ?",
            use(campaignId), use(at), into(next), now;
        Poco::Int64 dueNow = 0;
        session << "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = ? AND status = 'queued' AND "
                   "(next_attempt_at IS NULL OR next_attempt_at <= ?)",
            use(campaignId), use(at), into(dueNow), now;
        if (!next.isNull() && dueNow == 0)
            state.nextDue = next.value().substr(0, 19);
    }
    return state;
}

std::vector<DeliveryRow> DeliveryProgress::rows(long campaignId, const std::string& status, std::size_t limit,
                                                std::size_t offset)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::string s = status;
    // planned and leased rows are waiting to be sent, listed as queued, and leased rows handed
    // to the server as in flight, as counts() does.
    const std::string shown =
        "CASE WHEN " + handedOver +
        " THEN 'in_flight' WHEN status IN ('planned', 'leased') THEN 'queued' ELSE status END";
    select
        << "SELECT id, email, first_name, last_name, " + shown +
               ", reason, detail, sent_at, attempts FROM mm_recipients WHERE campaign_id = ? AND status <> "
               "'left_out' AND (? = '' OR status = ? OR (? = 'queued' AND (status = 'planned' OR " +
               waitingToSend + ")) OR (? = 'in_flight' AND " + handedOver + ")) ORDER BY id LIMIT " +
               std::to_string(limit) + " OFFSET " + std::to_string(offset),
        use(campaignId), use(s), use(s), use(s), use(s), now;
    Poco::Data::RecordSet set(select);
    std::vector<DeliveryRow> rows;
    for (std::size_t row = 0; row < set.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) {
            return set.value(column, row).isEmpty() ? std::string()
                                                    : set.value(column, row).convert<std::string>();
        };
        DeliveryRow item;
        item.id = long(set.value(0, row).convert<Poco::Int64>());
        item.email = text(1);
        item.firstName = text(2);
        item.lastName = text(3);
        item.status = text(4);
        item.reason = text(5);
        item.detail = text(6);
        item.sentAt = timeText(set.value(7, row));
        item.attempts = set.value(8, row).isEmpty() ? 0 : long(set.value(8, row).convert<Poco::Int64>());
        rows.push_back(std::move(item));
    }
    return rows;
}
} // namespace MassMailing
