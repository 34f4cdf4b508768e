#include "SmtpServer.h"
#include "ScratchFolder.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <cstdio>
#include <sstream>

namespace DeliveryTests
{
const char* const SmtpServer::USER = "mailer";
const char* const SmtpServer::PASSWORD = "s3cret pass";

SmtpServer::SmtpServer(const std::string& folder, const std::vector<std::string>& options) : _folder(folder)
{
    std::vector<std::string> args = {DELIVERY_TEST_DIR "/smtp_server.py", folder};
    args.insert(args.end(), options.begin(), options.end());
    _process = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(DELIVERY_PYTHON, args));

    const Poco::Timestamp started;
    while (!started.isElapsed(20 * Poco::Timestamp::resolution()))
    {
        if (!Poco::Process::isRunning(*_process))
            throw Poco::RuntimeException("smtp_server.py ended at start:\n" + log());
        // The server writes its ports once both listen; a probe connection would be counted.
        std::istringstream ports(ScratchFolder::read(folder + "/ports"));
        if (ports >> _port >> _tlsPort)
            return;
        Poco::Thread::sleep(50);
    }
    Poco::Process::kill(*_process);
    _process->wait();
    throw Poco::RuntimeException("smtp_server.py did not answer within 20 s:\n" + log());
}

SmtpServer::~SmtpServer()
{
    try
    {
        Poco::Process::kill(*_process);
        _process->wait();
    }
    catch (...)
    {
    }
}

MassMailing::SmtpSettings SmtpServer::settings() const
{
    MassMailing::SmtpSettings settings;
    settings.host = "127.0.0.1";
    settings.port = _port;
    settings.tls = MassMailing::SmtpSettings::TlsMode::StartTls;
    settings.user = USER;
    settings.password = PASSWORD;
    settings.heloName = "client.test";
    settings.timeout = Poco::Timespan(10, 0);
    settings.verifyCertificate = false;
    return settings;
}

int SmtpServer::connections() const
{
    int count = 0;
    Poco::NumberParser::tryParse(Poco::trim(ScratchFolder::read(_folder + "/connections")), count);
    return count;
}

std::size_t SmtpServer::receivedCount() const
{
    std::size_t count = 0;
    const std::string dir = _folder + "/received";
    if (!Poco::File(dir).exists())
        return 0;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        if (Poco::endsWith(it.name(), std::string(".eml")))
            ++count;
    }
    return count;
}

std::string SmtpServer::received(std::size_t number) const
{
    char name[32];
    std::snprintf(name, sizeof name, "/received/%06zu.eml", number);
    return ScratchFolder::read(_folder + name);
}

Poco::JSON::Object::Ptr SmtpServer::receivedInfo(std::size_t number) const
{
    char name[32];
    std::snprintf(name, sizeof name, "/received/%06zu.json", number);
    const std::string json = ScratchFolder::read(_folder + name);
    if (json.empty())
        throw Poco::NotFoundException("no message " + std::to_string(number) + " received");
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string SmtpServer::log() const
{
    return ScratchFolder::read(_folder + "/server.log");
}

Poco::UInt16 SmtpServer::closedPort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    const Poco::UInt16 port = socket.address().port();
    socket.close();
    return port;
}
} // namespace DeliveryTests
