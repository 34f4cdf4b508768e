#ifndef DeliveryTests_DispatchFixture_INCLUDED
#define DeliveryTests_DispatchFixture_INCLUDED

#include "SqlDatabase.h"
#include "TempFolder.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "delivery/DeliveryProgress.h"
#include "delivery/Dispatcher.h"
#include "delivery/TestSend.h"
#include <Poco/DateTime.h>
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace DeliveryTests
{
/// What the tests of the delivery engine share: one database for the whole executable (SQLite
/// or MariaDB, from CRMHOST_TEST_DB), emptied of campaigns before each test; a Deliveries and
/// a Dispatcher on it whose clock is a time the test sets; and a transport the test chooses,
/// the outbox of a folder of the test's own unless told otherwise.
class DispatchFixture : public CppUnit::TestFixture
{
public:
    void setUp() override;
    void tearDown() override;

    static void openDatabase();
    static void closeDatabase();
    /// Around all the suites of the executable (registered with CrmHostTests::SuiteSetup).

    static const char* const REGISTRY;
    /// The CppUnit registry the dispatch suites register in.

protected:
    /// Where one recipient stands.
    struct RowState
    {
        long id = 0;
        std::string status;
        std::string reason;
        std::string detail;
        std::string nextAttemptAt; /// UTC "YYYY-MM-DD HH:MM:SS", or "" when none.
        int attempts = 0;
    };

    long newCampaign(const std::vector<std::string>& addresses);
    /// A draft of the test group with these recipients planned.
    long newCampaign(int count);
    /// A draft with count recipients planned: person1@example.org, person2@example.org ...

    void sendNow(long campaign, long maxPerHour = 0);
    /// Schedules the campaign for now, without approval, with that pace.
    void sendAt(long campaign, const std::string& utc);

    void setClock(const std::string& utc);
    /// "2026-12-01 08:30:00".
    void advance(int minutes, int seconds = 0);
    std::string clock() const;
    MassMailing::Clock testClock()
    {
        return [this] { return _now; };
    }
    /// The clock the test sets, for the parts a test builds itself (automations).
    static CrmHost::SqlDatabase& testDatabase();

    bool runOnce() { return _dispatcher->runOnce(); }
    std::unique_ptr<MassMailing::Dispatcher> otherNode();
    /// A second dispatcher on the same database, as another host's: its own workers and locks.
    std::unique_ptr<MassMailing::Dispatcher> otherNodeWithItsOwnOutbox();
    /// The same, sending into an outbox of its own (otherOutbox()), to see what each host sent.
    MassMailing::Deliveries& deliveries() { return *_deliveries; }
    MassMailing::Dispatcher& dispatcher() { return *_dispatcher; }
    MassMailing::Campaigns& campaigns() { return *_campaigns; }
    /// To add a channel (issue 15) to the test's dispatcher.
    std::string statusOf(long campaign) { return _deliveries->status(campaign); }
    long count(long campaign, const std::string& status) { return _deliveries->counts(campaign).at(status); }
    MassMailing::DeliveryState progressOf(long campaign);
    /// What the progress screen shows of the campaign (DeliveryProgress), at the test's clock.
    std::string campaignText(long campaign, const std::string& column);
    /// A column of the campaign's row as text ("" for NULL); times as "YYYY-MM-DD HH:MM:SS".

    RowState row(long campaign, const std::string& email);
    void execute(const std::string& sql);
    long numberOf(const std::string& sql);
    /// The one number a query returns.
    void unsubscribe(const std::string& address);
    /// The address leaves the test group's messages, as its one-click link records it
    /// (through audience's Suppressions).
    void block(const std::string& address, const std::string& reason);
    /// No group's messages may reach the address any more: "bounced" or "complained".

    void useTransport(std::function<std::unique_ptr<MassMailing::Transport>()> transport);
    std::unique_ptr<MassMailing::Transport> outboxTransport() const;
    std::string journalFolder() const;
    /// This node's journal folder ("test", below settings.journalFolder).
    /// A transport to the test's outbox (the one used unless told otherwise).
    std::map<std::string, int> outbox() const;
    /// Messages in the outbox by envelope recipient.
    long outboxCount() const;
    std::map<std::string, int> otherOutbox() const;
    std::vector<std::pair<std::string, std::string>> outboxMessages() const;
    /// Each message of the outbox: its envelope recipients and its bytes, oldest first.
    /// Messages in the outbox of otherNodeWithItsOwnOutbox() by envelope recipient.

    void expectRefused(long campaign, const std::function<void()>& change, const std::string& status);
    /// change throws StateException carrying status, and the campaign stays in it.

    MassMailing::Dispatcher::Settings settings;
    long monthlyLimit = 0; /// The quota the dispatcher sees; 0: none.
    long groupId = 0;

private:
    std::unique_ptr<MassMailing::Dispatcher> otherNodeWith(const MassMailing::TestSend::Services& services);
    /// A second node (named "other") sending with these services.

    Poco::DateTime _now;
    std::unique_ptr<CrmHostTests::TempFolder> _folder;
    std::function<std::unique_ptr<MassMailing::Transport>()> _transport;
    MassMailing::TestSend::Services _services;
    std::unique_ptr<CrmHostTests::TempFolder> _otherFolder;
    std::unique_ptr<CrmHostTests::TempFolder> _journals; // settings.journalFolder: each node's below
    MassMailing::TestSend::Services _otherServices;
    std::unique_ptr<MassMailing::Campaigns> _campaigns;
    std::unique_ptr<MassMailing::Deliveries> _deliveries;
    std::unique_ptr<MassMailing::Dispatcher> _dispatcher;
};
} // namespace DeliveryTests

#endif
