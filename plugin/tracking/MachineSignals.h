#ifndef MassMailing_MachineSignals_INCLUDED
#define MassMailing_MachineSignals_INCLUDED

#include <Poco/DateTime.h>
#include <string>

namespace MassMailing
{
/// Whether an open or a click was made by a machine rather than a person (R3): mail privacy
/// proxies that load every image, link scanners that follow every link. Such events are kept
/// and counted apart ("machine"), never dropped. The signs, each with the reason stored in
/// the event's detail:
/// - "head": a HEAD request (a browser following a link asks with GET);
/// - "user agent: NAME": a known proxy, scanner or robot in the User-Agent;
/// - "hidden link": the trap link of the message, which no person can see;
/// - "early": within the module setting massmailing.tracking.machine_seconds of the row's
///   sending (default 10): no person reads and clicks so soon, scanners at delivery do.
class MachineSignals
{
public:
    static std::string ofRequest(const std::string& method, const std::string& userAgent);
    /// The reason a request shows by itself ("head", "user agent: ..."), or "" for none.

    static std::string knownAgent(const std::string& userAgent);
    /// The name of the proxy, scanner or robot the User-Agent names (matched without case),
    /// or "" for none; an empty User-Agent is "empty" (browsers always send one).

    static bool early(const Poco::DateTime& sentAt, const Poco::DateTime& at, int seconds);
    /// Whether at is less than seconds after sentAt (or before it).
};
} // namespace MassMailing

#endif
