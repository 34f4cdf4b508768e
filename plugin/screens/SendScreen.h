#ifndef MassMailing_SendScreen_INCLUDED
#define MassMailing_SendScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "content/Campaigns.h"
#include "content/MessageSize.h"
#include "delivery/Deliveries.h"
#include "delivery/DeliveryProgress.h"
#include "delivery/TestSend.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>
#include <map>

namespace MassMailing
{
/// Step 5 of the wizard, "Send" (D1–D3, D6, D8, A9): the summary and the approval checklist
/// (sender, subject, recipients, variables, size); send now or later at a date and time in a
/// chosen zone, a pace (at most N per hour, or finish within H hours) and a deadline; the
/// approver's approve or reject; while sending, progress that updates itself, pause, resume
/// and the pace changed live; after, each recipient's status and "send again" for those that
/// failed or are in doubt.
///
/// The page translates; the delivery stage (Deliveries) decides whether a change is allowed.
class SendScreen
{
public:
    using GroupSetting = std::function<std::string(long groupId, const std::string& name)>;

    SendScreen(Wizard& wizard, Audience& audience, Deliveries& deliveries, DeliveryProgress& progress,
               TestSend& testSend, MessageSize& size, std::function<long()> monthlyLimit, Clock clock,
               GroupSetting groupSetting = nullptr);
    /// groupSetting: the group's "time_zone" and "pacing.max_per_hour" (GroupSettings), the
    /// defaults of a new send's form; empty: DEFAULT_ZONE, no pacing.

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET campaigns/{id}/send[?status=STATUS][&done=ACTION]

    CrmHost::Response submit(const CrmHost::Request& request);
    /// POST campaigns/{id}/send: "action" schedule (when, send_date, send_time, time_zone,
    /// pacing, per_hour, within_hours, deadline_date, deadline_time), reschedule (the same),
    /// approve, reject (reason), pause, resume, cancel, pacing (max_per_hour), resend (row);
    /// from=home goes back to the home screen.

    CrmHost::Response progress(const CrmHost::Request& request);
    /// GET campaigns/{id}/progress: the numbers the page's script shows, as JSON, in words.

    static const char* const DEFAULT_ZONE; /// "Europe/Paris".

private:
    struct Outcome
    {
        int status = 200;
        std::string error;
        std::map<std::string, std::string> fieldErrors; /// send_at, deadline, pacing, reason, pace
        bool keepForm = false;                          /// Show the fields as the user typed them.
    };

    CrmHost::Response render(const CrmHost::Request& request, const Campaign& campaign,
                             const Outcome& outcome);
    void schedule(const CrmHost::Request& request, const Campaign& campaign, bool again);
    std::string planText(const DeliveryState& state, const CrmHost::Request& request) const;
    std::string localText(const std::string& utc, const std::string& zone,
                          const CrmHost::Request& request) const;
    std::map<std::string, std::string> progressOf(const DeliveryState& state,
                                                  const CrmHost::Request& request) const;

    Wizard& _wizard;
    Audience& _audience;
    Deliveries& _deliveries;
    DeliveryProgress& _progress;
    TestSend& _testSend;
    MessageSize& _size;
    std::function<long()> _monthlyLimit;
    Clock _clock;
    GroupSetting _groupSetting;
};
} // namespace MassMailing

#endif
