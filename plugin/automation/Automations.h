#ifndef MassMailing_Automations_INCLUDED
#define MassMailing_Automations_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/HostEvent.h"
#include "SqlDialect.h"
#include "audience/Audience.h"
#include "automation/Automation.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// A target or filter of a rule's audience, resolved afresh at each occurrence. A parameter
/// written "{name}" takes the value of the host event's data of that name ("{distribution}").
struct AutomationTarget
{
    std::string target;
    std::map<std::string, std::string> params;
    bool exclude = false;
};

/// The automatic messages (M4) of every group (tables mm_automations and
/// mm_automation_occurrences): the rules, and the engine that turns each due occurrence into a
/// campaign of its own, through the stages that own each step (Campaigns creates it, Audience
/// resolves it, Deliveries schedules it; the delivery engine sends it as any campaign).
///
/// Exactly once: an occurrence is a row whose unique key is (rule, occurrence key), the key
/// being the UTC time of a schedule's occurrence or the host event's id, so that restarts,
/// clock changes and nodes find the same row; a node holds it under a lease while it creates
/// and schedules its one campaign, recorded in the row before it is resolved, and only a
/// campaign still in draft is resolved and scheduled (Deliveries moves it out of draft once).
class Automations
{
public:
    /// Called at each step of an occurrence ("claimed", "created", "resolved", "scheduled"):
    /// the tests throw there to stop a node as a crash would.
    using Step = std::function<void(const std::string& step)>;

    Automations(CrmHost::Database& database, Campaigns& campaigns, Audience& audience, Deliveries& deliveries,
                Clock clock, std::function<long()> monthlyLimit, std::string node, Step step = {});

    static const std::vector<std::string>& events();
    /// The host events a rule may follow: orders.opened, distribution.upcoming, session.upcoming,
    /// member.joined.

    long create(Automation rule, Campaign message, const std::vector<AutomationTarget>& audience);
    /// Checks the rule (name, trigger, window) and the audience's targets, then stores the message
    /// as the rule's model campaign, its audience, and the rule. Throws FieldException naming the
    /// field (name, trigger.cron, trigger.timezone, trigger.event, trigger.delay_minutes,
    /// window_minutes, audience), and what Campaigns::create and Audience::addTarget throw.

    std::vector<long> setUpNotifications(long groupId, long userId);
    /// The built-in automatic messages of a food group (seed 002), each once: "orders open"
    /// (orders.opened) and the order summary 24 h and 4 h before each distribution
    /// (distribution.upcoming) to those who ordered for it, each leaving out the members whose
    /// "My account → Notifications" says no (the audience's members.declined_* lists); default
    /// texts in French with an English version, from the group's first verified domain, editable
    /// as any rule's message. Returns the ids of the rules it created. Throws FieldException
    /// (sender_email) when the group has no verified domain, (group) when it is not a food group.

    std::optional<Automation> find(long id);
    std::vector<Automation> ofGroup(long groupId);

    void setPaused(long id, bool paused);
    /// A paused rule's occurrences are recorded as skipped (reason "paused") and send nothing.
    /// Throws Poco::NotFoundException.

    AutomationOccurrence skipNext(long id);
    /// Records the next occurrence as skipped (reason "skipped") and returns it. Throws
    /// Poco::NotFoundException, FieldException (trigger) when no occurrence is to come.

    std::vector<AutomationOccurrence> occurrences(long id, std::size_t past, std::size_t next);
    /// The last past occurrences (most recent first) then the next ones, each to come with the
    /// audience's planned size if it went now. Throws Poco::NotFoundException.

    void onEvent(const CrmHost::HostEvent& event);
    /// Records an occurrence, due at the event's time minus (*.upcoming) or plus the delay, for
    /// each rule of the event's group following it (a paused rule's is skipped when it is due, if
    /// the rule is still paused then). The same event again changes nothing.

    bool runOnce();
    /// The scheduled task: records the schedules' occurrences that came, then fires the due
    /// ones, one campaign each; returns true when due work is left.

    static const int LEASE_MINUTES = 10;
    static const int LOOKBACK_DAYS = 35; /// How far back a stopped host records missed occurrences.

private:
    void recordScheduled(const Automation& rule, const std::string& now);
    bool fireNext(const std::string& now);
    void fire(long occurrence, const std::string& now);
    void finish(long occurrence, const std::string& status, const std::string& reason, long planned);
    long campaignFor(long occurrence, const Automation& rule, const AutomationOccurrence& row);
    long planned(const Automation& rule);
    std::vector<Automation> select(const std::string& where, long parameter);
    std::string nowText() const;

    CrmHost::Database& _database;
    Campaigns& _campaigns;
    Audience& _audience;
    Deliveries& _deliveries;
    Clock _clock;
    std::function<long()> _monthlyLimit;
    std::string _node;
    Step _step;
    SqlDialect _sql;
};
} // namespace MassMailing

#endif
