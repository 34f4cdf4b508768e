#include "InboundListener.h"
#include "CrmHost/Exceptions.h"
#include "LogText.h"
#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

namespace CrmHost
{
namespace
{
const std::size_t MIN_SIZE = 1024;
// At most what a MEDIUMBLOB holds (schema/host/mysql/003_inbound.sql).
const std::size_t MAX_SIZE = 16 * 1024 * 1024 - 1;

Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.inbound");
}

long number(const Poco::Util::AbstractConfiguration& config, const std::string& key, long fallback, long min,
            long max, const std::string& what)
{
    std::string text = Poco::trim(config.getString(key, std::to_string(fallback)));
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(text, value) || value < min || value > max)
        throw SettingException(key + " must be " + what + " from " + std::to_string(min) + " to " +
                               std::to_string(max) + ", not \"" + text + "\"");
    return long(value);
}

class SmtpConnection : public Poco::Net::TCPServerConnection
{
public:
    SmtpConnection(const Poco::Net::StreamSocket& socket, const InboundListener::Options& options,
                   const SmtpSession::Store& store, std::shared_ptr<std::atomic<bool>> stopping)
        : TCPServerConnection(socket), _options(options), _store(store), _stopping(std::move(stopping))
    {
    }

    void run() override
    {
        Poco::Net::StreamSocket& peer = socket();
        std::string client;
        try
        {
            client = peer.peerAddress().toString();
            SmtpSession::Limits limits;
            limits.maxSize = _options.maxSize;
            SmtpSession session(_options.hostName, limits, _store);
            peer.setSendTimeout(Poco::Timespan(60, 0));
            peer.setNoDelay(true);
            send(peer, session.greeting());
            Poco::Timestamp heard;
            const Poco::Timestamp::TimeDiff idle =
                Poco::Timestamp::TimeDiff(_options.timeoutSeconds) * Poco::Timestamp::resolution();
            std::vector<char> buffer(64 * 1024);
            while (!session.closed())
            {
                if (*_stopping)
                {
                    send(peer, session.shutdown());
                    break;
                }
                if (!peer.poll(Poco::Timespan(0, 250 * 1000), Poco::Net::Socket::SELECT_READ))
                {
                    if (heard.isElapsed(idle))
                        send(peer, session.timeout());
                    continue;
                }
                int got = peer.receiveBytes(buffer.data(), int(buffer.size()));
                if (got <= 0)
                {
                    if (session.inData())
                        logger().warning("SMTP client %s left in the middle of a message: nothing stored",
                                         client);
                    break;
                }
                heard.update();
                send(peer, session.receive(buffer.data(), std::size_t(got)));
            }
        }
        catch (const Poco::Exception& error)
        {
            logger().information("SMTP connection from %s ended: %s", client, logText(error.displayText()));
        }
        catch (const std::exception& error)
        {
            logger().error("SMTP connection from %s failed: %s", client, logText(error.what()));
        }
    }

private:
    static void send(Poco::Net::StreamSocket& peer, const std::string& bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size())
        {
            int sent = peer.sendBytes(bytes.data() + done, int(bytes.size() - done));
            if (sent <= 0)
                throw Poco::Net::ConnectionResetException("the client closed the connection");
            done += std::size_t(sent);
        }
    }

    const InboundListener::Options& _options;
    const SmtpSession::Store& _store;
    std::shared_ptr<std::atomic<bool>> _stopping;
};

class SmtpConnectionFactory : public Poco::Net::TCPServerConnectionFactory
{
public:
    SmtpConnectionFactory(const InboundListener::Options& options, const SmtpSession::Store& store,
                          std::shared_ptr<std::atomic<bool>> stopping)
        : _options(options), _store(store), _stopping(std::move(stopping))
    {
    }

    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override
    {
        return new SmtpConnection(socket, _options, _store, _stopping);
    }

private:
    const InboundListener::Options& _options;
    const SmtpSession::Store& _store;
    std::shared_ptr<std::atomic<bool>> _stopping;
};
} // namespace

