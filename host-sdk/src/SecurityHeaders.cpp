#include "SecurityHeaders.h"

namespace CrmHost
{
const char* const SecurityHeaders::PAGE_POLICY =
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; "
    "form-action 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:";
const char* const SecurityHeaders::PUBLIC_POLICY =
    "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; "
    "font-src 'self' data:";
const char* const SecurityHeaders::JSON_POLICY = "default-src 'none'; frame-ancestors 'none'";

void SecurityHeaders::apply(Poco::Net::HTTPServerResponse& response, ScreenKind kind)
{
    response.set("Content-Security-Policy", kind == ScreenKind::Public ? PUBLIC_POLICY
                                            : kind == ScreenKind::Json ? JSON_POLICY
                                                                       : PAGE_POLICY);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", kind == ScreenKind::Public ? "no-referrer" : "same-origin");
    response.set("X-Frame-Options", kind == ScreenKind::Page ? "SAMEORIGIN" : "DENY");
}
} // namespace CrmHost
