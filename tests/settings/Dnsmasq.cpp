#include "Dnsmasq.h"
#include "content/DnsLookup.h"
#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Thread.h>

namespace SettingsTests
{
Dnsmasq::Dnsmasq(const std::string& domain) : _domain(domain), _folder("settings-dnsmasq")
{
    // dnsmasq listens on UDP and TCP: a port free for both, and another one if it lost the race.
    for (int attempt = 1;; ++attempt)
    {
        Poco::Net::DatagramSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        _port = probe.address().port();
        try
        {
            Poco::Net::ServerSocket tcp(Poco::Net::SocketAddress("127.0.0.1", _port));
            tcp.close();
            probe.close();
            start({});
            return;
        }
        catch (const Poco::Exception&)
        {
            stop();
            if (attempt == 5)
                throw;
        }
    }
}

Dnsmasq::~Dnsmasq()
{
    stop();
}

std::string Dnsmasq::txtRecord(const std::string& name, const std::string& value)
{
    std::string line = "txt-record=" + name;
    for (std::size_t at = 0; at < value.size(); at += 255)
        line += ",\"" + value.substr(at, 255) + "\"";
    return line;
}

void Dnsmasq::publish(const std::vector<std::string>& lines)
{
    stop();
    start(lines);
}

void Dnsmasq::start(const std::vector<std::string>& lines)
{
    const std::string conf = _folder.file("dnsmasq.conf");
    {
        Poco::FileOutputStream out(conf);
        out << "no-resolv\nno-hosts\nno-poll\nbind-interfaces\nlisten-address=127.0.0.1\nport=" << _port
            << "\nuser=root\nlocal=/" << _domain << "/\n";
        for (const std::string& line : lines)
            out << line << "\n";
    }
    _process = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch("dnsmasq", {"--keep-in-foreground", "--conf-file=" + conf,
                                          "--pid-file=", "--log-facility=" + _folder.file("log")}));
    const MassMailing::DnsLookup lookup(resolver());
    for (int i = 0; i < 100; ++i)
    {
        try
        {
            lookup.txt("nothing." + _domain);
            return;
        }
        catch (const MassMailing::DnsException&)
        {
            if (!Poco::Process::isRunning(*_process))
                break; // it could not listen
            Poco::Thread::sleep(50);
        }
    }
    throw Poco::RuntimeException("dnsmasq does not answer on " + resolver());
}

void Dnsmasq::stop()
{
    if (!_process)
        return;
    try
    {
        Poco::Process::kill(*_process);
        _process->wait();
    }
    catch (const Poco::Exception&)
    {
    }
    _process.reset();
}
} // namespace SettingsTests
