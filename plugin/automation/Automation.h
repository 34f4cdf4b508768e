#ifndef MassMailing_Automation_INCLUDED
#define MassMailing_Automation_INCLUDED

#include <map>
#include <string>

namespace MassMailing
{
/// A rule's trigger: a recurring schedule in a time zone, or a host event with a delay.
struct AutomationTrigger
{
    std::string cron;     /// "m h dom mon dow" (RecurringSchedule); empty for an event.
    std::string timeZone; /// The schedule's zone, "Europe/Paris".
    std::string event;    /// A host event (HostEvent.h), "distribution.upcoming"; empty for a schedule.
    long delayMinutes = 0;
    /// For an event: an occurrence is due this long before the event's time for *.upcoming
    /// ("24 h before each distribution"), this long after it for the others.

    bool isEvent() const { return !event.empty(); }
};

/// An automatic message (M4): its message and audience are those of a draft campaign of its
/// own (the model, composed as any campaign is, never sent); each occurrence of its trigger
/// becomes a campaign copied from the model, its audience resolved afresh.
struct Automation
{
    long id = 0;
    long groupId = 0;
    std::string name;
    long modelCampaign = 0;
    AutomationTrigger trigger;
    long windowMinutes = 120; /// An occurrence found later than this after its time is skipped.
    bool paused = false;
    std::string builtin; /// A group's built-in notification (orders_opened, summary_24h, summary_4h), or "".
    long createdBy = 0;
    std::string createdAt;
};

/// One occurrence of a rule: past (with what became of it) or to come.
struct AutomationOccurrence
{
    long id = 0; /// 0: not recorded yet (a scheduled one to come).
    std::string key;
    std::string at;     /// UTC, when it is due.
    std::string status; /// pending, firing, sent, empty, skipped, failed; "planned" for one to come.
    std::string reason;
    long campaign = 0;
    long planned = 0;                        /// Those it went to; for one to come, the audience's size now.
    std::map<std::string, std::string> data; /// The host event's data.
};
} // namespace MassMailing

#endif
