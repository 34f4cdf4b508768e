#ifndef CrmHost_Routes_INCLUDED
#define CrmHost_Routes_INCLUDED

#include <map>
#include <string>

namespace CrmHost
{
/// Matches a path against a pattern whose segments may be placeholders ("campaigns/{id}"),
/// filling params with the placeholders' values.
bool matchPath(const std::string& pattern, const std::string& path,
               std::map<std::string, std::string>& params);
} // namespace CrmHost

#endif
