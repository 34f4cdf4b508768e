#include "PushService.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <cstdio>
#include <cstdlib>

namespace PushTests
{
namespace
{
std::string readFile(const std::string& path)
{
    if (!Poco::File(path).exists())
        return "";
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}
} // namespace

PushService::PushService(const std::string& folder, const std::string& vapidKey, bool tls)
    : _folder(folder), _tls(tls)
{
    std::vector<std::string> args{PUSH_TEST_DIR "/push_service.py", folder, vapidKey};
    if (tls)
        args.push_back("--tls");
    _process = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(PUSH_PYTHON, args));
    for (int i = 0; i < 400 && _port == 0; ++i)
    {
        if (!Poco::Process::isRunning(*_process))
            throw Poco::RuntimeException("push_service.py ended at start: " +
                                         readFile(folder + "/server.log"));
        _port = std::atoi(readFile(folder + "/port").c_str());
        if (_port == 0)
            Poco::Thread::sleep(50);
    }
    if (_port == 0)
        throw Poco::RuntimeException("push_service.py did not start within 20 s");
}

PushService::~PushService()
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

MassMailing::PushSubscription PushService::subscribe(const std::string& mode) const
{
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (_tls)
        session = std::make_unique<Poco::Net::HTTPSClientSession>(
            "127.0.0.1", Poco::UInt16(_port),
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE));
    else
        session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", Poco::UInt16(_port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/subscribe?mode=" + mode);
    request.setContentLength(0);
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string json;
    Poco::StreamCopier::copyToString(session->receiveResponse(response), json);
    return MassMailing::PushSubscription::parse(json, true);
}

std::vector<Poco::JSON::Object::Ptr> PushService::received() const
{
    std::vector<Poco::JSON::Object::Ptr> out;
    for (int number = 1;; ++number)
    {
        char name[32];
        std::snprintf(name, sizeof name, "/received/%06d.json", number);
        const std::string json = readFile(_folder + name);
        if (json.empty())
            return out;
        out.push_back(Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>());
    }
}
} // namespace PushTests
