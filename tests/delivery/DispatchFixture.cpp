#include "DispatchFixture.h"
#include "SuiteSetup.h"
#include "TestDatabase.h"
#include "audience/Suppressions.h"
#include "delivery/Journal.h"
#include "delivery/OutboxTransport.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeParser.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <cppunit/extensions/TestFactoryRegistry.h>

using namespace Poco::Data::Keywords;
using MassMailing::StateException;

namespace DeliveryTests
{
namespace
{
std::unique_ptr<CrmHost::SqlDatabase>& database()
{
    static std::unique_ptr<CrmHost::SqlDatabase> instance;
    return instance;
}

// Every dispatch suite runs inside one set-up that makes the database (its schema takes a
// few seconds on MariaDB) and one tear-down that closes it.
CrmHostTests::SuiteRegistration registration(
    []
    {
        return new CrmHostTests::SuiteSetup(
            CppUnit::TestFactoryRegistry::getRegistry(DispatchFixture::REGISTRY).makeTest(),
            DispatchFixture::openDatabase, DispatchFixture::closeDatabase);
    });

Poco::DateTime parseUtc(const std::string& utc)
{
    int zone = 0;
    Poco::DateTime time = Poco::DateTimeParser::parse("%Y-%m-%d %H:%M:%S", utc, zone);
    return time;
}
} // namespace

const char* const DispatchFixture::REGISTRY = "dispatch";

void DispatchFixture::openDatabase()
{
    database() = CrmHostTests::makeTestDatabase("crmhost_test_dispatch");
}

CrmHost::SqlDatabase& DispatchFixture::testDatabase()
{
    return *database();
}

void DispatchFixture::closeDatabase()
{
    database().reset();
}

void DispatchFixture::setUp()
{
    if (!database()) // a test run by its name, outside the suite set-up
        openDatabase();
    CrmHost::SqlDatabase& db = *database();
    // Each test starts without campaigns: the dispatcher works on every campaign it finds.
    execute("DELETE FROM mm_recipients");
    execute("DELETE FROM mm_campaigns");
    execute("DELETE FROM mm_unsubscribes");
    execute("DELETE FROM mm_address_blocks");
    execute("DELETE FROM mm_group_suppressions");
    {
        Poco::Data::Session session = db.session();
        Poco::Int64 group = 0;
        session << "SELECT COALESCE(MAX(id), 0) FROM host_groups", into(group), now;
        if (group == 0)
        {
            session << "INSERT INTO host_groups (kind, name) VALUES ('crm', 'Dispatch tests')", now;
            session << "SELECT MAX(id) FROM host_groups", into(group), now;
        }
        groupId = long(group);
    }

    settings = MassMailing::Dispatcher::Settings();
    settings.node = "test";
    _journals = std::make_unique<CrmHostTests::TempFolder>("dispatch-journals");
    settings.journalFolder = _journals->path();
    monthlyLimit = 0;
    setClock("2026-12-01 08:00:00");
    _folder = std::make_unique<CrmHostTests::TempFolder>("dispatch-outbox");
    _transport = [this] { return outboxTransport(); };

    _services.transport = [this] { return _transport(); };
    _services.links = [](const MassMailing::Campaign& campaign, const MassMailing::Recipient& recipient)
    {
        std::string id = std::to_string(campaign.id) + "/" + std::to_string(recipient.id);
        return MassMailing::MessageLinks{"https://crm.example.org/u/" + id,
                                         "https://crm.example.org/v/" + id};
    };
    _services.translate = [](const std::string& key, const std::string&) { return key; };
    _services.signer = [] { return std::shared_ptr<const MassMailing::DkimSigner>(); };
    _services.files = [](const MassMailing::Campaign&) { return MassMailing::MessageFiles(); };

    auto clock = [this] { return _now; };
    _campaigns = std::make_unique<MassMailing::Campaigns>(db);
    _deliveries = std::make_unique<MassMailing::Deliveries>(db, clock);
    _dispatcher = std::make_unique<MassMailing::Dispatcher>(
        db, *_campaigns, *_deliveries, _services, clock, [this] { return settings; },
        [this] { return monthlyLimit; });
}

long DispatchFixture::numberOf(const std::string& sql)
{
    Poco::Data::Session session = database()->session();
    Poco::Int64 value = 0;
    session << sql, Poco::Data::Keywords::into(value), Poco::Data::Keywords::now;
    return long(value);
}

std::string DispatchFixture::journalFolder() const
{
    return settings.journalFolder + "/" + MassMailing::Journal::label(settings.node);
}

std::unique_ptr<MassMailing::Dispatcher> DispatchFixture::otherNode()
{
    return otherNodeWith(_services);
}

std::unique_ptr<MassMailing::Dispatcher> DispatchFixture::otherNodeWithItsOwnOutbox()
{
    _otherFolder = std::make_unique<CrmHostTests::TempFolder>("dispatch-other-outbox");
    _otherServices = _services;
    _otherServices.transport = [this]
    { return std::make_unique<MassMailing::OutboxTransport>(_otherFolder->path()); };
    return otherNodeWith(_otherServices);
}

std::unique_ptr<MassMailing::Dispatcher>
DispatchFixture::otherNodeWith(const MassMailing::TestSend::Services& services)
{
    return std::make_unique<MassMailing::Dispatcher>(
        *database(), *_campaigns, *_deliveries, services, [this] { return _now; },
        [this]
        {
            MassMailing::Dispatcher::Settings other = settings;
            other.node = "other";
            return other;
        },
        [this] { return monthlyLimit; });
}

MassMailing::DeliveryState DispatchFixture::progressOf(long campaign)
{
    return MassMailing::DeliveryProgress(*database(), *_deliveries, [this] { return _now; }).state(campaign);
}

void DispatchFixture::tearDown()
{
    _dispatcher.reset();
    _deliveries.reset();
    _campaigns.reset();
    _folder.reset();
    _otherFolder.reset();
    _journals.reset();
}

long DispatchFixture::newCampaign(const std::vector<std::string>& addresses)
{
    Poco::Data::Session session = database()->session();
    long group = groupId;
    session
        << "INSERT INTO mm_campaigns (group_id, recipient_type, name, sender_name, sender_email, subject, "
           "html, text_body) VALUES (?, 'contacts', 'Dispatch', 'The CRM', 'news@example.org', "
           "'December news', '<p>Hello</p>', 'Hello')",
        use(group), now;
    Poco::Int64 id = 0;
    session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
    long campaign = long(id);
    session.begin();
    long number = 0;
    for (std::string address : addresses)
    {
        ++number;
        session
            << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
               "dedupe_key, status) VALUES (?, 0, 'person', ?, ?, 'Ann', ?, 'planned')",
            use(campaign), use(number), use(address), use(address), now;
    }
    session.commit();
    return campaign;
}

long DispatchFixture::newCampaign(int count)
{
    std::vector<std::string> addresses;
    for (int i = 1; i <= count; ++i)
        addresses.push_back("person" + std::to_string(i) + "@example.org");
    return newCampaign(addresses);
}

void DispatchFixture::sendNow(long campaign, long maxPerHour)
{
    MassMailing::SendPlan plan;
    plan.maxPerHour = maxPerHour;
    _deliveries->schedule(campaign, plan, false, 0);
}

void DispatchFixture::sendAt(long campaign, const std::string& utc)
{
    MassMailing::SendPlan plan;
    plan.at = utc;
    plan.timeZone = "Europe/Paris";
    _deliveries->schedule(campaign, plan, false, 0);
}

void DispatchFixture::setClock(const std::string& utc)
{
    _now = parseUtc(utc);
}

void DispatchFixture::advance(int minutes, int seconds)
{
    _now += Poco::Timespan(0, 0, minutes, seconds, 0);
}

std::string DispatchFixture::clock() const
{
    return MassMailing::sqlTime(_now);
}

std::string DispatchFixture::campaignText(long campaign, const std::string& column)
{
    Poco::Data::Session session = database()->session();
    std::string value;
    session << "SELECT COALESCE(CAST(" + column + " AS CHAR), '') FROM mm_campaigns WHERE id = ?",
        use(campaign), into(value), now;
    return value;
}

DispatchFixture::RowState DispatchFixture::row(long campaign, const std::string& email)
{
    Poco::Data::Session session = database()->session();
    std::string address = email;
    Poco::Data::Statement select(session);
    select << "SELECT id, status, reason, detail, COALESCE(CAST(next_attempt_at AS CHAR), ''), attempts "
              "FROM mm_recipients WHERE campaign_id = ? AND email = ?",
        use(campaign), use(address), now;
    Poco::Data::RecordSet set(select);
    if (set.rowCount() != 1)
        throw Poco::NotFoundException("no recipient " + email + " in campaign " + std::to_string(campaign));
    RowState state;
    state.id = long(set.value(0, 0).convert<Poco::Int64>());
    state.status = set.value(1, 0).convert<std::string>();
    state.reason = set.value(2, 0).convert<std::string>();
    state.detail = set.value(3, 0).convert<std::string>();
    state.nextAttemptAt = set.value(4, 0).convert<std::string>();
    state.attempts = set.value(5, 0).convert<int>();
    return state;
}

void DispatchFixture::unsubscribe(const std::string& address)
{
    MassMailing::Suppressions(*database())
        .unsubscribe(groupId, address, 0, MassMailing::UnsubscribeMethod::OneClick);
}

void DispatchFixture::block(const std::string& address, const std::string& reason)
{
    MassMailing::Suppressions(*database()).suppress(groupId, address, reason, "", 0, Poco::DateTime());
}

void DispatchFixture::execute(const std::string& sql)
{
    Poco::Data::Session session = database()->session();
    session << sql, now;
}

void DispatchFixture::useTransport(std::function<std::unique_ptr<MassMailing::Transport>()> transport)
{
    _transport = std::move(transport);
}

std::unique_ptr<MassMailing::Transport> DispatchFixture::outboxTransport() const
{
    return std::make_unique<MassMailing::OutboxTransport>(_folder->path());
}

std::map<std::string, int> DispatchFixture::outbox() const
{
    std::map<std::string, int> byAddress;
    for (const auto& entry : MassMailing::OutboxTransport(_folder->path()).entries(1000000))
        ++byAddress[entry.to];
    return byAddress;
}

std::vector<std::pair<std::string, std::string>> DispatchFixture::outboxMessages() const
{
    MassMailing::OutboxTransport outbox(_folder->path());
    std::vector<MassMailing::OutboxEntry> entries = outbox.entries(1000000);
    std::sort(entries.begin(), entries.end(),
              [](const MassMailing::OutboxEntry& a, const MassMailing::OutboxEntry& b)
              { return a.name < b.name; });
    std::vector<std::pair<std::string, std::string>> messages;
    for (const auto& entry : entries)
        messages.emplace_back(entry.to, outbox.read(entry.name));
    return messages;
}

std::map<std::string, int> DispatchFixture::otherOutbox() const
{
    std::map<std::string, int> byAddress;
    if (_otherFolder)
        for (const auto& entry : MassMailing::OutboxTransport(_otherFolder->path()).entries(1000000))
            ++byAddress[entry.to];
    return byAddress;
}

long DispatchFixture::outboxCount() const
{
    long total = 0;
    for (const auto& [address, times] : outbox())
        total += times;
    return total;
}

void DispatchFixture::expectRefused(long campaign, const std::function<void()>& change,
                                    const std::string& status)
{
    try
    {
        change();
    }
    catch (const StateException& error)
    {
        CPPUNIT_ASSERT_EQUAL(status, error.status());
        CPPUNIT_ASSERT(error.message().find(status) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(status, statusOf(campaign));
        return;
    }
    CPPUNIT_FAIL("a campaign that is " + status + " accepted a change it does not allow");
}
} // namespace DeliveryTests
