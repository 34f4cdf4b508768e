#ifndef MassMailing_PushScreen_INCLUDED
#define MassMailing_PushScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "push/PushDelivery.h"
#include "push/PushSubscriptions.h"
#include "push/Vapid.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// A member's push notifications (issue 15, point 4): the subscribe page, where the logged-in
/// member's browser registers the service worker (plugin/web/push-sw.js), asks for permission,
/// subscribes with the host's VAPID key and posts the subscription (plugin/web/push.js); their
/// devices, each removable; a test notification to them. With ?email= (the member link of the
/// host's member screen, massmailing.compose), one member's devices for the staff.
class PushScreen
{
public:
    PushScreen(Wizard& wizard, PushSubscriptions& subscriptions, PushDelivery& delivery, const Vapid& vapid,
               std::function<bool()> loopbackAllowed);
    /// loopbackAllowed: massmailing.push.allow_loopback (PushSubscription::checkEndpoint).

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET push[?email=A][&done=subscribed|removed|test][&sent=N&reason=R]

    CrmHost::Response subscribe(const CrmHost::Request& request);
    /// POST push/subscriptions (subscription: the browser's PushSubscription as JSON): the device
    /// kept for the logged-in member. Answers JSON: 201 {"id"}, 422 {"error"} naming the field,
    /// 403 when the user is no member of the group.

    CrmHost::Response remove(const CrmHost::Request& request);
    /// POST push/devices/remove (id): one of the member's own devices.

    CrmHost::Response test(const CrmHost::Request& request);
    /// POST push/test [title, text]: a notification to each of the member's own devices, now.

private:
    long memberOf(const CrmHost::Request& request) const;

    Wizard& _wizard;
    PushSubscriptions& _subscriptions;
    PushDelivery& _delivery;
    const Vapid& _vapid;
    std::function<bool()> _loopbackAllowed;
};
} // namespace MassMailing

#endif
