#include "tracking/CampaignLinks.h"
#include "SqlDialect.h"
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <openssl/sha.h>
#include <vector>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// Enough for every link of the campaigns being sent and clicked at once; past it the maps are
// emptied and filled again from the database.
constexpr std::size_t MAX_REMEMBERED = 100000;
} // namespace

CampaignLinks::CampaignLinks(CrmHost::Database& database) : _database(database) {}

std::string CampaignLinks::hashOf(const std::string& url)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(url.data()), url.size(), digest);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * SHA256_DIGEST_LENGTH);
    for (unsigned char byte : digest)
    {
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

long CampaignLinks::idOf(long campaignId, const std::string& url)
{
    if (url.size() > MAX_URL_SIZE)
        throw Poco::InvalidArgumentException("a tracked link is longer than " + std::to_string(MAX_URL_SIZE) +
                                             " characters");
    {
        std::lock_guard<std::mutex> guard(_lock);
        auto found = _ids.find({campaignId, url});
        if (found != _ids.end())
            return found->second;
    }
    Poco::Data::Session session = _database.session();
    std::string hash = hashOf(url), text = url;
    std::vector<Poco::Int64> ids;
    session << "SELECT id FROM mm_links WHERE campaign_id = ? AND url_hash = ?", use(campaignId), use(hash),
        into(ids), now;
    if (ids.empty())
    {
        // Another worker may store it meanwhile: the unique key keeps the first, both read it.
        session << "INSERT INTO mm_links (campaign_id, url, url_hash) VALUES (?, ?, ?)" +
                       SqlDialect(_database.dialect()).keepingTheFirst("campaign_id, url_hash"),
            use(campaignId), use(text), use(hash), now;
        session << "SELECT id FROM mm_links WHERE campaign_id = ? AND url_hash = ?", use(campaignId),
            use(hash), into(ids), now;
    }
    if (ids.empty())
        throw Poco::IllegalStateException("the link of campaign " + std::to_string(campaignId) +
                                          " could not be stored");
    const long id = long(ids.front());
    std::lock_guard<std::mutex> guard(_lock);
    if (_ids.size() >= MAX_REMEMBERED)
        _ids.clear();
    _ids[{campaignId, url}] = id;
    return id;
}

std::optional<std::string> CampaignLinks::url(long campaignId, long linkId)
{
    {
        std::lock_guard<std::mutex> guard(_lock);
        auto found = _urls.find({campaignId, linkId});
        if (found != _urls.end())
            return found->second;
    }
    Poco::Data::Session session = _database.session();
    std::vector<std::string> urls;
    session << "SELECT url FROM mm_links WHERE id = ? AND campaign_id = ?", use(linkId), use(campaignId),
        into(urls), now;
    if (urls.empty())
        return std::nullopt;
    std::lock_guard<std::mutex> guard(_lock);
    if (_urls.size() >= MAX_REMEMBERED)
        _urls.clear();
    _urls[{campaignId, linkId}] = urls.front();
    return urls.front();
}
} // namespace MassMailing
