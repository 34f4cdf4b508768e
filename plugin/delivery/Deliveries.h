#ifndef MassMailing_Deliveries_INCLUDED
#define MassMailing_Deliveries_INCLUDED

#include "CrmHost/Database.h"
#include "SqlTime.h"
#include "delivery/TimeZones.h"
#include <Poco/Data/Session.h>
#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <atomic>
#include <functional>
#include <map>
#include <string>

namespace MassMailing
{
/// The time, from a clock that tests can set.
using Clock = std::function<Poco::DateTime()>;

/// Conditions on a row of mm_recipients. A row handed to the mail server keeps its lease and
/// gets in_flight_at; it is in flight until its worker records the server's answer.
extern const std::string handedOver;    /// In flight.
extern const std::string waitingToSend; /// Queued, or leased and not yet handed over.
extern const std::string wentOut; /// Sent, or sent and bounced since: what the quota and the pace count.
/// What a row's delivery came to, for the results (issue 13; wentOut above is what the mail
/// server took). Unqualified column names: use them on mm_recipients alone, or where no other
/// table of the query has these columns.
extern const std::string meantToDeliver; /// In the audience to send (not left out): the planned.
extern const std::string bouncedHard;    /// A permanent failure came back (the row is bounced).
extern const std::string bouncedSoft;    /// Only temporary failures came back (see bounced()).
extern const std::string heldOut;        /// Left out as the control group (A10).
/// A condition on a row of mm_campaigns: running() in SQL (sending or paused).
extern const std::string campaignRunning;

/// A change the campaign's state does not allow (answered 409 with the current state).
class StateException : public Poco::IllegalStateException
{
public:
    StateException(const std::string& action, const std::string& status);
    const std::string& status() const { return _status; }
    Poco::Exception* clone() const override { return new StateException(*this); }
    void rethrow() const override { throw *this; }

private:
    std::string _status;
};

/// A send that would go over the monthly quota (D4), with the numbers.
class QuotaException : public Poco::RangeException
{
public:
    QuotaException(long planned, long sentThisMonth, long limit);
    long planned, sentThisMonth, limit;
    Poco::Exception* clone() const override { return new QuotaException(*this); }
    void rethrow() const override { throw *this; }
};

/// When and how a campaign goes out (D1, D3).
struct SendPlan
{
    std::string at;        /// UTC "YYYY-MM-DD HH:MM:SS"; empty: now.
    std::string timeZone;  /// The zone the user chose, kept to show the time as they entered it.
    long maxPerHour = 0;   /// 0: as fast as the transport goes.
    std::string deadline;  /// UTC; empty: none. Nothing is sent after it.
    std::string localTime; /// "09:00": each recipient at that hour of their zone (the person's, else
                           /// timeZone's, else UTC), at the start or after it; empty: everyone at the start.
    bool optimisedHour = false; /// With localTime: each person at the hour they opened most, else the
                                /// group's best hour, else localTime.
    SendCalendar calendar;      /// When it may send: read in each recipient's zone with localTime, in
                                /// timeZone (else UTC) otherwise. Empty: any time.
};

/// The states of a campaign's delivery (draft → pending_approval → scheduled → sending ⇄
/// paused → done, or rejected, cancelled, expired) and the recipients' statuses.
class Deliveries
{
public:
    Deliveries(CrmHost::Database& database, Clock clock);

    std::string status(long campaignId);
    std::string status(Poco::Data::Session& session, long campaignId);
    /// Throws Poco::NotFoundException for an unknown campaign. The second on the caller's
    /// session (a sending worker's, which asks often).

    /// What each state allows, for every screen to ask instead of listing states itself.
    static bool editable(const std::string& status);   /// Details, content and audience may change.
    static bool planned(const std::string& status);    /// Waits for approval or for its time.
    static bool running(const std::string& status);    /// Sending or paused.
    static bool finished(const std::string& status);   /// Done, expired or cancelled: nothing more goes.
    static bool hasSent(const std::string& status);    /// May have delivered to some recipients (A6).
    static bool resendable(const std::string& status); /// One recipient may be sent it again by hand (R5).
    static bool canSendAgain(const std::string& campaignStatus, const std::string& rowStatus);
    /// Whether sendAgain() takes a row in rowStatus of a campaign in campaignStatus: the row was
    /// sent, bounced, failed or is in doubt, and the campaign is resendable().

