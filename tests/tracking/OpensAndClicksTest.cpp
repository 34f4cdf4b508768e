#include "Catalogue.h"
#include "GroupSettings.h"
#include "MustacheRenderer.h"
#include "SqlTime.h"
#include "TestDatabase.h"
#include "screens/TrackingScreen.h"
#include "tracking/CampaignLinks.h"
#include "tracking/EventRecorder.h"
#include "tracking/MessageTracking.h"
#include "tracking/TrackingException.h"
#include "tracking/Unsubscribes.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>
#include <thread>

using namespace Poco::Data::Keywords;
using namespace MassMailing;

namespace
{
const std::string BASE = "https://crm.example/p/massmailing/";

std::string tokenOf(const std::string& url)
{
    return url.substr(url.rfind('/') + 1);
}
} // namespace

// Opens and clicks as the redirect and the image receive them, and what the results then read
// (mm_events and the counters), on SQLite and MariaDB.
class OpensAndClicksTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OpensAndClicksTest);
    CPPUNIT_TEST(testClickGoesToTheStoredLinkOnly);
    CPPUNIT_TEST(testChangedTokenIsRefusedAndRecordsNothing);
    CPPUNIT_TEST(testHeadScannerAndEarlyRequestsCountAsMachine);
    CPPUNIT_TEST(testUniqueAndTotalCounts);
    CPPUNIT_TEST(testCountersAreWrittenByTheRecordersThread);
    CPPUNIT_TEST(testMoreClicksThanTheQueueHoldsAreAllRecorded);
    CPPUNIT_TEST(testFullQueueWithoutDatabaseDropsAfterTheWait);
    CPPUNIT_TEST(testIpIsHashedWhenTheGroupSaysSo);
    CPPUNIT_TEST(testTestMessageClicksAreRecordedAndCountNothing);
    CPPUNIT_TEST(testHiddenTrapLinkIsAMachine);
    CPPUNIT_TEST(testTrackingOffForTheGroupOrTheCampaignMakesNoLinks);
    CPPUNIT_TEST(testTwoWorkersStoreALinkOnce);
    CPPUNIT_TEST(testUnsubscribeIsCountedForTheRowOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_tracking_events");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP'), ('crm', 'Council')", now;
        std::vector<Poco::Int64> ids;
        session << "SELECT id FROM host_groups ORDER BY id", into(ids), now;
        _group = long(ids.at(0));
        _other = long(ids.at(1));
        session
            << "INSERT INTO mm_campaigns (group_id, recipient_type, name, status, html, text_body) VALUES "
               "(?, 'members', 'News', 'sending', '', ''), (?, 'members', 'Other', 'sending', '', '')",
            use(_group), use(_group), now;
        ids.clear();
        session << "SELECT id FROM mm_campaigns ORDER BY id", into(ids), now;
        _campaign.id = long(ids.at(0));
        _campaign.groupId = _group;
        _otherCampaign = long(ids.at(1));
        _now = Poco::DateTime(2026, 5, 4, 10, 30, 0);
        // Three rows sent an hour ago, one sent 3 seconds ago.
        for (int i = 0; i < 4; ++i)
        {
            std::string email = "p" + std::to_string(i) + "@example.org";
            std::string sent = sqlTime(_now - Poco::Timespan(i == 3 ? 3 : 3600, 0));
            session << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, "
                       "dedupe_key, "
                       "status, sent_at) VALUES (?, 0, 'person', ?, ?, ?, 'sent', ?)",
                use(_campaign.id), use(i), use(email), use(email), use(sent), now;
        }
        ids.clear();
        session << "SELECT id FROM mm_recipients ORDER BY id", into(ids), now;
        for (auto id : ids)
            _rows.push_back(long(id));

        const std::string templates = std::string(CRMHOST_RESOURCE_DIR) + "/templates";
        _catalogue.load(templates, "massmailing");
        _renderer = std::make_unique<CrmHost::MustacheRenderer>(templates, "massmailing", _catalogue);
        _signer = std::make_unique<LinkSigner>(std::string(32, 'k'));
        _groups =
            std::make_unique<GroupSettings>(*_database, [](const std::string& key)
                                            { return key == "massmailing.tracking.ip" ? "keep" : "on"; });
        _links = std::make_unique<CampaignLinks>(*_database);
        _tracking = std::make_unique<MessageTracking>(*_signer, *_links, *_groups, BASE);
        _recorder = std::make_unique<EventRecorder>(
            *_database, *_groups, std::string(32, 'i'), [] { return 10; }, EventRecorder::Settings());
        _screen = std::make_unique<TrackingScreen>(*_signer, *_links, *_recorder, *_renderer,
                                                   [this] { return _now; });
    }

    void tearDown() override
    {
        _screen.reset();
        _recorder.reset();
        _tracking.reset();
        _links.reset();
        _groups.reset();
        _database.reset();
    }

    void testClickGoesToTheStoredLinkOnly()
    {
        TrackingLinks links = _tracking->linksFor(_campaign, _rows[0]);
        const std::string token = tokenOf(links.click("https://shop.example/basket?x=1&y=2"));
        // Whatever else the request brings, the answer goes to the stored link.
        auto response = _screen->click(
            request("GET", token, {{"url", "https://evil.example/"}, {"to", "https://evil.example/"}}));
        CPPUNIT_ASSERT_EQUAL(302, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/basket?x=1&y=2"), response.location);

        // A link id of another campaign in a signed token of this one goes nowhere.
        const long foreign = _links->idOf(_otherCampaign, "https://other.example/");
        LinkToken forged{LinkPurpose::Click, _group, _campaign.id, _rows[0], "", false};
        forged.linkId = foreign;
        CPPUNIT_ASSERT_EQUAL(404, _screen->click(request("GET", _signer->sign(forged))).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _recorder->flush());
        CPPUNIT_ASSERT_EQUAL(1, count("SELECT COUNT(*) FROM mm_events WHERE kind = 'click'"));
    }

    void testChangedTokenIsRefusedAndRecordsNothing()
    {
        TrackingLinks links = _tracking->linksFor(_campaign, _rows[0]);
        std::string click = tokenOf(links.click("https://shop.example/"));
        std::string open = tokenOf(links.open);
        for (std::string* token : {&click, &open})
        {
            std::string& t = *token;
            t[t.size() / 2] = t[t.size() / 2] == 'A' ? 'B' : 'A';
        }
        CPPUNIT_ASSERT_THROW(_signer->verify(click, LinkPurpose::Click), InvalidTokenException);
        auto refused = _screen->click(request("GET", click));
        CPPUNIT_ASSERT_EQUAL(404, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               refused.body.find("This link is not valid") != std::string::npos);
        CPPUNIT_ASSERT(refused.location.empty());
        // The image is answered all the same, and nothing is recorded.
        auto image = _screen->open(request("GET", open));
        CPPUNIT_ASSERT_EQUAL(200, image.status);
        CPPUNIT_ASSERT_EQUAL(std::string("image/gif"), image.contentType);
        CPPUNIT_ASSERT_EQUAL(TrackingScreen::pixel(), image.body);
        // An open token is no click token, and the other way round.
        CPPUNIT_ASSERT_EQUAL(404, _screen->click(request("GET", tokenOf(links.open))).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _recorder->flush());
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT COUNT(*) FROM mm_events"));
        CPPUNIT_ASSERT_EQUAL(404, _screen->click(request("GET", "")).status);
        CPPUNIT_ASSERT_EQUAL(404, _screen->click(request("GET", "%%%/..")).status);
    }

    void testHeadScannerAndEarlyRequestsCountAsMachine()
    {
        TrackingLinks first = _tracking->linksFor(_campaign, _rows[0]);
        const std::string click = tokenOf(first.click("https://shop.example/"));
        CPPUNIT_ASSERT_EQUAL(302, _screen->click(request("HEAD", click)).status);
        _screen->open(request(
            "GET", tokenOf(first.open), {},
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"));
        // The row sent 3 seconds ago: a scanner at delivery, whatever its user agent says.
        TrackingLinks early = _tracking->linksFor(_campaign, _rows[3]);
        _screen->click(request("GET", tokenOf(early.click("https://shop.example/"))));
        _screen->open(request("GET", tokenOf(early.open)));
        _recorder->flush();

        CPPUNIT_ASSERT_EQUAL(4, count("SELECT COUNT(*) FROM mm_events WHERE machine = 1"));
        CPPUNIT_ASSERT_EQUAL(1, count("SELECT COUNT(*) FROM mm_events WHERE detail = 'head'"));
        CPPUNIT_ASSERT_EQUAL(
            1, count("SELECT COUNT(*) FROM mm_events WHERE detail = 'user agent: googleimageproxy'"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT COUNT(*) FROM mm_events WHERE detail = 'early'"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT SUM(opens) + SUM(clicks) FROM mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT SUM(machine_opens) FROM mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT SUM(machine_clicks) FROM mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT COUNT(*) FROM mm_recipients WHERE first_open_at IS NOT NULL OR "
                                      "first_click_at IS NOT NULL"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT machine_clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT clicks + unique_clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT machine_opens FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT opens + clicks FROM mm_result_hours"));

        // Past the window, a browser's GET is a person's.
        _screen->click(request("GET", click));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(
            1, count("SELECT clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[0])));
    }

    void testUniqueAndTotalCounts()
    {
        TrackingLinks one = _tracking->linksFor(_campaign, _rows[0]);
        TrackingLinks two = _tracking->linksFor(_campaign, _rows[1]);
        const std::string shop = tokenOf(one.click("https://shop.example/")),
                          news = tokenOf(one.click("https://news.example/")),
                          shopTwo = tokenOf(two.click("https://shop.example/"));
        _screen->click(request("GET", shop));
        _screen->click(request("GET", shop));
        _screen->click(request("GET", news));
        _screen->click(request("GET", shopTwo));
        _screen->open(request("GET", tokenOf(one.open)));
        _screen->open(request("GET", tokenOf(one.open)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), _recorder->flush());

        const std::string first = std::to_string(_rows[0]);
        CPPUNIT_ASSERT_EQUAL(3, count("SELECT clicks FROM mm_recipients WHERE id = " + first));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT opens FROM mm_recipients WHERE id = " + first));
        CPPUNIT_ASSERT_EQUAL(
            1, count("SELECT clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[1])));
        CPPUNIT_ASSERT_EQUAL(
            std::string("2026-05-04 10:30:00"),
            text("SELECT CAST(first_click_at AS CHAR) FROM mm_recipients WHERE id = " + first));
        CPPUNIT_ASSERT_EQUAL(
            std::string("2026-05-04 10:30:00"),
            text("SELECT CAST(first_open_at AS CHAR) FROM mm_recipients WHERE id = " + first));
        CPPUNIT_ASSERT_EQUAL(3, count("SELECT clicks FROM mm_links WHERE url = 'https://shop.example/'"));
        CPPUNIT_ASSERT_EQUAL(2,
                             count("SELECT unique_clicks FROM mm_links WHERE url = 'https://shop.example/'"));
        CPPUNIT_ASSERT_EQUAL(1,
                             count("SELECT unique_clicks FROM mm_links WHERE url = 'https://news.example/'"));
        CPPUNIT_ASSERT_EQUAL(1, count("SELECT COUNT(*) FROM mm_recipients WHERE first_open_at IS NOT NULL"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-05-04 10:00:00"),
                             text("SELECT CAST(hour AS CHAR) FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(4, count("SELECT clicks FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT opens FROM mm_result_hours"));

        // Later, in another write and another hour: the same person's click is not unique again,
        // the first times stay.
        _now = _now + Poco::Timespan(0, 1, 0, 0, 0);
        _screen->click(request("GET", shop));
        _screen->open(request("GET", tokenOf(one.open)));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(4, count("SELECT clicks FROM mm_links WHERE url = 'https://shop.example/'"));
        CPPUNIT_ASSERT_EQUAL(2,
                             count("SELECT unique_clicks FROM mm_links WHERE url = 'https://shop.example/'"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("2026-05-04 10:30:00"),
            text("SELECT CAST(first_click_at AS CHAR) FROM mm_recipients WHERE id = " + first));
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT COUNT(*) FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(5, count("SELECT SUM(clicks) FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(8, count("SELECT COUNT(*) FROM mm_events"));
    }

    void testCountersAreWrittenByTheRecordersThread()
    {
        // As the module runs it: several writers on MariaDB, one on SQLite.
        EventRecorder::Settings settings;
        settings.writers = _database->dialect() == CrmHost::Dialect::MySQL ? 4 : 1;
        _screen.reset();
        _recorder = std::make_unique<EventRecorder>(
            *_database, *_groups, std::string(32, 'i'), [] { return 10; }, settings);
        _screen = std::make_unique<TrackingScreen>(*_signer, *_links, *_recorder, *_renderer,
                                                   [this] { return _now; });
        _recorder->start();
        // 250 clicks of row 2, and 250 of rows 0 and 1, on one link.
        TrackingLinks links = _tracking->linksFor(_campaign, _rows[2]);
        const std::string token = tokenOf(links.click("https://shop.example/"));
        const std::string first =
            tokenOf(_tracking->linksFor(_campaign, _rows[0]).click("https://shop.example/"));
        const std::string second =
            tokenOf(_tracking->linksFor(_campaign, _rows[1]).click("https://shop.example/"));
        for (int i = 0; i < 250; ++i)
        {
            _screen->click(request("GET", token));
            _screen->click(request("GET", i % 2 ? first : second));
        }
        for (int waited = 0; _recorder->recorded() < 500 && waited < 5000; waited += 20)
            Poco::Thread::sleep(20);
        CPPUNIT_ASSERT_EQUAL(std::size_t(500), _recorder->recorded());
        _screen->click(request("GET", token));
        _recorder->stop(); // what is queued is written at stop
        CPPUNIT_ASSERT_EQUAL(
            251, count("SELECT clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[2])));
        CPPUNIT_ASSERT_EQUAL(
            125, count("SELECT clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[0])));
        CPPUNIT_ASSERT_EQUAL(501, count("SELECT clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(501, count("SELECT clicks FROM mm_result_hours"));
        CPPUNIT_ASSERT_EQUAL(3, count("SELECT unique_clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _recorder->dropped());
    }

    void testIpIsHashedWhenTheGroupSaysSo()
    {
        _groups->set(_group, "tracking.ip", "hash");
        TrackingLinks links = _tracking->linksFor(_campaign, _rows[0]);
        _screen->open(request("GET", tokenOf(links.open)));
        _recorder->flush();
        const std::string stored = text("SELECT ip FROM mm_events");
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), stored.size());
        CPPUNIT_ASSERT(stored.find("203.0.113.7") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(stored, _recorder->ipOf(_group, "203.0.113.7"));
        CPPUNIT_ASSERT(_recorder->ipOf(_group, "203.0.113.8") != stored);
        // Kept as it is where the group keeps it (the module's default here).
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), _recorder->ipOf(_other, "203.0.113.7"));
        CPPUNIT_ASSERT_EQUAL(std::string("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"),
                             text("SELECT user_agent FROM mm_events"));
    }

    void testTestMessageClicksAreRecordedAndCountNothing()
    {
        TrackingLinks links = _tracking->testLinksFor(_campaign);
        CPPUNIT_ASSERT(links.on());
        auto response = _screen->click(request("GET", tokenOf(links.click("https://shop.example/"))));
        CPPUNIT_ASSERT_EQUAL(302, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/"), response.location);
        _screen->open(request("GET", tokenOf(links.open)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _recorder->flush());
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT COUNT(*) FROM mm_events WHERE recipient_row = 0 AND "
                                      "detail = 'test message'"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT SUM(opens + clicks + machine_opens + machine_clicks) FROM "
                                      "mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT clicks + machine_clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(0, count("SELECT COUNT(*) FROM mm_result_hours"));
    }

    void testHiddenTrapLinkIsAMachine()
    {
        TrackingLinks links = _tracking->linksFor(_campaign, _rows[0]);
        auto response = _screen->click(request("GET", tokenOf(links.trap)));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT(response.location.empty());
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(
            1, count("SELECT COUNT(*) FROM mm_events WHERE machine = 1 AND detail = 'hidden link'"));
        CPPUNIT_ASSERT_EQUAL(
            1, count("SELECT machine_clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[0])));
        CPPUNIT_ASSERT_EQUAL(
            0, count("SELECT clicks FROM mm_recipients WHERE id = " + std::to_string(_rows[0])));
    }

    void testTrackingOffForTheGroupOrTheCampaignMakesNoLinks()
    {
        CPPUNIT_ASSERT(_tracking->linksFor(_campaign, _rows[0]).on());
        Campaign off = _campaign;
        off.tracking = false;
        CPPUNIT_ASSERT(!_tracking->linksFor(off, _rows[0]).on());
        CPPUNIT_ASSERT(!_tracking->testLinksFor(off).on());
        _groups->set(_group, "tracking", "off");
        MessageTracking fresh(*_signer, *_links, *_groups, BASE); // the group's switch is cached 30 s
        CPPUNIT_ASSERT(!fresh.linksFor(_campaign, _rows[0]).on());
        CPPUNIT_ASSERT(!fresh.testLinksFor(_campaign).on());
        // No row (a message viewed online): not the message sent, not tracked.
        CPPUNIT_ASSERT(!_tracking->linksFor(_campaign, 0).on());
    }

    void testTwoWorkersStoreALinkOnce()
    {
        CampaignLinks other(*_database);
        const long a = _links->idOf(_campaign.id, "https://shop.example/");
        const long b = other.idOf(_campaign.id, "https://shop.example/");
        CPPUNIT_ASSERT_EQUAL(a, b);
        CPPUNIT_ASSERT(other.idOf(_otherCampaign, "https://shop.example/") != a);
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT COUNT(*) FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/"), *other.url(_campaign.id, a));
        CPPUNIT_ASSERT(!other.url(_otherCampaign, a));
        CPPUNIT_ASSERT_THROW(_links->idOf(_campaign.id, "https://x.example/" + std::string(2000, 'a')),
                             Poco::InvalidArgumentException);
    }

    void testUnsubscribeIsCountedForTheRowOnce()
    {
        Suppressions suppressions(*_database);
        Unsubscribes unsubscribes(*_database, suppressions, [this] { return _now; });
        LinkToken token{LinkPurpose::Unsubscribe, _group, _campaign.id, 1, "p1@example.org"};
        CPPUNIT_ASSERT(unsubscribes.unsubscribe(token, UnsubscribeMethod::OneClick));
        CPPUNIT_ASSERT(!unsubscribes.unsubscribe(token, UnsubscribeMethod::Link));
        CPPUNIT_ASSERT(suppressions.isUnsubscribed(_group, "p1@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-05-04 10:30:00"),
                             text("SELECT CAST(unsubscribed_at AS CHAR) FROM mm_recipients WHERE id = " +
                                  std::to_string(_rows[1])));
        CPPUNIT_ASSERT_EQUAL(1,
                             count("SELECT COUNT(*) FROM mm_recipients WHERE unsubscribed_at IS NOT NULL"));
        CPPUNIT_ASSERT_EQUAL(1, count("SELECT COUNT(*) FROM mm_events WHERE kind = 'unsubscribe' AND "
                                      "recipient_row = " +
                                      std::to_string(_rows[1])));
    }

    void testMoreClicksThanTheQueueHoldsAreAllRecorded()
    {
        // Clicks come in faster than they are written (bench/clicks): the redirect waits for room
        // instead of losing them. A queue of 20, 8 threads of 300 clicks each.
        EventRecorder::Settings settings;
        settings.flushMillis = 20;
        settings.batch = 5;
        settings.maxQueued = 20;
        settings.writers = _database->dialect() == CrmHost::Dialect::MySQL ? 4 : 1;
        _screen.reset();
        _recorder = std::make_unique<EventRecorder>(
            *_database, *_groups, std::string(32, 'i'), [] { return 10; }, settings);
        _screen = std::make_unique<TrackingScreen>(*_signer, *_links, *_recorder, *_renderer,
                                                   [this] { return _now; });
        _recorder->start();
        std::vector<std::string> tokens;
        for (int row = 0; row < 3; ++row)
            tokens.push_back(tokenOf(
                _tracking->linksFor(_campaign, _rows[std::size_t(row)]).click("https://shop.example/")));
        std::vector<std::thread> clients;
        for (int c = 0; c < 8; ++c)
            clients.emplace_back(
                [&, c]
                {
                    for (int i = 0; i < 300; ++i)
                        _screen->click(request("GET", tokens[std::size_t(c + i) % tokens.size()]));
                });
        for (auto& client : clients)
            client.join();
        _recorder->stop();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _recorder->dropped());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2400), _recorder->recorded());
        CPPUNIT_ASSERT_EQUAL(2400, count("SELECT COUNT(*) FROM mm_events"));
        CPPUNIT_ASSERT_EQUAL(2400, count("SELECT SUM(clicks) FROM mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(2400, count("SELECT clicks FROM mm_links"));
        CPPUNIT_ASSERT_EQUAL(3, count("SELECT unique_clicks FROM mm_links"));
    }

    void testFullQueueWithoutDatabaseDropsAfterTheWait()
    {
        // No writer runs (as when the database does not answer): a full queue makes the redirect
        // wait fullWaitMillis, then the click is dropped and counted, and the redirect answers.
        EventRecorder::Settings settings;
        settings.maxQueued = 2;
        settings.fullWaitMillis = 100;
        _screen.reset();
        _recorder = std::make_unique<EventRecorder>(
            *_database, *_groups, std::string(32, 'i'), [] { return 10; }, settings);
        _screen = std::make_unique<TrackingScreen>(*_signer, *_links, *_recorder, *_renderer,
                                                   [this] { return _now; });
        const std::string token =
            tokenOf(_tracking->linksFor(_campaign, _rows[0]).click("https://shop.example/"));
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT_EQUAL(302, int(_screen->click(request("GET", token)).status));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _recorder->dropped());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _recorder->flush());
        CPPUNIT_ASSERT_EQUAL(2, count("SELECT COUNT(*) FROM mm_events"));
    }

private:
    CrmHost::Request request(const std::string& method, const std::string& token,
                             std::map<std::string, std::string> params = {},
                             const std::string& agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0")
    {
        CrmHost::Request r;
        r.method = method;
        r.params = std::move(params);
        r.params["token"] = token;
        r.userAgent = agent;
        r.clientAddress = "203.0.113.7";
        r.hasRight = [](const std::string&, long) { return false; };
        return r;
    }

    int count(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        Poco::Data::Statement select(session);
        select << sql, now;
        Poco::Data::RecordSet set(select);
        return set.rowCount() == 0 || set.value(0, 0).isEmpty() ? 0 : set.value(0, 0).convert<int>();
    }

    std::string text(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        Poco::Data::Statement select(session);
        select << sql, now;
        Poco::Data::RecordSet set(select);
        return set.rowCount() == 0 || set.value(0, 0).isEmpty() ? "" : set.value(0, 0).convert<std::string>();
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    CrmHost::Catalogue _catalogue;
    std::unique_ptr<CrmHost::MustacheRenderer> _renderer;
    std::unique_ptr<LinkSigner> _signer;
    std::unique_ptr<GroupSettings> _groups;
    std::unique_ptr<CampaignLinks> _links;
    std::unique_ptr<MessageTracking> _tracking;
    std::unique_ptr<EventRecorder> _recorder;
    std::unique_ptr<TrackingScreen> _screen;
    Campaign _campaign;
    long _group = 0, _other = 0, _otherCampaign = 0;
    std::vector<long> _rows;
    Poco::DateTime _now;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpensAndClicksTest);
