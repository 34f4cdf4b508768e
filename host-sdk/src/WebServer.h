#ifndef CrmHost_WebServer_INCLUDED
#define CrmHost_WebServer_INCLUDED

#include "Host.h"
#include <Poco/Net/HTTPServer.h>
#include <memory>

namespace CrmHost
{
/// The host's HTTP server (http.address, http.port): the host's pages, the modules'
/// pages under /g/{group}/{module}/ and their JSON routes under /api/v1/{module}/.
class WebServer
{
public:
    explicit WebServer(Host& host);
    ~WebServer();

    void start();
    /// Throws Poco::Net::NetException when the address cannot be bound.
    void stop();
    Poco::UInt16 port() const;

private:
    Host& _host;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};
} // namespace CrmHost

#endif
