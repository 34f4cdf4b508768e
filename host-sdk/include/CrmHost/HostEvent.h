#ifndef CrmHost_HostEvent_INCLUDED
#define CrmHost_HostEvent_INCLUDED

#include <functional>
#include <map>
#include <string>

namespace CrmHost
{
/// Something that happened in the host, delivered to the modules that subscribed.
/// Names in use: "module.enabled" and "module.disabled" (module, group), "person.updated" (person).
struct HostEvent
{
    std::string name;
    std::map<std::string, std::string> data;
};

using HostEventHandler = std::function<void(const HostEvent&)>;
} // namespace CrmHost

#endif
