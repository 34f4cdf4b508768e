#ifndef CrmHostTests_Skip_INCLUDED
#define CrmHostTests_Skip_INCLUDED

#include <stdexcept>
#include <string>

namespace CrmHostTests
{
/// What skip() throws: the shared runner (TestMain.cpp) reports the test as "skipped: reason"
/// rather than OK, counts it and lists it in the final summary; the run does not fail for it.
class SkippedTest : public std::runtime_error
{
public:
    explicit SkippedTest(const std::string& reason) : std::runtime_error(reason) {}
};

/// Ends the running test as skipped, saying why (it did not check anything): for a test that
/// cannot run here, e.g. one that needs MariaDB on a SQLite run.
[[noreturn]] inline void skip(const std::string& reason)
{
    throw SkippedTest(reason);
}
} // namespace CrmHostTests

#endif
