#include "delivery/TestSends.h"
#include "SqlDialect.h"
#include "audience/EmailAddress.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
TestSends::TestSends(CrmHost::Database& database) : _database(database) {}

void TestSends::record(long groupId, long campaignId, const std::string& address, const std::string& sample,
                       const std::string& at) const
{
    std::string identity = EmailAddress::identity(address), to = address.substr(0, 320),
                who = sample.substr(0, 40), when = at;
    Poco::Data::Session session = _database.session();
    session << "INSERT INTO mm_test_sends (group_id, campaign_id, address, sent_to, sample, sent_at) VALUES "
               "(?, ?, "
               "?, ?, ?, ?)",
        use(groupId), use(campaignId), use(identity), use(to), use(who), use(when), now;
}

std::vector<TestSendRecord> TestSends::ofAddress(long groupId, const std::string& identity,
                                                 std::size_t limit) const
{
    std::string address = identity;
    std::vector<Poco::Int64> campaigns;
    std::vector<std::string> names, sentTo, samples, times;
    Poco::Data::Session session = _database.session();
    session
        << "SELECT t.campaign_id, COALESCE(c.name, ''), t.sent_to, t.sample, CAST(t.sent_at AS CHAR) FROM "
           "mm_test_sends t LEFT JOIN mm_campaigns c ON c.id = t.campaign_id WHERE t.group_id = ? AND "
           "t.address = ? ORDER BY t.sent_at DESC, t.id DESC LIMIT " +
               std::to_string(limit),
        use(groupId), use(address), into(campaigns), into(names), into(sentTo), into(samples), into(times),
        now;
    std::vector<TestSendRecord> out;
    for (std::size_t i = 0; i < campaigns.size(); ++i)
        out.push_back({long(campaigns[i]), names[i], sentTo[i], samples[i], times[i].substr(0, 19)});
    return out;
}
long TestSends::erase(Poco::Data::Session& session, long groupId, const std::string& identity,
                      const std::vector<std::string>& personKeys)
{
    const SqlDialect sql(SqlDialect::of(session));
    const std::string erased =
        sql.concat({"'erased-'", "id", "'@" + std::string(EmailAddress::ERASED_DOMAIN) + "'"});
    Poco::Data::Statement update(session);
    update << "UPDATE mm_test_sends SET sent_to = " + erased + ", address = " + erased +
                  " WHERE group_id = ? AND address = ?",
        bind(groupId), bind(identity);
    long changed = long(update.execute());
    for (const auto& key : personKeys)
    {
        Poco::Data::Statement sample(session);
        sample << "UPDATE mm_test_sends SET sample = '' WHERE group_id = ? AND sample = ?", bind(groupId),
            bind(key);
        changed += long(sample.execute());
    }
    return changed;
}
} // namespace MassMailing
