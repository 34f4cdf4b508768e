#ifndef MassMailing_TestSends_INCLUDED
#define MassMailing_TestSends_INCLUDED

#include "CrmHost/Database.h"
#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// One test message sent to one address (C9), as an address's delivery log shows it (R5).
struct TestSendRecord
{
    long campaignId = 0;
    std::string campaignName;
    std::string sentTo; /// The address as it was written into the envelope.
    std::string sample; /// Whose values filled it: "KIND:ID".
    std::string at;     /// UTC "YYYY-MM-DD HH:MM:SS".
};

/// The record of test sends (table mm_test_sends): one row per address and test, written by
/// TestSend as each message goes, read by an address's log.
class TestSends
{
public:
    explicit TestSends(CrmHost::Database& database);

    void record(long groupId, long campaignId, const std::string& address, const std::string& sample,
                const std::string& at) const;
    /// Records that a test of the campaign went to the address at that time (UTC). Throws the
    /// database's exception.

    std::vector<TestSendRecord> ofAddress(long groupId, const std::string& identity, std::size_t limit) const;
    /// The tests the address (its EmailAddress::identity) received in the group, newest first.

    static long erase(Poco::Data::Session& session, long groupId, const std::string& identity,
                      const std::vector<std::string>& personKeys);
    /// A person's erasure (X2), in the caller's transaction: the group's test sends to the
    /// address keep their campaign and time, the address becomes "erased-ID@erased.invalid";
    /// a test filled with one of the person's values (sample one of personKeys) loses it.
    /// Returns how many rows changed.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
