#ifndef CrmHost_SecurityHeaders_INCLUDED
#define CrmHost_SecurityHeaders_INCLUDED

#include "CrmHost/Screen.h"
#include <Poco/Net/HTTPServerResponse.h>

namespace CrmHost
{
/// The headers every answer carries against injected content: a Content-Security-Policy,
/// X-Content-Type-Options, Referrer-Policy, and the framing rule.
///
/// Pages (the host's and the modules') run scripts from the host's origin only: no inline
/// script, no event handler attribute, no plugin, no <base>; styles may be inline (the
/// layout and the editor use them); images may come from anywhere (a message's preview).
/// Public pages (ScreenKind::Public: a message viewed online, an unsubscribe page) hold
/// what outsiders wrote into a campaign and run no script at all, and send no Referer
/// (their address holds a signed token).
class SecurityHeaders
{
public:
    static const char* const PAGE_POLICY;
    static const char* const PUBLIC_POLICY;
    static const char* const JSON_POLICY;

    static void apply(Poco::Net::HTTPServerResponse& response, ScreenKind kind);
};
} // namespace CrmHost

#endif