InboundListener::Options InboundListener::Options::from(const Poco::Util::AbstractConfiguration& config)
{
    Options options;
    options.address = Poco::trim(config.getString("mail.listen.address", options.address));
    if (options.address.empty())
        throw SettingException("mail.listen.address must be an address to listen on, such as 127.0.0.1");
    if (!Poco::trim(config.getString("mail.listen.port", "")).empty())
        options.port = Poco::UInt16(number(config, "mail.listen.port", 0, 1, 65535, "a port"));
    options.maxSize = std::size_t(number(config, "mail.listen.max_size", long(options.maxSize),
                                         long(MIN_SIZE), long(MAX_SIZE), "a size in bytes"));
    options.timeoutSeconds =
        int(number(config, "mail.listen.timeout", options.timeoutSeconds, 1, 3600, "a number of seconds"));
    options.maxConnections = int(
        number(config, "mail.listen.connections", options.maxConnections, 1, 256, "a number of connections"));
    options.hostName = Poco::trim(config.getString("mail.listen.hostname", options.hostName));
    for (char c : options.hostName)
        if (!(Poco::Ascii::isAlphaNumeric(c) || c == '.' || c == '-'))
            throw SettingException(
                "mail.listen.hostname must be a host name (letters, digits, dots, hyphens)");
    if (options.hostName.empty())
        options.hostName = "crmhost";
    return options;
}

InboundListener::InboundListener(Options options, SmtpSession::Store store)
    : _options(std::move(options)), _stopping(std::make_shared<std::atomic<bool>>(false))
{
    // The client hears 451 and tries again later; the administrator reads why here.
    _store = [store = std::move(store)](const std::string& raw, const std::string& sender,
                                        const std::vector<std::string>& recipients)
    {
        try
        {
            return store(raw, sender, recipients);
        }
        catch (const Poco::Exception& error)
        {
            logger().error("A received message (%z bytes) could not be stored: %s", raw.size(),
                           logText(error.displayText()));
            throw;
        }
        catch (const std::exception& error)
        {
            logger().error("A received message (%z bytes) could not be stored: %s", raw.size(),
                           logText(error.what()));
            throw;
        }
    };
}

InboundListener::~InboundListener()
{
    try
    {
        stop();
    }
    catch (...)
    {
    }
}

void InboundListener::start()
{
    Poco::Net::SocketAddress where(_options.address, _options.port);
    Poco::Net::ServerSocket socket;
    try
    {
        socket.bind(where, true);
        socket.listen(64);
    }
    catch (const Poco::Exception& error)
    {
        throw Poco::Net::NetException("the inbound mail listener cannot listen on " + where.toString() +
                                      " (mail.listen.address, mail.listen.port): " + error.displayText());
    }
    auto params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(_options.maxConnections);
    params->setMaxQueued(_options.maxConnections * 4);
    _stopping->store(false);
    _threads = std::make_unique<Poco::ThreadPool>("inbound-smtp", 1, _options.maxConnections);
    _server = std::make_unique<Poco::Net::TCPServer>(new SmtpConnectionFactory(_options, _store, _stopping),
                                                     *_threads, socket, params);
    _server->start();
    logger().information("Receiving mail by SMTP on %s", socket.address().toString());
}

void InboundListener::stop()
{
    if (!_server)
        return;
    _stopping->store(true);
    _server->stop();
    // The sessions see the flag within a quarter of a second; a store under way finishes first.
    Poco::Timestamp asked;
    while (_server->currentConnections() > 0 && !asked.isElapsed(10 * Poco::Timestamp::resolution()))
        Poco::Thread::sleep(50);
    _server.reset();
    _threads->joinAll();
    _threads.reset();
}

Poco::UInt16 InboundListener::port() const
{
    return _server ? _server->port() : _options.port;
}
} // namespace CrmHost