    /// What became of a recipient row after "sent", as conditions on the columns of mm_recipients
    /// (row: the table's alias and a dot, or ""), for the audience's sources of A11 and the logs.
    static std::string delivered(const std::string& row = "");
    /// Accepted by the mail server and nothing came back to say it failed.
    static std::string undelivered(const std::string& row = "");
    /// Failed (refused, or given up after the retries), or bounced after it was accepted.

    void edit(long campaignId, const std::function<void(Poco::Data::Session&)>& write);
    /// Runs write (the campaign's details, content, files) in one transaction that holds the
    /// campaign's row and checks, inside it, that the state allows an edit; nothing is written
    /// otherwise. Throws StateException, Poco::NotFoundException, and what write throws.

    void requireEditable(long campaignId);
    /// Throws StateException unless the campaign may be edited now: for what a screen writes
    /// before edit() (uploaded files), so that nothing is written for a campaign past its draft.

    void check(const SendPlan& plan) const;
    /// Also local_time ("HH:MM", within the calendar's hours), calendar.days (ISO weekdays 1 to
    /// 7), calendar.from and calendar.to ("HH:MM", from before to).
    /// The one validation of a plan, whichever screen typed it: a known time zone (or none), a
    /// start that has not passed (a minute of grace), a deadline after the start, a pace of 0
    /// or more. Throws FieldException naming the plan's field: at, timezone, deadline, max_per_hour.

    void schedule(long campaignId, const SendPlan& plan, bool needsApproval, long monthlyLimit);
    /// From draft or rejected: freezes the audience (planned rows become queued) and moves to
    /// pending_approval or scheduled (needsApproval: the user may not approve in the group, D2).
    /// One transaction. Throws StateException, QuotaException, and FieldException (check(), or
    /// audience when nobody is planned).
    void reschedule(long campaignId, const SendPlan& plan, bool needsApproval, long monthlyLimit);
    /// A new plan for a campaign that waits (pending_approval or scheduled), in one transaction:
    /// refused as a whole, or stored with the state it then needs (a user who may not approve
    /// sends it back to approval). Throws as schedule() does.
    void approve(long campaignId, long userId);
    void reject(long campaignId, long userId, const std::string& reason);
    void pause(long campaignId, const std::string& reason);
    void resume(long campaignId);
    void cancel(long campaignId);
    /// Each throws StateException when the campaign's state does not allow it; reject also
    /// FieldException (reason) when the reason is empty.

    void setPacing(long campaignId, long maxPerHour);
    void resend(long campaignId, long recipientRowId);
    /// Queues one failed or in-doubt recipient again (D6). Throws StateException otherwise.

    long sendAgain(long campaignId, long recipientRowId, long userId, const std::string& reason);
    /// "Send this campaign to this person again" (R5): queues one row that was sent, bounced or
    /// failed once more, and records who asked, when and why (mm_resends); returns the record's
    /// id. A finished campaign goes back to sending for it. Refused, with nothing written, when
    /// the reason is empty (FieldException "reason"), when the address is suppressed in the group
    /// now (FieldException "address", code the suppression's reason), when the row is not one of
    /// the campaign's or is not in one of those states (FieldException "recipient"), and when
    /// the campaign is not sending, paused or done (StateException).

    long sendAgainTo(long campaignId, const std::string& address, long userId, const std::string& reason);
    /// sendAgain() for the campaign's row of this address (by its EmailAddress::identity). Throws
    /// as sendAgain() does, FieldException (address) when the campaign has no row of it.

    bool inCalendar(Poco::Data::Session& session, long campaignId);
    /// Whether the campaign's calendar lets it send now (a local-time campaign's rows are due
    /// only within it, so it always may). On the caller's session.

    SendCalendar calendarOf(long campaignId, std::string& localTime);
    /// The campaign's calendar and its local time ("" when none).

    std::map<std::string, long> counts(long campaignId);
    /// Recipients by delivery status: queued, in_flight, sent, failed, skipped, in_doubt.

