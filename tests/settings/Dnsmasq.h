#ifndef SettingsTests_Dnsmasq_INCLUDED
#define SettingsTests_Dnsmasq_INCLUDED

#include "TempFolder.h"
#include <Poco/Process.h>
#include <memory>
#include <string>
#include <vector>

namespace SettingsTests
{
/// A DNS server of the test's own: Debian's dnsmasq on 127.0.0.1 and a free port, answering
/// for one domain only (local=, no upstream, no /etc/hosts), from a configuration file that
/// publish() rewrites (dnsmasq is restarted: SIGHUP does not re-read txt-record lines).
class Dnsmasq
{
public:
    explicit Dnsmasq(const std::string& domain);
    /// Starts it with no record. Throws Poco::RuntimeException when it does not answer.
    ~Dnsmasq();

    void publish(const std::vector<std::string>& lines);
    /// Restarts it with these configuration lines ("txt-record=...", "mx-host=...").

    static std::string txtRecord(const std::string& name, const std::string& value);
    /// A txt-record line, the value in strings of at most 255 bytes.

    std::string resolver() const { return "127.0.0.1:" + std::to_string(_port); }

private:
    void start(const std::vector<std::string>& lines);
    void stop();

    std::string _domain;
    CrmHostTests::TempFolder _folder;
    unsigned short _port = 0;
    std::unique_ptr<Poco::ProcessHandle> _process;
};
} // namespace SettingsTests

#endif
