#ifndef CrmHost_HostPages_INCLUDED
#define CrmHost_HostPages_INCLUDED

#include "CrmHost/Screen.h"
#include "Host.h"
#include "MustacheRenderer.h"

namespace CrmHost
{
/// The host's own screens: login, the groups of a user, a group's home and members, and the
/// administrator's Modules screen. Each answers a Response whose body goes into the layout.
class HostPages
{
public:
    explicit HostPages(Host& host);

    Response login(const Request& request, const std::string& error);
    Response asset(const std::string& name) const;
    /// GET /assets/NAME: a script of the host's pages (host-sdk/web/), or 404.
    Response home(const Request& request);
    Response group(const Request& request, const Group& group);
    Response members(const Request& request, const Group& group);
    Response sessions(const Request& request, const Group& group);
    /// A studio's sessions, from 7 days ago on, each with its bookings, waiting list and cancellations
    /// counted.
    Response session(const Request& request, const Group& group, long sessionId);
    /// One session: its bookings, waiting list and cancellations by name, and the modules' session
    /// links (API 1.8: the inbox's "Communication"). 404 for a session of another group.
    Response modules(const Request& request);
    /// With done=enable|disable, module and group: says what the last change did.
    Response changeModule(const Request& request);
    /// POST of the Modules screen: module, group, action = enable | disable.
    /// Throws RequestError naming the field when one is wrong.
    Response inbound(const Request& request);
    /// The administrator's list of received mail left not understood or still pending.
    Response inboundMessage(const Request& request);
    /// One received message (id=N): its envelope, what became of it, and its text, escaped.
    Response inboundRaw(const Request& request);
    /// The same message as received, as text/plain. Throws RequestError for an unknown id.
    Response notifications(const Request& request);
    /// "My account → Notifications" (seed 002): GET shows the switches of each food group the
    /// user is a member of; POST (group, notification, enabled, lead_hours) records one choice.

    Response error(const Request& request, int status, const std::string& heading,
                   const std::string& message);

    const MustacheRenderer& renderer() const { return _renderer; }

private:
    std::string kindLabel(const std::string& kind, const std::string& locale) const;
    mstch::map inboundFields(const StoredMail& mail, const std::string& locale) const;
    StoredMail inboundOf(const Request& request) const;

    Host& _host;
    MustacheRenderer _renderer;
};
} // namespace CrmHost

#endif
