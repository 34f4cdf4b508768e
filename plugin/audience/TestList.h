#ifndef MassMailing_TestList_INCLUDED
#define MassMailing_TestList_INCLUDED

#include "CrmHost/Database.h"
#include <string>
#include <vector>

namespace MassMailing
{
/// One entry of a group's test list: a person of the platform or a bare address.
struct TestAddress
{
    std::string label; /// "Coordination", "Boîte de test"...
    std::string name;  /// The person's name; empty for a bare address.
    std::string email; /// May be empty or invalid: the host does not check it.
};

/// A group's test list (A1 "Test", table test_recipients of docs/data-model.md), where the
/// composition screens send test messages.
class TestList
{
public:
    explicit TestList(CrmHost::Database& database);

    std::vector<TestAddress> of(long groupId);
    /// The group's test addresses, in the order they were added.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
