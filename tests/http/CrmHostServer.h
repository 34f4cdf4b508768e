#ifndef CrmHostTests_CrmHostServer_INCLUDED
#define CrmHostTests_CrmHostServer_INCLUDED

#include "TempFolder.h"
#include "TestDatabase.h"
#include <Poco/Process.h>
#include <Poco/Types.h>
#include <string>
#include <utility>
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
    Output run(const std::vector<std::string>& command, const std::string& input) const;
    /// The same, with these bytes on its standard input.
    std::string runOrFail(const std::vector<std::string>& command) const;
    /// The same; throws Poco::RuntimeException with the command and its output when it fails.
    std::vector<std::string> groupsOf(const std::string& kind, std::size_t atLeast = 1) const;
    /// The ids of the groups of that kind ("food", "crm", "studio") as `group list` gives them.
    /// Throws Poco::DataFormatException when there are fewer than atLeast.

    void configure(const std::string& key, const std::string& value);
    /// Sets a configuration key (a later line of the file wins over an earlier one), for the
    /// commands run and the server started after it.
    Poco::Process::PID launch(const std::vector<std::string>& command,
                              const std::vector<std::pair<std::string, std::string>>& changes,
                              const std::string& name) const;
    /// Runs `crmhost --config FILE COMMAND...` in the background, with the configuration changed
    /// by these keys (in a file of its own, NAME.properties), its output into NAME.log of the
    /// server's folder. Returns its pid: the caller waits for it (waitpid) or kills it.
    std::string file(const std::string& name) const { return _folder.file(name); }
    /// A file of the server's temporary folder.

    void start();
    /// Runs `crmhost serve` in the background and waits until it answers HTTP. Throws, with the
    /// server's log, when it exits or does not answer within 30 s.
    void stop();
    /// Asks the server to stop (SIGTERM), waits for it, and kills it after 10 s.
    void crash();
    /// Kills the server at once (SIGKILL), as a power cut would: no round finishes.

    Poco::UInt16 port() const { return _port; }
    const TestDatabaseLocation& database() const { return _database; }
    /// The server's database, for a test that looks at what it wrote.
    std::string log() const;
    /// What the server printed so far.

private:
    bool exited();

    TempFolder _folder;
    TestDatabaseLocation _database;
    std::string _config;
    Poco::UInt16 _port = 0;
    Poco::Process::PID _pid = 0;
};
} // namespace CrmHostTests

#endif
