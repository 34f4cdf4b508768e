#ifndef CrmHost_CrmHostApplication_INCLUDED
#define CrmHost_CrmHostApplication_INCLUDED

#include "CommandLine.h"
#include <Poco/Util/ServerApplication.h>
#include <iosfwd>

namespace CrmHost
{
class Host;

/// crmhost [--config FILE] COMMAND [OPTIONS]: the reference host's command line.
class CrmHostApplication : public Poco::Util::ServerApplication
{
public:
    explicit CrmHostApplication(std::vector<std::string> command);

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    int execute(const CommandLine& command);
    int serve(Host& host);
    int seedDemo(Host& host, const CommandLine& command);
    int user(Host& host, const CommandLine& command);
    int module(Host& host, const CommandLine& command);
    int task(Host& host, const CommandLine& command);
    int mail(const CommandLine& command);
    void usage(std::ostream& out) const;

    std::vector<std::string> _command;
    bool _help = false;
};
} // namespace CrmHost

#endif
