#ifndef CrmHost_WebRequestHandler_INCLUDED
#define CrmHost_WebRequestHandler_INCLUDED

#include "Host.h"
#include "HostPages.h"
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace CrmHost
{
/// One request: authenticates it (session cookie and CSRF token for pages, bearer token for
/// JSON), checks that the module is enabled in the group and that the user holds the
/// screen's right, calls the screen, and writes its answer (pages inside the layout).
class WebRequestHandler : public Poco::Net::HTTPRequestHandler
{
public:
    WebRequestHandler(Host& host, HostPages& pages);
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    void bindRights(Request& request);
    /// Lets the screen ask which rights the authenticated user holds.
    Response handleApi(Poco::Net::HTTPServerRequest& http, Request& request);
    Response handlePublic(Poco::Net::HTTPServerRequest& http, Request& request);
    Response handlePage(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& out,
                        Request& request);
    Response moduleScreen(Request& request, ScreenKind kind, const std::string& module,
                          const std::string& subPath);
    /// 404 when no such screen or the module is not enabled in the group, 403 without the right.
    void send(Poco::Net::HTTPServerResponse& out, const Request& request, Response response, ScreenKind kind,
              Poco::Net::HTTPServerRequest* http = nullptr);
    /// http: the request's connection, shut down when a streamed body fails half-way.
    /// Writes the answer with the security headers of its kind (pages inside the layout).
    void internalError(Poco::Net::HTTPServerResponse& out, const Request& request, ScreenKind kind,
                       const std::string& path, const std::string& what);
    /// Logs a failed request with its path and answers 500 if nothing was sent yet; never throws.
    std::string layout(const Request& request, const Response& response);

    Host& _host;
    HostPages& _pages;
};
} // namespace CrmHost

#endif
