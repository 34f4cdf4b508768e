#include "CrmHostApplication.h"
#include <cstring>

// Poco's option processor knows only the host's own options (--config, --help, and
// ServerApplication's --daemon, --pidfile...): the command and its options are split off first.
int main(int argc, char** argv)
{
    std::vector<std::string> hostArgs{argv[0]};
    std::vector<std::string> command;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (!command.empty() || arg.empty() || arg[0] != '-')
            command.push_back(arg);
        else
        {
            hostArgs.push_back(arg);
            bool takesValue = arg == "--config" || arg == "-c" || arg == "--pidfile";
            if (takesValue && i + 1 < argc)
                hostArgs.push_back(argv[++i]);
        }
    }
    CrmHost::CrmHostApplication app(command);
    return app.run(hostArgs);
}
