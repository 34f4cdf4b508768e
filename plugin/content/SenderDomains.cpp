#include "content/SenderDomains.h"
#include "FieldException.h"
#include "SettingChecks.h"
#include "SqlTime.h"
#include "content/DnsLookup.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
std::string withoutBlanks(std::string text)
{
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
               text.end());
    return text;
}

// "k=rsa; p=..." holds the same key as the record to publish: its p= tag, blanks aside.
bool sameKey(const std::string& published, const std::string& wanted)
{
    auto keyOf = [](const std::string& record)
    {
        std::string text = withoutBlanks(record);
        for (const std::string& tag :
             Poco::StringTokenizer(text, ";", Poco::StringTokenizer::TOK_IGNORE_EMPTY))
            if (tag.compare(0, 2, "p=") == 0)
                return tag.substr(2);
        return std::string();
    };
    return !keyOf(wanted).empty() && keyOf(published) == keyOf(wanted);
}

std::string encode(const std::vector<RecordCheck>& checks)
{
    std::string text;
    for (const RecordCheck& c : checks)
        text += c.kind + "\t" + (c.ok ? "1" : "0") + "\t" + c.name + "\t" + c.problem + "\n";
    return text;
}

std::vector<RecordCheck> decode(const std::string& text)
{
    std::vector<RecordCheck> checks;
    for (const std::string& line : Poco::StringTokenizer(text, "\n", Poco::StringTokenizer::TOK_IGNORE_EMPTY))
    {
        Poco::StringTokenizer parts(line, "\t");
        if (parts.count() >= 3)
            checks.push_back({parts[0], parts[2], parts[1] == "1", parts.count() > 3 ? parts[3] : ""});
    }
    return checks;
}
} // namespace

SenderDomains::SenderDomains(CrmHost::Database& database, const SecretBox& secrets,
                             std::function<Settings(long groupId)> settings,
                             std::function<Poco::DateTime()> clock)
    : _database(database), _secrets(secrets), _settings(std::move(settings)), _clock(std::move(clock))
{
}

std::string SenderDomains::selectorFor(const Poco::DateTime& at, const std::string& algorithm, bool rotation)
{
    return "mm" + Poco::DateTimeFormatter::format(at, rotation ? "%Y%m%dt%H%M%S" : "%Y%m") +
           (algorithm == "rsa" ? "r" : "e");
}

long SenderDomains::add(long groupId, const std::string& typed, long userId)
{
    std::string domain = Poco::toLower(Poco::trim(typed));
    if (domain.empty() || domain.find('.') == std::string::npos)
        throw FieldException("domain", "invalid", "domain: it must be a domain name (example.org)");
    try
    {
        domainNameOrEmpty(domain);
    }
    catch (const Poco::InvalidArgumentException&)
    {
        throw FieldException("domain", "invalid",
                             "domain: \"" + typed + "\" is not a domain name (example.org)");
    }
    const Poco::DateTime at = _clock();
    std::string selector = selectorFor(at, "rsa"), edSelector = selectorFor(at, "ed25519");
    std::string rsa = _secrets.seal(DkimSigner::generateKey("rsa")),
                ed = _secrets.seal(DkimSigner::generateKey("ed25519")), created = sqlTime(at), empty;
    Poco::Data::Session session = _database.session();
    session.begin();
    int count = 0;
    session << "SELECT COUNT(*) FROM mm_sender_domains WHERE group_id = ? AND domain = ?", use(groupId),
        use(domain), into(count), now;
    if (count > 0)
    {
        session.rollback();
        throw FieldException("domain", "duplicate",
                             "domain: " + domain + " is already a sending domain of this group");
    }
    session << "INSERT INTO mm_sender_domains (group_id, domain, selector, rsa_key, ed25519_selector, "
               "ed25519_key, "
               "next_rsa_key, next_ed25519_key, status, check_result, created_by, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, '', '', 'pending', ?, ?, ?)",
        use(groupId), use(domain), use(selector), use(rsa), use(edSelector), use(ed), use(empty), use(userId),
        use(created), now;
    Poco::Int64 id = 0;
    session << "SELECT id FROM mm_sender_domains WHERE group_id = ? AND domain = ?", use(groupId),
        use(domain), into(id), now;
    session.commit();
    return long(id);
}

