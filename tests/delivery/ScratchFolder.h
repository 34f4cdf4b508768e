#ifndef DeliveryTests_ScratchFolder_INCLUDED
#define DeliveryTests_ScratchFolder_INCLUDED

#include <string>

namespace DeliveryTests
{
/// A new, empty folder of the test's own under the system's temporary folder, removed with
/// everything in it when destroyed (DELIVERY_TEST_KEEP=1 keeps it, for a look after a failure).
class ScratchFolder
{
public:
    ScratchFolder();
    ~ScratchFolder();
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;

    const std::string& path() const { return _path; }
    std::string file(const std::string& name) const;

    static std::string read(const std::string& path);
    /// The bytes of a file; "" when there is none.

private:
    std::string _path;
};
} // namespace DeliveryTests

#endif
