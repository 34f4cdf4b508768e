#include "Routes.h"
#include <Poco/StringTokenizer.h>

namespace CrmHost
{
bool matchPath(const std::string& pattern, const std::string& path,
               std::map<std::string, std::string>& params)
{
    const int options = Poco::StringTokenizer::TOK_IGNORE_EMPTY;
    Poco::StringTokenizer expected(pattern, "/", options), actual(path, "/", options);
    if (expected.count() != actual.count())
        return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < expected.count(); ++i)
    {
        const std::string& segment = expected[i];
        if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}')
            found[segment.substr(1, segment.size() - 2)] = actual[i];
        else if (segment != actual[i])
            return false;
    }
    for (const auto& [name, value] : found)
        params[name] = value; // the path wins over a query parameter of the same name
    return true;
}
} // namespace CrmHost