std::vector<SenderDomain> SenderDomains::list(long groupId) const
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids;
    std::vector<std::string> domains, selectors, edSelectors, nexts, edNexts, statuses, results;
    std::vector<Poco::DateTime> checked;
    session << "SELECT id, domain, selector, ed25519_selector, next_selector, next_ed25519_selector, status, "
               "COALESCE(checked_at, created_at), check_result FROM mm_sender_domains WHERE group_id = ? "
               "ORDER BY domain",
        use(groupId), into(ids), into(domains), into(selectors), into(edSelectors), into(nexts),
        into(edNexts), into(statuses), into(checked), into(results), now;
    std::vector<SenderDomain> all;
    for (std::size_t i = 0; i < ids.size(); ++i)
        all.push_back({long(ids[i]), groupId, domains[i], selectors[i], edSelectors[i], nexts[i], edNexts[i],
                       statuses[i], results[i].empty() ? std::string() : sqlTime(checked[i]),
                       decode(results[i])});
    return all;
}

std::optional<SenderDomain> SenderDomains::find(long groupId, long id) const
{
    for (SenderDomain& domain : list(groupId))
        if (domain.id == id)
            return std::move(domain);
    return std::nullopt;
}

std::vector<DnsRecord> SenderDomains::records(const SenderDomain& domain) const
{
    Poco::Data::Session session = _database.session();
    std::string rsa, ed, nextRsa, nextEd;
    long id = domain.id;
    session
        << "SELECT rsa_key, ed25519_key, next_rsa_key, next_ed25519_key FROM mm_sender_domains WHERE id = ?",
        use(id), into(rsa), into(ed), into(nextRsa), into(nextEd), now;
    const Settings settings = _settings(domain.groupId);
    std::vector<DnsRecord> records;
    auto dkim = [&](const std::string& kind, const std::string& selector, const std::string& sealed)
    {
        if (sealed.empty() || selector.empty())
            return;
        const DkimSigner signer(domain.domain, selector, _secrets.open(sealed));
        records.push_back({kind, signer.dnsName(), "TXT", signer.dnsRecord()});
    };
    dkim("dkim", domain.selector, rsa);
    dkim("dkim_ed25519", domain.ed25519Selector, ed);
    dkim("dkim_next", domain.nextSelector, nextRsa);
    dkim("dkim_ed25519_next", domain.nextEd25519Selector, nextEd);
    records.push_back(
        {"spf", domain.domain, "TXT",
         "v=spf1 " + (settings.spfInclude.empty() ? std::string("a mx") : "include:" + settings.spfInclude) +
             " ~all"});
    records.push_back(
        {"dmarc", "_dmarc." + domain.domain, "TXT", "v=DMARC1; p=none; rua=mailto:dmarc@" + domain.domain});
    if (!settings.bounceDomain.empty() && !settings.bounceMx.empty())
        records.push_back({"bounce_mx", settings.bounceDomain, "MX", "10 " + settings.bounceMx});
    return records;
}

