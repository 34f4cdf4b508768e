#ifndef CrmHostTests_TempFolder_INCLUDED
#define CrmHostTests_TempFolder_INCLUDED

#include <string>

namespace CrmHostTests
{
/// A new, empty folder of the test's own, removed with everything in it when destroyed.
/// Made under $CRMHOST_TEST_TMP when set (scripts/test.sh sets it), else the system's temp
/// folder; CRMHOST_TEST_KEEP=1 keeps it for a look after a failure.
class TempFolder
{
public:
    explicit TempFolder(const std::string& prefix = "crmhost-test");
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    const std::string& path() const { return _path; }
    std::string file(const std::string& name) const;
    /// The path of a file in the folder (not created).

private:
    std::string _path;
};

std::string tempRoot();
/// Where the tests make their temporary files and folders.
} // namespace CrmHostTests

#endif
