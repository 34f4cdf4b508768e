#include "CommandLine.h"
#include <Poco/Exception.h>

namespace CrmHost
{
namespace
{
// Options that take no value.
bool isFlag(const std::string& name)
{
    return name == "until-idle" || name == "help";
}
} // namespace

CommandLine::CommandLine(const std::vector<std::string>& args)
{
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0)
        {
            _words.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        auto equals = name.find('=');
        if (equals != std::string::npos)
            _options.emplace(name.substr(0, equals), name.substr(equals + 1));
        else if (isFlag(name))
            _options.emplace(name, "");
        else if (i + 1 < args.size())
            _options.emplace(name, args[++i]);
        else
            throw Poco::InvalidArgumentException("option --" + name + " needs a value");
    }
}

std::string CommandLine::word(std::size_t index) const
{
    return index < _words.size() ? _words[index] : "";
}

bool CommandLine::has(const std::string& option) const
{
    return _options.count(option) > 0;
}

std::string CommandLine::value(const std::string& option, const std::string& fallback) const
{
    auto it = _options.find(option);
    return it == _options.end() ? fallback : it->second;
}

std::string CommandLine::required(const std::string& option) const
{
    if (!has(option))
        throw Poco::InvalidArgumentException("option --" + option + " is required");
    return value(option);
}

std::vector<std::string> CommandLine::values(const std::string& option) const
{
    std::vector<std::string> result;
    auto range = _options.equal_range(option);
    for (auto it = range.first; it != range.second; ++it)
        result.push_back(it->second);
    return result;
}
} // namespace CrmHost