std::vector<RecordCheck> SenderDomains::check(long groupId, long id)
{
    auto domain = find(groupId, id);
    if (!domain)
        throw Poco::NotFoundException("no sending domain " + std::to_string(id) + " in this group");
    const DnsLookup dns(_settings(groupId).resolver);
    const std::string include = _settings(groupId).spfInclude;
    std::vector<RecordCheck> checks;
    for (const DnsRecord& record : records(*domain))
    {
        RecordCheck result{record.kind, record.name, false, ""};
        try
        {
            if (record.type == "MX")
            {
                const std::string host = record.value.substr(record.value.find(' ') + 1);
                auto found = dns.mx(record.name);
                if (found.empty())
                    result.problem = "missing: no MX record at " + record.name;
                else if (std::find(found.begin(), found.end(), host) == found.end())
                    result.problem =
                        "wrong: the MX of " + record.name + " is " + found.front() + ", not " + host;
                else
                    result.ok = true;
            }
            else
            {
                const std::string start = record.kind == "spf"     ? "v=spf1"
                                          : record.kind == "dmarc" ? "v=DMARC1"
                                                                   : "";
                std::vector<std::string> found;
                for (const std::string& text : dns.txt(record.name))
                    if (start.empty() ? withoutBlanks(text).find("p=") != std::string::npos
                                      : Poco::icompare(text.substr(0, start.size()), start) == 0)
                        found.push_back(text);
                const std::string what = record.kind == "spf"     ? "SPF record (v=spf1)"
                                         : record.kind == "dmarc" ? "DMARC record (v=DMARC1)"
                                                                  : "DKIM record";
                if (found.empty())
                    result.problem = "missing: no " + what + " at " + record.name;
                else if (found.size() > 1 && !start.empty())
                    result.problem = "wrong: more than one " + what + " at " + record.name;
                else if (start.empty() && !sameKey(found.front(), record.value))
                    result.problem = "wrong: the DKIM record at " + record.name + " holds another key";
                else if (record.kind == "spf" && !include.empty() &&
                         found.front().find("include:" + include) == std::string::npos)
                    result.problem =
                        "wrong: the SPF record of " + record.name + " does not include " + include;
                else
                    result.ok = true;
            }
        }
        catch (const Poco::Exception& error)
        {
            result.problem = "no answer: " + error.message();
        }
        checks.push_back(result);
    }
    // A rotation's next keys are not needed to be verified: the current ones sign until then.
    auto isNext = [](const RecordCheck& c)
    { return c.kind.size() > 5 && Poco::endsWith(c.kind, std::string("_next")); };
    const bool verified =
        std::all_of(checks.begin(), checks.end(), [&](const RecordCheck& c) { return c.ok || isNext(c); });
    const auto nexts = std::count_if(checks.begin(), checks.end(), isNext);
    const bool rotated =
        nexts > 0 && nexts == std::count_if(checks.begin(), checks.end(),
                                            [&](const RecordCheck& c) { return c.ok && isNext(c); });
    std::string status = verified ? "verified" : "pending", text = encode(checks), at = sqlTime(_clock());
    Poco::Data::Session session = _database.session();
    session.begin();
    session << "UPDATE mm_sender_domains SET status = ?, checked_at = ?, check_result = ? WHERE id = ? AND "
               "group_id = ?",
        use(status), use(at), use(text), use(id), use(groupId), now;
    if (rotated)
        session << "UPDATE mm_sender_domains SET selector = next_selector, rsa_key = next_rsa_key, "
                   "ed25519_selector = next_ed25519_selector, ed25519_key = next_ed25519_key, next_selector "
                   "= '', "
                   "next_rsa_key = '', next_ed25519_selector = '', next_ed25519_key = '' WHERE id = ? AND "
                   "group_id = ?",
            use(id), use(groupId), now;
    session.commit();
    return checks;
}

void SenderDomains::rotate(long groupId, long id)
{
    if (!find(groupId, id))
        throw Poco::NotFoundException("no sending domain " + std::to_string(id) + " in this group");
    const Poco::DateTime at = _clock();
    std::string selector = selectorFor(at, "rsa", true), edSelector = selectorFor(at, "ed25519", true),
                rsa = _secrets.seal(DkimSigner::generateKey("rsa")),
                ed = _secrets.seal(DkimSigner::generateKey("ed25519"));
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_sender_domains SET next_selector = ?, next_rsa_key = ?, next_ed25519_selector = ?, "
               "next_ed25519_key = ? WHERE id = ? AND group_id = ?",
        use(selector), use(rsa), use(edSelector), use(ed), use(id), use(groupId), now;
}

std::vector<std::shared_ptr<const DkimSigner>> SenderDomains::signersFor(long groupId,
                                                                         const std::string& senderEmail) const
{
    const auto at = senderEmail.rfind('@');
    if (at == std::string::npos)
        return {};
    std::string domain = Poco::toLower(senderEmail.substr(at + 1));
    Poco::Data::Session session = _database.session();
    std::vector<std::string> selectors, keys, edSelectors, edKeys;
    session << "SELECT selector, rsa_key, ed25519_selector, ed25519_key FROM mm_sender_domains "
               "WHERE group_id = ? AND domain = ? AND status = 'verified'",
        use(groupId), use(domain), into(selectors), into(keys), into(edSelectors), into(edKeys), now;
    std::vector<std::shared_ptr<const DkimSigner>> signers;
    if (selectors.empty())
        return signers;
    signers.push_back(std::make_shared<DkimSigner>(domain, selectors.front(), _secrets.open(keys.front())));
    if (!edKeys.front().empty() && !edSelectors.front().empty())
        signers.push_back(
            std::make_shared<DkimSigner>(domain, edSelectors.front(), _secrets.open(edKeys.front())));
    return signers;
}
} // namespace MassMailing
