#include "TempFolder.h"
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

namespace CrmHostTests
{
std::string tempRoot()
{
    std::string root = Poco::Environment::get("CRMHOST_TEST_TMP", "");
    if (root.empty())
        root = Poco::Path::temp();
    Poco::File(root).createDirectories();
    return Poco::Path(root).makeDirectory().toString();
}

TempFolder::TempFolder(const std::string& prefix)
{
    Poco::Path path(tempRoot());
    path.makeDirectory();
    // TemporaryFile gives a unique name; the folder takes it.
    std::string unique = Poco::Path(Poco::TemporaryFile::tempName(path.toString())).getFileName();
    path.pushDirectory(prefix + "-" + unique);
    _path = path.toString();
    if (!_path.empty() && _path.back() == '/')
        _path.pop_back();
    Poco::File(_path).createDirectories();
}

TempFolder::~TempFolder()
{
    if (Poco::Environment::get("CRMHOST_TEST_KEEP", "") == "1")
        return;
    try
    {
        Poco::File(_path).remove(true);
    }
    catch (...)
    {
        // A folder left behind in the temp folder is no reason to fail a test.
    }
}

std::string TempFolder::file(const std::string& name) const
{
    return _path + "/" + name;
}
} // namespace CrmHostTests
