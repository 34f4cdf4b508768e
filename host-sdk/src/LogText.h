#ifndef CrmHost_LogText_INCLUDED
#define CrmHost_LogText_INCLUDED

#include <string>

namespace CrmHost
{
/// A value from a request, made safe to write into the log: control characters (a new line
/// that would forge a log line, an escape sequence for the terminal) written as \n, \r, \t
/// or \xNN, and a backslash doubled so that the escapes cannot be faked either.
std::string logText(const std::string& value);
} // namespace CrmHost

#endif
