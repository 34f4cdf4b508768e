#include "MailjetStandIn.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

namespace CrmHostTests
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

const char* const MailjetStandIn::KEY = "mj-test-key";
const char* const MailjetStandIn::SECRET = "mj-test-secret";

MailjetStandIn::MailjetStandIn(const std::string& folder) : _folder(folder)
{
    Poco::File(folder).createDirectories();
    _process = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch("/usr/bin/python3", {CRMHOST_SOURCE_DIR "/tests/mailjet/mailjet_standin.py",
                                                   folder, "--key", KEY, "--secret", SECRET}));
    const Poco::Timestamp started;
    while (!started.isElapsed(20 * Poco::Timestamp::resolution()))
    {
        if (!Poco::Process::isRunning(*_process))
            throw Poco::RuntimeException("mailjet_standin.py ended at start:\n" + log());
        if (Poco::NumberParser::tryParseUnsigned(Poco::trim(readFile(folder + "/port")), _port) && _port > 0)
            return;
        Poco::Thread::sleep(50);
    }
    Poco::Process::kill(*_process);
    _process->wait();
    throw Poco::RuntimeException("mailjet_standin.py did not listen within 20 s:\n" + log());
}

MailjetStandIn::~MailjetStandIn()
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

std::string MailjetStandIn::url() const
{
    return "http://127.0.0.1:" + std::to_string(_port);
}

std::string MailjetStandIn::request(const std::string& method, const std::string& path,
                                    const std::string& body) const
{
    Poco::Net::HTTPClientSession session("127.0.0.1", Poco::UInt16(_port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(std::streamsize(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
        throw Poco::RuntimeException("the Mailjet stand-in answered " +
                                     std::to_string(int(response.getStatus())) + " to " + path + ": " +
                                     answer);
    return answer;
}

void MailjetStandIn::control(const std::string& json)
{
    request("POST", "/_control", json);
}

Poco::JSON::Object::Ptr MailjetStandIn::state() const
{
    return Poco::JSON::Parser().parse(request("GET", "/_state", "")).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr MailjetStandIn::postEvents(const std::string& json)
{
    return Poco::JSON::Parser().parse(request("POST", "/_events", json)).extract<Poco::JSON::Object::Ptr>();
}

std::string MailjetStandIn::log() const
{
    return readFile(_folder + "/standin.log");
}
} // namespace CrmHostTests
