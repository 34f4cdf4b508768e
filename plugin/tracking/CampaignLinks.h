#ifndef MassMailing_CampaignLinks_INCLUDED
#define MassMailing_CampaignLinks_INCLUDED

#include "CrmHost/Database.h"
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace MassMailing
{
/// The links of a campaign's messages (table mm_links): each URL stored once per campaign,
/// whichever worker or node meets it first (a unique key on the URL's hash), so that a click's
/// token names a row and the redirect sends people to that row's URL only, never to one the
/// request brings. Both directions are remembered in memory, bounded; safe across threads.
class CampaignLinks
{
public:
    static constexpr std::size_t MAX_URL_SIZE = 2000;
    /// Longest URL stored (the column's size); a longer link stays as written, untracked.

    explicit CampaignLinks(CrmHost::Database& database);
    /// The database must outlive this object.

    long idOf(long campaignId, const std::string& url);
    /// The link's mm_links.id, stored now when the campaign has no such link yet. Throws
    /// Poco::InvalidArgumentException for a URL longer than MAX_URL_SIZE, and the database's
    /// exception.

    std::optional<std::string> url(long campaignId, long linkId);
    /// The URL of the campaign's link, or none when the campaign has no link of that id.
    /// Throws the database's exception.

    static std::string hashOf(const std::string& url);
    /// SHA-256 of the URL in lowercase hex (64 characters): mm_links.url_hash.

private:
    CrmHost::Database& _database;
    std::mutex _lock;
    std::map<std::pair<long, std::string>, long> _ids;
    std::map<std::pair<long, long>, std::string> _urls;
};
} // namespace MassMailing

#endif
