#ifndef CrmHost_InboundListener_INCLUDED
#define CrmHost_InboundListener_INCLUDED

#include "SmtpSession.h"
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <atomic>
#include <memory>
#include <string>

namespace CrmHost
{
/// The host's SMTP listener for inbound mail (bounces, replies): a Poco TCPServer whose
/// connections each run an SmtpSession, storing every message through the store function
/// before it answers 250.
class InboundListener
{
public:
    struct Options
    {
        std::string address = "127.0.0.1";      /// mail.listen.address
        Poco::UInt16 port = 0;                  /// mail.listen.port; 0: no listener
        std::size_t maxSize = 10 * 1024 * 1024; /// mail.listen.max_size, bytes
        int timeoutSeconds = 300;               /// mail.listen.timeout: a silent client is let go
        int maxConnections = 16;                /// mail.listen.connections
        std::string hostName = "crmhost";       /// mail.listen.hostname, in the greeting

        static Options from(const Poco::Util::AbstractConfiguration& config);
        /// Throws SettingException naming the key and what it must be.
        bool enabled() const { return port != 0; }
    };

    InboundListener(Options options, SmtpSession::Store store);
    ~InboundListener();

    void start();
    /// Listens; throws Poco::Net::NetException (naming the address) when it cannot.
    void stop();
    /// Stops listening, ends the sessions under way with a 421 and waits for them (a few seconds).
    Poco::UInt16 port() const;

private:
    Options _options;
    SmtpSession::Store _store;
    std::shared_ptr<std::atomic<bool>> _stopping;
    std::unique_ptr<Poco::ThreadPool> _threads; // its own: slow SMTP clients never hold the web server's
    std::unique_ptr<Poco::Net::TCPServer> _server;
};
} // namespace CrmHost

#endif
