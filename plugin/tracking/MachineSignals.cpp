#include "tracking/MachineSignals.h"
#include <Poco/String.h>

namespace MassMailing
{
namespace
{
// Substrings of the User-Agent, in lower case, of the proxies, scanners and robots that mailbox
// providers and security gateways run (and of tools no person reads mail with).
const char* const AGENTS[] = {
    "googleimageproxy", "ggpht.com",   "yahoomailproxy", "yahoo! slurp", "bingpreview",    "ms-office",
    "microsoft office", "safelinks",   "mimecast",       "barracuda",    "proofpoint",     "ironport",
    "symantec",         "messagelabs", "forcepoint",     "trendmicro",   "sophos",         "fortinet",
    "zscaler",          "cisco",       "postmaster",     "linkchecker",  "headlesschrome", "phantomjs",
    "python-",          "python/",     "curl/",          "wget/",        "go-http-client", "java/",
    "okhttp",           "libwww",      "httpclient",     "node-fetch",   "axios/",         "scanner",
    "crawler",          "spider",      "preview",        "bot"};
} // namespace

std::string MachineSignals::knownAgent(const std::string& userAgent)
{
    const std::string agent = Poco::toLower(Poco::trim(userAgent));
    if (agent.empty())
        return "empty";
    for (const char* known : AGENTS)
        if (agent.find(known) != std::string::npos)
            return known;
    return "";
}

std::string MachineSignals::ofRequest(const std::string& method, const std::string& userAgent)
{
    if (method == "HEAD")
        return "head";
    const std::string agent = knownAgent(userAgent);
    return agent.empty() ? "" : "user agent: " + agent;
}

bool MachineSignals::early(const Poco::DateTime& sentAt, const Poco::DateTime& at, int seconds)
{
    return at < sentAt + Poco::Timespan(seconds, 0);
}
} // namespace MassMailing
