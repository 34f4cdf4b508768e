#ifndef CrmHost_CommandLine_INCLUDED
#define CrmHost_CommandLine_INCLUDED

#include <map>
#include <string>
#include <vector>

namespace CrmHost
{
/// The words and options of a command: "user add --login L --right R --right S".
class CommandLine
{
public:
    explicit CommandLine(const std::vector<std::string>& args);
    /// Throws Poco::InvalidArgumentException for an option without its value.

    const std::vector<std::string>& words() const { return _words; }
    std::string word(std::size_t index) const;
    bool has(const std::string& option) const;
    std::string value(const std::string& option, const std::string& fallback = "") const;
    std::string required(const std::string& option) const;
    /// Throws Poco::InvalidArgumentException saying that --option is required.
    std::vector<std::string> values(const std::string& option) const;

private:
    std::vector<std::string> _words;
    std::multimap<std::string, std::string> _options;
};
} // namespace CrmHost

#endif
