#ifndef CrmHost_HostEvent_INCLUDED
#define CrmHost_HostEvent_INCLUDED

#include <functional>
#include <map>
#include <string>
#include <utility>

namespace CrmHost
{
/// Something that happened in the host, delivered to the modules that subscribed.
///
/// Names in use: "module.enabled" and "module.disabled" (module, group), "person.updated"
/// (person), and, since API 1.7, the typed events of the host's data (H2), each occurrence
/// with a stable id and the time it is about:
/// - "orders.opened": a distribution's orders open. data: group, distribution, starts_at,
///   orders_open_at, orders_close_at, place. at = orders_open_at.
/// - "distribution.upcoming": a distribution comes within the host's horizon
///   (events.upcoming_hours, 48 by default). data: group, distribution, starts_at, ends_at,
///   orders_close_at, place. at = starts_at.
/// - "session.upcoming": a studio session comes within the horizon. data: group, session,
///   title, coach, starts_at. at = starts_at.
/// - "member.joined": a person joins a group. data: group, person. at = joined_at.
/// An occurrence may be delivered more than once (a host that stopped between the offer and
/// its record offers it again, two nodes may both offer it): a subscriber keys what it does on
/// id. An occurrence whose time passed more than events.lookback_hours ago is never offered.
struct HostEvent
{
    HostEvent() = default;
    HostEvent(std::string eventName, std::map<std::string, std::string> eventData, std::string eventId = "",
              std::string eventAt = "")
        : name(std::move(eventName)), data(std::move(eventData)), id(std::move(eventId)),
          at(std::move(eventAt))
    {
    }
    /// {name, data} as before 1.7 still builds one.

    std::string name;
    std::map<std::string, std::string> data;
    std::string id; /// Stable across restarts and nodes: "distribution.upcoming:12". Since API 1.7.
    std::string at; /// UTC "YYYY-MM-DD HH:MM:SS": when the thing happens. Since API 1.7.
};

using HostEventHandler = std::function<void(const HostEvent&)>;
} // namespace CrmHost

#endif