    long sentThisMonth(long groupId);

    /// What a bounce report did to a row (bounced()).
    enum class BounceChange
    {
        None, /// Nothing: the row was bounced hard already, or has not gone out.
        Soft, /// Recorded as a soft bounce (bounce = 'soft').
        Hard  /// The row is now bounced (status 'bounced', bounce = 'hard').
    };

    static BounceChange bounced(Poco::Data::Session& session, long campaignId, long recipientRow, bool hard,
                                bool givenUp, const std::string& detail, const Poco::DateTime& at);
    /// Records a bounce report on a row that went out (sent, in doubt, or handed to the server):
    /// a hard one (5.x.x) makes it 'bounced' with the server's text, bounce 'hard'; a soft one
    /// (4.x.x) notes bounce 'soft' and the text, never over a hard one, and makes the row
    /// 'bounced' too when the server gave up (givenUp: Action failed) rather than only delayed
    /// it. A bounced row still counts as sent for the quota (wentOut). In the caller's
    /// transaction. Throws the database's exception.

    static bool confirmedSent(Poco::Data::Session& session, long campaignId, long recipientRow,
                              const Poco::DateTime& at);
    /// A sending service says it sent the row's message (Mailjet's "sent" event): a row in
    /// doubt is sent. True when it was in doubt.

    static bool complained(Poco::Data::Session& session, long campaignId, long recipientRow,
                           const Poco::DateTime& at);

    /// What a delivery report (an SMS gateway's, issue 15) did to its row.
    enum class ReportChange
    {
        Recorded, /// The row now says delivered (sent) or failed (bounced, with the reason).
        NotYet,   /// The row's hand-over is not recorded yet (queued, or leased): report again later.
        Unknown   /// No such row.
    };

    long groupOfRow(long recipientRow);
    /// The group of the campaign a recipient row belongs to; 0 when there is no such row.

    static ReportChange reported(Poco::Data::Session& session, long recipientRow, bool delivered,
                                 const std::string& detail, const Poco::DateTime& at);
    /// Records the final status a delivery report gives a row that went out: delivered keeps
    /// it sent (an in-doubt row becomes sent: the gateway had it), failed makes it bounced
    /// (bounced() hard, detail the gateway's reason); report and reported_at keep what the
    /// last report said. A report on a row that is failed or skipped changes nothing (Recorded).
    /// In the caller's transaction. Throws the database's exception.
    /// Notes the first complaint (feedback report) on a row: true when it is new.

    static long anonymise(Poco::Data::Session& session, long groupId, const std::string& identity);
    /// A person's erasure (X2), in the caller's transaction: the group's recipient rows of the
    /// address (EmailAddress::identity) keep their status, reason, times, counters, domain and
    /// locale, so that every count of their campaigns stays as it was, and lose the rest: the
    /// address becomes "erased-ROW@erased.invalid", the names, the company and the person's id
    /// go, and a server's answer that names the address is dropped. Their resends (mm_resends)
    /// lose the address the same way. Returns how many rows changed. Throws the database's
    /// exception.

    long changes() const { return _changes; }
    /// How many pauses and cancels this object made: a sending worker looks at its campaign's
    /// state again when the number moves, without asking the database for every message.

private:
    std::string lock(Poco::Data::Session& session, long campaignId);
    void assignLocalTimes(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                          const std::string& at);
    /// Each queued row's due time (next_attempt_at) for a local-time plan, one UPDATE per zone
    /// of the recipients; none for another plan.
    void assignOptimisedHours(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                              const std::string& at);
    /// optimisedHour: each person's due time at the hour they opened most, else the group's.
    void checkAudience(Poco::Data::Session& session, long campaignId, const SendPlan& plan,
                       long monthlyLimit);
    void move(Poco::Data::Session& session, long campaignId, const std::string& action,
              const std::vector<std::string>& from, const std::string& to, const std::string& extraSet = "",
              const std::vector<std::string>& extraValues = {});

    CrmHost::Database& _database;
    Clock _clock;
    std::atomic<long> _changes{0};
};
} // namespace MassMailing

#endif
