#include "CrmHostServer.h"
#include "TestDatabase.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <signal.h>
#include <sys/wait.h>

namespace CrmHostTests
{
namespace
{
Poco::UInt16 freePort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

bool answersHttp(Poco::UInt16 port)
{
    try
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(2, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/login",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        std::string page;
        Poco::StreamCopier::copyToString(body, page);
        return response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

std::string tail(const std::string& text, std::size_t size = 4000)
{
    return text.size() <= size ? text : "..." + text.substr(text.size() - size);
}
} // namespace

CrmHostServer::CrmHostServer(const std::string& databaseName) : _folder("crmhost"), _port(freePort())
{
    TestDatabaseLocation database = makeEmptyTestDatabase(databaseName, _folder.file("crmhost.db"));
    _database = database;
    _config = _folder.file("crmhost.properties");
    Poco::FileOutputStream out(_config);
    out << "db.connector = " << database.connector << "\n"
        << "db.connect = " << database.connect << "\n"
        << "data.dir = " << _folder.file("data") << "\n"
        << "modules.dir = " << CRMHOST_MODULES_DIR << "\n"
        << "resources.dir = " << CRMHOST_RESOURCE_DIR << "\n"
        << "http.address = 127.0.0.1\n"
        << "http.port = " << _port << "\n"
        << "logging.loggers.root.channel = console\n"
        << "logging.loggers.root.level = information\n"
        << "logging.channels.console.class = ConsoleChannel\n";
}

CrmHostServer::~CrmHostServer()
{
    try
    {
        stop();
    }
    catch (...)
    {
    }
}

CrmHostServer::Output CrmHostServer::run(const std::vector<std::string>& command) const
{
    // Through sh, so that stderr (the log) goes to a file and stdout alone to the pipe.
    std::string errors = _folder.file("command.err");
    std::vector<std::string> args{
        "-c", "log=$1; shift; exec \"$@\" 2>\"$log\"", "sh", errors, CRMHOST_BIN, "--config", _config};
    args.insert(args.end(), command.begin(), command.end());
    Poco::Pipe output;
    Poco::ProcessHandle process = Poco::Process::launch("/bin/sh", args, nullptr, &output, nullptr);
    Poco::PipeInputStream in(output);
    Output result;
    Poco::StreamCopier::copyToString(in, result.text);
    result.exitCode = process.wait();
    Poco::FileInputStream err(errors);
    Poco::StreamCopier::copyToString(err, result.errors);
    return result;
}

CrmHostServer::Output CrmHostServer::run(const std::vector<std::string>& command,
                                         const std::string& input) const
{
    std::string inputFile = _folder.file("command.in");
    {
        Poco::FileOutputStream out(inputFile);
        out << input;
    }
    std::string errors = _folder.file("command.err");
    std::vector<std::string> args{"-c",       "log=$1; in=$2; shift 2; exec \"$@\" 2>\"$log\" <\"$in\"",
                                  "sh",       errors,
                                  inputFile,  CRMHOST_BIN,
                                  "--config", _config};
    args.insert(args.end(), command.begin(), command.end());
    Poco::Pipe output;
    Poco::ProcessHandle process = Poco::Process::launch("/bin/sh", args, nullptr, &output, nullptr);
    Poco::PipeInputStream in(output);
    Output result;
    Poco::StreamCopier::copyToString(in, result.text);
    result.exitCode = process.wait();
    Poco::FileInputStream err(errors);
    Poco::StreamCopier::copyToString(err, result.errors);
    return result;
}

std::string CrmHostServer::runOrFail(const std::vector<std::string>& command) const
{
    Output result = run(command);
    if (result.exitCode != 0)
    {
        std::string line = "crmhost";
        for (const auto& word : command)
            line += " " + word;
        throw Poco::RuntimeException(line + " exited with " + std::to_string(result.exitCode) + ":\n" +
                                     result.text + tail(result.errors));
    }
    return result.text;
}

std::vector<std::string> CrmHostServer::groupsOf(const std::string& kind, std::size_t atLeast) const
{
    std::vector<std::string> ids;
    Poco::StringTokenizer lines(runOrFail({"group", "list"}), "\n",
                                Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    for (const auto& line : lines)
    {
        Poco::StringTokenizer fields(line, "\t");
        if (fields.count() == 3 && fields[1] == kind)
            ids.push_back(fields[0]);
    }
    if (ids.size() < atLeast)
        throw Poco::DataFormatException("the demo data has fewer than " + std::to_string(atLeast) + " " +
                                        kind + " groups");
    return ids;
}

void CrmHostServer::configure(const std::string& key, const std::string& value)
{
    Poco::FileOutputStream out(_config, std::ios::out | std::ios::app);
    out << key << " = " << value << "\n";
}

Poco::Process::PID CrmHostServer::launch(const std::vector<std::string>& command,
                                         const std::vector<std::pair<std::string, std::string>>& changes,
                                         const std::string& name) const
{
    std::string config = _folder.file(name + ".properties");
    {
        Poco::FileInputStream in(_config);
        Poco::FileOutputStream out(config);
        Poco::StreamCopier::copyStream(in, out);
        for (const auto& [key, value] : changes)
            out << key << " = " << value << "\n";
    }
    std::vector<std::string> args{"-c",        "log=$1; shift; exec \"$@\" >\"$log\" 2>&1",
                                  "sh",        _folder.file(name + ".log"),
                                  CRMHOST_BIN, "--config",
                                  config};
    args.insert(args.end(), command.begin(), command.end());
    return Poco::Process::launch("/bin/sh", args).id();
}

void CrmHostServer::start()
{
    // Through sh, for the redirection of the server's output to a file; exec keeps the pid.
    Poco::ProcessHandle process =
        Poco::Process::launch("/bin/sh", {"-c", "exec \"$0\" --config \"$1\" serve >\"$2\" 2>&1", CRMHOST_BIN,
                                          _config, _folder.file("serve.log")});
    _pid = process.id();
    Poco::Timestamp started;
    while (!answersHttp(_port))
    {
        if (exited())
            throw Poco::RuntimeException("crmhost serve exited before answering on port " +
                                         std::to_string(_port) + ":\n" + tail(log()));
        if (started.isElapsed(30 * Poco::Timestamp::resolution()))
        {
            stop();
            throw Poco::TimeoutException("crmhost serve did not answer on port " + std::to_string(_port) +
                                         " within 30 s:\n" + tail(log()));
        }
        Poco::Thread::sleep(50);
    }
}

bool CrmHostServer::exited()
{
    if (_pid == 0)
        return true;
    int status = 0;
    if (::waitpid(_pid, &status, WNOHANG) == _pid)
    {
        _pid = 0;
        return true;
    }
    return false;
}

void CrmHostServer::stop()
{
    if (_pid == 0)
        return;
    ::kill(_pid, SIGTERM);
    Poco::Timestamp asked;
    while (!exited())
    {
        if (asked.isElapsed(10 * Poco::Timestamp::resolution()))
        {
            ::kill(_pid, SIGKILL);
            ::waitpid(_pid, nullptr, 0);
            _pid = 0;
            return;
        }
        Poco::Thread::sleep(20);
    }
}

void CrmHostServer::crash()
{
    if (_pid == 0)
        return;
    ::kill(_pid, SIGKILL);
    ::waitpid(_pid, nullptr, 0);
    _pid = 0;
}

std::string CrmHostServer::log() const
{
    std::string path = _folder.file("serve.log");
    if (!Poco::File(path).exists())
        return "";
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}
} // namespace CrmHostTests
