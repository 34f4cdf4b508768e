#ifndef MassMailing_DeliveryApi_INCLUDED
#define MassMailing_DeliveryApi_INCLUDED

#include "CrmHost/Screen.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "delivery/TestSend.h"
#include "screens/CampaignDoor.h"
#include "screens/Routes.h"

namespace MassMailing
{
/// The delivery routes of the JSON API: schedule, approve, reject, pause, resume, cancel,
/// pacing and resend. A change the campaign's state does not allow answers 409 with the
/// current state.
class DeliveryApi
{
public:
    DeliveryApi(Campaigns& campaigns, Deliveries& deliveries, TestSend& testSend,
                std::function<long()> monthlyLimit);

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response schedule(const CrmHost::Request& request); /// POST campaigns/{id}/schedule
    CrmHost::Response approve(const CrmHost::Request& request);  /// POST campaigns/{id}/approve
    CrmHost::Response reject(const CrmHost::Request& request);   /// POST campaigns/{id}/reject {"reason"}
    CrmHost::Response pause(const CrmHost::Request& request);    /// POST campaigns/{id}/pause
    CrmHost::Response resume(const CrmHost::Request& request);   /// POST campaigns/{id}/resume
    CrmHost::Response cancel(const CrmHost::Request& request);   /// POST campaigns/{id}/cancel
    CrmHost::Response pacing(const CrmHost::Request& request); /// POST campaigns/{id}/pacing {"max_per_hour"}
    CrmHost::Response resend(const CrmHost::Request& request); /// POST campaigns/{id}/recipients/{row}/resend

    static std::string utcOf(const std::string& iso8601, const std::string& field);
    /// "2026-12-01T09:30:00+01:00" as "2026-12-01 08:30:00" (UTC). Throws FieldException.

private:
    CrmHost::Response change(const CrmHost::Request& request, const std::string& right,
                             const std::function<void(const Campaign&)>& action);

    CampaignDoor _door;
    Deliveries& _deliveries;
    TestSend& _testSend;
    std::function<long()> _monthlyLimit;
};
} // namespace MassMailing

#endif
