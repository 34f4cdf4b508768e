#include "audience/TestList.h"
#include <Poco/Data/Session.h>
#include <Poco/String.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
TestList::TestList(CrmHost::Database& database) : _database(database) {}

std::vector<TestAddress> TestList::of(long groupId)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> labels, firsts, lasts, emails;
    session
        << "SELECT t.label, COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), "
           "COALESCE(p.email, t.email, '') FROM test_recipients t LEFT JOIN people p ON p.id = t.person_id "
           "WHERE t.group_id = ? ORDER BY t.id",
        use(groupId), into(labels), into(firsts), into(lasts), into(emails), now;
    std::vector<TestAddress> list;
    for (std::size_t i = 0; i < labels.size(); ++i)
        list.push_back({labels[i], Poco::trim(firsts[i] + " " + lasts[i]), emails[i]});
    return list;
}
} // namespace MassMailing
