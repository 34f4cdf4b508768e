#ifndef CrmHostTests_CrmHostServer_INCLUDED
#define CrmHostTests_CrmHostServer_INCLUDED

#include "TempFolder.h"
#include <Poco/Process.h>
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace CrmHostTests
{
/// The real crmhost binary with a configuration of its own: a fresh database (SQLite or
/// MariaDB, as CRMHOST_TEST_DB says), a data folder in a temporary folder, the build's modules
/// and a free port. Runs its commands, and serves in a child process until stop().
class CrmHostServer
{
public:
    explicit CrmHostServer(const std::string& databaseName);
    ~CrmHostServer();
    /// Stops the server if it still runs.

    struct Output
    {
        int exitCode = 0;
        std::string text;   /// What it printed on stdout.
        std::string errors; /// What it printed on stderr: its error, its log.
    };

    Output run(const std::vector<std::string>& command) const;
    /// Runs `crmhost --config FILE COMMAND...` and waits for it.
    std::string runOrFail(const std::vector<std::string>& command) const;
    /// The same; throws Poco::RuntimeException with the command and its output when it fails.

    void start();
    /// Runs `crmhost serve` in the background and waits until it answers HTTP. Throws, with the
    /// server's log, when it exits or does not answer within 30 s.
    void stop();
    /// Asks the server to stop (SIGTERM), waits for it, and kills it after 10 s.

    Poco::UInt16 port() const { return _port; }
    std::string log() const;
    /// What the server printed so far.

private:
    bool exited();

    TempFolder _folder;
    std::string _config;
    Poco::UInt16 _port = 0;
    Poco::Process::PID _pid = 0;
};
} // namespace CrmHostTests

#endif
