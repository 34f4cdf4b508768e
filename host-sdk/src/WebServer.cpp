#include "WebServer.h"
#include "WebRequestHandler.h"
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/ServerSocket.h>

namespace CrmHost
{
namespace
{
class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(Host& host) : _host(host), _pages(host) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new WebRequestHandler(_host, _pages);
    }

private:
    Host& _host;
    HostPages _pages;
};
} // namespace

WebServer::WebServer(Host& host) : _host(host) {}

WebServer::~WebServer()
{
    stop();
}

void WebServer::start()
{
    Poco::Net::SocketAddress address(_host.config().getString("http.address", "127.0.0.1"),
                                     Poco::UInt16(_host.config().getInt("http.port", 8080)));
    Poco::Net::ServerSocket socket(address);
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(_host.config().getInt("http.threads", 16));
    params->setKeepAlive(true);
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(_host), socket, params);
    _server->start();
}

void WebServer::stop()
{
    if (_server)
    {
        _server->stopAll(true);
        _server.reset();
    }
}

Poco::UInt16 WebServer::port() const
{
    return _server ? _server->port() : 0;
}
} // namespace CrmHost
