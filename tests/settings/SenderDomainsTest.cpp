#include "content/SenderDomains.h"
#include "Dnsmasq.h"
#include "FieldException.h"
#include "TestDatabase.h"
#include "content/Campaigns.h"
#include "content/DnsLookup.h"
#include <Poco/Net/ServerSocket.h>
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using MassMailing::DnsLookup;
using MassMailing::DnsRecord;
using MassMailing::FieldException;
using MassMailing::RecordCheck;
using MassMailing::SecretBox;
using MassMailing::SenderDomains;
using SettingsTests::Dnsmasq;

namespace
{
const std::string DOMAIN = "paniers.test";

const RecordCheck& checkOf(const std::vector<RecordCheck>& checks, const std::string& kind)
{
    auto found =
        std::find_if(checks.begin(), checks.end(), [&](const RecordCheck& c) { return c.kind == kind; });
    if (found == checks.end())
        throw Poco::NotFoundException("no check of " + kind);
    return *found;
}
} // namespace

// A group's sending domains (C1, D10): the keys the module makes, the records it asks for, and
// the checks against a dnsmasq of the test's own.
class SenderDomainsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SenderDomainsTest);
    CPPUNIT_TEST(testANewDomainHasItsKeysAndTheRecordsToPublish);
    CPPUNIT_TEST(testABadOrSecondDomainIsRefusedOnTheDomainField);
    CPPUNIT_TEST(testTheCheckNamesTheMissingDkimRecord);
    CPPUNIT_TEST(testTheCheckFindsAnotherKeyAndASecondSpfRecord);
    CPPUNIT_TEST(testPublishedRecordsVerifyTheDomainWhichThenSignsAndCanBeChosen);
    CPPUNIT_TEST(testTheBounceDomainsMxIsAskedAndChecked);
    CPPUNIT_TEST(testTheOldKeysSignUntilTheRotationsKeysAreSeen);
    CPPUNIT_TEST(testAResolverThatDoesNotAnswerSaysSo);
    CPPUNIT_TEST(testTxtStringsAreJoinedAndMxSortedByPreference);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_sender_domains");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP des Capucins')", now;
        session << "SELECT MAX(id) FROM host_groups", into(_group), now;
        _dns = std::make_unique<Dnsmasq>(DOMAIN);
        _box = std::make_unique<SecretBox>(std::string(32, 's'));
        _settings.resolver = _dns->resolver();
        _domains = std::make_unique<SenderDomains>(
            *_database, *_box, [this](long) { return _settings; },
            [] { return Poco::DateTime(2026, 12, 4, 10, 0, 0); });
    }

    void tearDown() override
    {
        _domains.reset();
        _dns.reset();
        _database.reset();
    }

    std::vector<DnsRecord> recordsOf(long id) { return _domains->records(*_domains->find(_group, id)); }

    std::vector<std::string> published(const std::vector<DnsRecord>& records,
                                       const std::vector<std::string>& kinds)
    {
        std::vector<std::string> lines;
        for (const DnsRecord& r : records)
            if (std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end())
                lines.push_back(r.type == "MX" ? "mx-host=" + r.name + "," + r.value.substr(3) + ",10"
                                               : Dnsmasq::txtRecord(r.name, r.value));
        return lines;
    }

    void testANewDomainHasItsKeysAndTheRecordsToPublish()
    {
        const long id = _domains->add(_group, " Paniers.TEST ", 3);
        const auto domain = _domains->find(_group, id);
        CPPUNIT_ASSERT(domain);
        CPPUNIT_ASSERT_EQUAL(DOMAIN, domain->domain);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), domain->status);
        CPPUNIT_ASSERT_EQUAL(std::string("mm202612r"), domain->selector);
        CPPUNIT_ASSERT_EQUAL(std::string("mm202612e"), domain->ed25519Selector);
        const auto records = recordsOf(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("mm202612r._domainkey.paniers.test"), records[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("v=DKIM1; k=rsa; p="), records[0].value.substr(0, 18));
        CPPUNIT_ASSERT(records[0].value.size() > 380); // a 2048-bit key: 392 characters of base64
        CPPUNIT_ASSERT_EQUAL(std::string("v=DKIM1; k=ed25519; p="), records[1].value.substr(0, 22));
        CPPUNIT_ASSERT_EQUAL(std::string("v=spf1 a mx ~all"), records[2].value);
        CPPUNIT_ASSERT_EQUAL(std::string("_dmarc.paniers.test"), records[3].name);
        // The private keys are sealed in the database.
        Poco::Data::Session session = _database->session();
        std::string rsa;
        session << "SELECT rsa_key FROM mm_sender_domains", into(rsa), now;
        CPPUNIT_ASSERT(SecretBox::isSealed(rsa));
        CPPUNIT_ASSERT(rsa.find("PRIVATE KEY") == std::string::npos);
    }

    void testABadOrSecondDomainIsRefusedOnTheDomainField()
    {
        for (const std::string bad : {"", "paniers", "pa niers.test", "paniers..test"})
        {
            try
            {
                _domains->add(_group, bad, 3);
                CPPUNIT_FAIL("\"" + bad + "\" was taken as a domain");
            }
            catch (const FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("domain"), error.field());
            }
        }
        _domains->add(_group, DOMAIN, 3);
        try
        {
            _domains->add(_group, "PANIERS.test", 3);
            CPPUNIT_FAIL("the same domain was added twice");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), error.code());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _domains->list(_group).size());
    }

    void testTheCheckNamesTheMissingDkimRecord()
    {
        const long id = _domains->add(_group, DOMAIN, 3);
        _dns->publish(published(recordsOf(id), {"spf", "dmarc"}));
        const auto checks = _domains->check(_group, id);
        CPPUNIT_ASSERT(!checkOf(checks, "dkim").ok);
        CPPUNIT_ASSERT_EQUAL(std::string("missing: no DKIM record at mm202612r._domainkey.paniers.test"),
                             checkOf(checks, "dkim").problem);
        CPPUNIT_ASSERT(checkOf(checks, "spf").ok);
        CPPUNIT_ASSERT(checkOf(checks, "dmarc").ok);
        const auto domain = _domains->find(_group, id);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), domain->status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), domain->lastCheck.size()); // kept for the screen
        CPPUNIT_ASSERT(_domains->signersFor(_group, "news@paniers.test").empty());
    }

    void testTheCheckFindsAnotherKeyAndASecondSpfRecord()
    {
        const long id = _domains->add(_group, DOMAIN, 3);
        auto records = recordsOf(id);
        records[0].value = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAother";
        auto lines = published(records, {"dkim", "dkim_ed25519", "spf", "dmarc"});
        lines.push_back(Dnsmasq::txtRecord(DOMAIN, "v=spf1 -all"));
        _dns->publish(lines);
        const auto checks = _domains->check(_group, id);
        CPPUNIT_ASSERT_EQUAL(
            std::string("wrong: the DKIM record at mm202612r._domainkey.paniers.test holds another key"),
            checkOf(checks, "dkim").problem);
        CPPUNIT_ASSERT(checkOf(checks, "dkim_ed25519").ok);
        CPPUNIT_ASSERT_EQUAL(std::string("wrong: more than one SPF record (v=spf1) at paniers.test"),
                             checkOf(checks, "spf").problem);
    }

    void testPublishedRecordsVerifyTheDomainWhichThenSignsAndCanBeChosen()
    {
        const long id = _domains->add(_group, DOMAIN, 3);
        MassMailing::Campaigns campaigns(*_database);
        CPPUNIT_ASSERT(campaigns.verifiedDomains(_group).empty());
        _dns->publish(published(recordsOf(id), {"dkim", "dkim_ed25519", "spf", "dmarc"}));
        for (const RecordCheck& c : _domains->check(_group, id))
            CPPUNIT_ASSERT_MESSAGE(c.kind + ": " + c.problem, c.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("verified"), _domains->find(_group, id)->status);
        CPPUNIT_ASSERT(campaigns.verifiedDomains(_group) == std::vector<std::string>{DOMAIN});
        const auto signers = _domains->signersFor(_group, "News@Paniers.test");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), signers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("rsa-sha256"), signers[0]->algorithm());
        CPPUNIT_ASSERT_EQUAL(std::string("ed25519-sha256"), signers[1]->algorithm());
        CPPUNIT_ASSERT_EQUAL(recordsOf(id)[0].value, signers[0]->dnsRecord());
        CPPUNIT_ASSERT(_domains->signersFor(_group, "news@other.test").empty());
        CPPUNIT_ASSERT(_domains->signersFor(_group + 1, "news@paniers.test").empty());
    }

    void testTheBounceDomainsMxIsAskedAndChecked()
    {
        _settings.bounceDomain = "retours.paniers.test";
        _settings.bounceMx = "mx.crm.example";
        _settings.spfInclude = "spf.crm.example";
        const long id = _domains->add(_group, DOMAIN, 3);
        const auto records = recordsOf(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("v=spf1 include:spf.crm.example ~all"), records[2].value);
        CPPUNIT_ASSERT_EQUAL(std::string("bounce_mx"), records[4].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("10 mx.crm.example"), records[4].value);
        _dns->publish(published(records, {"dkim", "dkim_ed25519", "spf", "dmarc"}));
        CPPUNIT_ASSERT_EQUAL(std::string("missing: no MX record at retours.paniers.test"),
                             checkOf(_domains->check(_group, id), "bounce_mx").problem);
        _dns->publish(published(records, {"dkim", "dkim_ed25519", "spf", "dmarc", "bounce_mx"}));
        CPPUNIT_ASSERT(checkOf(_domains->check(_group, id), "bounce_mx").ok);
        CPPUNIT_ASSERT_EQUAL(std::string("verified"), _domains->find(_group, id)->status);
    }

    void testTheOldKeysSignUntilTheRotationsKeysAreSeen()
    {
        const long id = _domains->add(_group, DOMAIN, 3);
        const auto first = recordsOf(id);
        _dns->publish(published(first, {"dkim", "dkim_ed25519", "spf", "dmarc"}));
        _domains->check(_group, id);
        _domains->rotate(_group, id);
        const auto both = recordsOf(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), both.size());
        CPPUNIT_ASSERT_EQUAL(std::string("dkim_next"), both[2].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("mm20261204t100000r._domainkey.paniers.test"), both[2].name);
        // Not published yet: still verified, the old key signs.
        const auto waiting = _domains->check(_group, id);
        CPPUNIT_ASSERT(!checkOf(waiting, "dkim_next").ok);
        CPPUNIT_ASSERT_EQUAL(std::string("verified"), _domains->find(_group, id)->status);
        CPPUNIT_ASSERT_EQUAL(first[0].value,
                             _domains->signersFor(_group, "news@paniers.test")[0]->dnsRecord());
        // Seen: the new keys sign from now on.
        _dns->publish(
            published(both, {"dkim", "dkim_ed25519", "dkim_next", "dkim_ed25519_next", "spf", "dmarc"}));
        for (const RecordCheck& c : _domains->check(_group, id))
            CPPUNIT_ASSERT_MESSAGE(c.kind + ": " + c.problem, c.ok);
        const auto domain = _domains->find(_group, id);
        CPPUNIT_ASSERT_EQUAL(std::string("mm20261204t100000r"), domain->selector);
        CPPUNIT_ASSERT_EQUAL(std::string(), domain->nextSelector);
        const auto signers = _domains->signersFor(_group, "news@paniers.test");
        CPPUNIT_ASSERT_EQUAL(both[2].value, signers[0]->dnsRecord());
        CPPUNIT_ASSERT_EQUAL(both[3].value, signers[1]->dnsRecord());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), recordsOf(id).size());
    }

    void testAResolverThatDoesNotAnswerSaysSo()
    {
        const long id = _domains->add(_group, DOMAIN, 3);
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        _settings.resolver = "127.0.0.1:" + std::to_string(probe.address().port());
        probe.close();
        const auto checks = _domains->check(_group, id);
        CPPUNIT_ASSERT_MESSAGE(checkOf(checks, "dkim").problem,
                               checkOf(checks, "dkim").problem.compare(0, 10, "no answer:") == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), _domains->find(_group, id)->status);
        CPPUNIT_ASSERT_THROW(DnsLookup("localhost:53"), Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(DnsLookup("127.0.0.1:0"), Poco::InvalidArgumentException);
    }

    void testTxtStringsAreJoinedAndMxSortedByPreference()
    {
        _dns->publish({"txt-record=split.paniers.test,\"v=DKIM1; \",\"k=rsa; \",\"p=ABC\"",
                       "mx-host=paniers.test,backup.example.net,20",
                       "mx-host=paniers.test,mail.example.net,10"});
        const DnsLookup dns(_dns->resolver());
        CPPUNIT_ASSERT(dns.txt("split.paniers.test") == std::vector<std::string>{"v=DKIM1; k=rsa; p=ABC"});
        CPPUNIT_ASSERT(
            (dns.mx(DOMAIN) == std::vector<std::string>{"mail.example.net", "backup.example.net"}));
        CPPUNIT_ASSERT(dns.txt("nothing.paniers.test").empty());
    }

private:
    std::unique_ptr<CrmHost::SqlDatabase> _database;
    Poco::Int64 _group = 0;
    std::unique_ptr<Dnsmasq> _dns;
    std::unique_ptr<SecretBox> _box;
    SenderDomains::Settings _settings;
    std::unique_ptr<SenderDomains> _domains;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SenderDomainsTest);
