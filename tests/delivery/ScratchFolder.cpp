#include "ScratchFolder.h"
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <fstream>
#include <sstream>

namespace DeliveryTests
{
ScratchFolder::ScratchFolder() : _path(Poco::TemporaryFile::tempName())
{
    Poco::File(_path).createDirectories();
}

ScratchFolder::~ScratchFolder()
{
    if (Poco::Environment::get("DELIVERY_TEST_KEEP", "") == "1")
        return;
    try
    {
        Poco::File(_path).remove(true);
    }
    catch (...)
    {
    }
}

std::string ScratchFolder::file(const std::string& name) const
{
    return _path + "/" + name;
}

std::string ScratchFolder::read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}
} // namespace DeliveryTests
