#include "screens/UnsubscribeScreen.h"
#include "Catalogue.h"
#include "MustacheRenderer.h"
#include "TestDatabase.h"
#include "tracking/RecipientLinks.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;
using MassMailing::LinkPurpose;
using MassMailing::LinkSigner;
using MassMailing::LinkToken;
using MassMailing::Suppressions;
using MassMailing::UnsubscribeMethod;
using MassMailing::UnsubscribeScreen;

namespace
{
bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

// The public unsubscribe screens as a person (and a mailbox provider, and a link scanner)
// meet them, with the module's real templates and catalogue.
class UnsubscribeScreenTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(UnsubscribeScreenTest);
    CPPUNIT_TEST(testGetShowsTheGroupAndTheAddressWithoutUnsubscribing);
    CPPUNIT_TEST(testPostUnsubscribesAndOffersToResubscribe);
    CPPUNIT_TEST(testOneClickPostUnsubscribesAndAnswers200);
    CPPUNIT_TEST(testSecondVisitSaysTheAddressHasAlreadyLeft);
    CPPUNIT_TEST(testResubscribeButtonResubscribes);
    CPPUNIT_TEST(testAlteredTokenAnswers400AndChangesNothing);
    CPPUNIT_TEST(testViewOnlineTokenCannotUnsubscribe);
    CPPUNIT_TEST(testUnknownGroupAnswers404);
    CPPUNIT_TEST(testLinkOfATestMessageChangesNothingAndSaysSo);
    CPPUNIT_TEST(testPagesSpeakFrench);
    CPPUNIT_TEST(testGroupNameIsEscaped);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_tracking_screen");
        Poco::Data::Session session = _database->session();
        session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'AMAP des Capucins'), "
                   "('crm', 'Conseil <b>&</b> co')",
            now;
        std::vector<Poco::Int64> ids;
        session << "SELECT id FROM host_groups ORDER BY id", into(ids), now;
        _amap = long(ids.at(0));
        _council = long(ids.at(1));

        const std::string templates = std::string(CRMHOST_RESOURCE_DIR) + "/templates";
        _catalogue.load(templates, "massmailing");
        _renderer = std::make_unique<CrmHost::MustacheRenderer>(templates, "massmailing", _catalogue);
        _signer = std::make_unique<LinkSigner>(std::string(32, 'k'));
        _suppressions = std::make_unique<Suppressions>(*_database);
        _unsubscribes = std::make_unique<MassMailing::Unsubscribes>(*_database, *_suppressions,
                                                                    [] { return Poco::DateTime(); });
        _screen = std::make_unique<UnsubscribeScreen>(*_signer, *_suppressions, *_renderer, *_unsubscribes);
        _token = _signer->sign({LinkPurpose::Unsubscribe, _amap, 5, 42, ADDRESS});
    }

    void tearDown() override
    {
        _screen.reset();
        _unsubscribes.reset();
        _suppressions.reset();
        _database.reset();
    }

    void testLinkOfATestMessageChangesNothingAndSaysSo()
    {
        // Finding 6: a test sent to an outside address with a sample member carried the member's
        // own link, and one click unsubscribed them. A test's link names nobody.
        _suppressions->unsubscribe(_council, ADDRESS, 0,
                                   UnsubscribeMethod::Admin); // to show resubscribe is inert
        MassMailing::RecipientLinks links(*_signer, "https://crm.example.org/p/massmailing/");
        const std::string url = links.testUnsubscribeUrl(_amap, 5);
        const std::string test = url.substr(url.rfind('/') + 1);
        CPPUNIT_ASSERT(_signer->verify(test, LinkPurpose::Unsubscribe).test);
        CPPUNIT_ASSERT_EQUAL(std::string(""), _signer->verify(test, LinkPurpose::Unsubscribe).address);

        auto page = _screen->confirm(request("GET", test));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "This was a test message: nothing was changed"));
        CPPUNIT_ASSERT_MESSAGE(page.body, !contains(page.body, "<form"));
        auto posted = _screen->unsubscribe(request("POST", test, {{"confirm", "1"}}));
        CPPUNIT_ASSERT_EQUAL(200, posted.status);
        CPPUNIT_ASSERT_MESSAGE(posted.body, contains(posted.body, "nothing was changed"));
        auto oneClick = _screen->unsubscribe(request("POST", test, {{"List-Unsubscribe", "One-Click"}}));
        CPPUNIT_ASSERT_EQUAL(200, oneClick.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), oneClick.contentType);
        CPPUNIT_ASSERT_MESSAGE(oneClick.body, contains(oneClick.body, "nothing was changed"));
        CPPUNIT_ASSERT_EQUAL(200, _screen->resubscribe(request("POST", test)).status);
        CPPUNIT_ASSERT_EQUAL(1, rows()); // the admin's record only, untouched

        // Even a test's link signed with the sample's address (not what RecipientLinks makes)
        // acts on nobody: the mark decides.
        const std::string marked = _signer->sign({LinkPurpose::Unsubscribe, _amap, 5, 42, ADDRESS, true});
        CPPUNIT_ASSERT_EQUAL(
            200, _screen->unsubscribe(request("POST", marked, {{"List-Unsubscribe", "One-Click"}})).status);
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, ADDRESS));
        // And the mark cannot be taken off a signed link: it is inside the signature.
        CPPUNIT_ASSERT(!_signer->verify(_token, LinkPurpose::Unsubscribe).test);
    }

    void testGetShowsTheGroupAndTheAddressWithoutUnsubscribing()
    {
        auto response = _screen->confirm(request("GET", _token));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_MESSAGE(response.body, contains(response.body, "AMAP des Capucins"));
        CPPUNIT_ASSERT_MESSAGE(response.body, contains(response.body, ADDRESS));
        CPPUNIT_ASSERT_MESSAGE(response.body,
                               contains(response.body, "<form method=\"post\" action=\"" + _token + "\">"));
        CPPUNIT_ASSERT_MESSAGE(response.body, contains(response.body, ">Unsubscribe</button>"));
        CPPUNIT_ASSERT_EQUAL(std::string("Unsubscribe"), response.title);
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, ADDRESS));
    }

    void testPostUnsubscribesAndOffersToResubscribe()
    {
        auto response = _screen->unsubscribe(request("POST", _token, {{"confirm", "1"}}));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_MESSAGE(response.body,
                               contains(response.body, "You will no longer receive this group's messages"));
        CPPUNIT_ASSERT_MESSAGE(response.body,
                               contains(response.body, "action=\"" + _token + "/resubscribe\""));
        auto recorded = _suppressions->find(_amap, ADDRESS);
        CPPUNIT_ASSERT(recorded.has_value());
        CPPUNIT_ASSERT(recorded->method == UnsubscribeMethod::Link);
        CPPUNIT_ASSERT_EQUAL(5L, recorded->campaignId);
    }

    void testOneClickPostUnsubscribesAndAnswers200()
    {
        auto response = _screen->unsubscribe(request("POST", _token, {{"List-Unsubscribe", "One-Click"}}));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), response.contentType);
        CPPUNIT_ASSERT(response.standalone);
        CPPUNIT_ASSERT(response.body.size() < 200);
        auto recorded = _suppressions->find(_amap, ADDRESS);
        CPPUNIT_ASSERT(recorded.has_value());
        CPPUNIT_ASSERT(recorded->method == UnsubscribeMethod::OneClick);

        // A mailbox that posts twice changes nothing more, and still hears 200.
        CPPUNIT_ASSERT_EQUAL(
            200, _screen->unsubscribe(request("POST", _token, {{"List-Unsubscribe", "One-Click"}})).status);
        CPPUNIT_ASSERT(_suppressions->find(_amap, ADDRESS)->method == UnsubscribeMethod::OneClick);
    }

    void testSecondVisitSaysTheAddressHasAlreadyLeft()
    {
        _screen->unsubscribe(request("POST", _token, {{"confirm", "1"}}));
        auto response = _screen->confirm(request("GET", _token));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_MESSAGE(response.body,
                               contains(response.body, "You will no longer receive this group's messages"));
        CPPUNIT_ASSERT_MESSAGE(response.body, contains(response.body, "/resubscribe\""));
    }

    void testResubscribeButtonResubscribes()
    {
        _screen->unsubscribe(request("POST", _token, {{"confirm", "1"}}));
        CPPUNIT_ASSERT(_suppressions->isUnsubscribed(_amap, ADDRESS));
        auto response = _screen->resubscribe(request("POST", _token));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_MESSAGE(response.body,
                               contains(response.body, "You will receive this group's messages again"));
        CPPUNIT_ASSERT(!_suppressions->isUnsubscribed(_amap, ADDRESS));
    }

    void testAlteredTokenAnswers400AndChangesNothing()
    {
        // Someone changes the link to unsubscribe another address: another token, unsigned.
        std::string altered = _token;
        altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
        for (const std::string& bad : {altered, _token.substr(0, _token.size() - 1), std::string("nonsense")})
        {
            auto page = _screen->confirm(request("GET", bad));
            CPPUNIT_ASSERT_EQUAL(400, page.status);
            CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "This link is not valid"));
            CPPUNIT_ASSERT_EQUAL(400, _screen->unsubscribe(request("POST", bad, {{"confirm", "1"}})).status);
            auto oneClick = _screen->unsubscribe(request("POST", bad, {{"List-Unsubscribe", "One-Click"}}));
            CPPUNIT_ASSERT_EQUAL(400, oneClick.status);
            CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), oneClick.contentType);
            CPPUNIT_ASSERT_EQUAL(400, _screen->resubscribe(request("POST", bad)).status);
        }
        CPPUNIT_ASSERT_EQUAL(0, rows());
    }

    void testViewOnlineTokenCannotUnsubscribe()
    {
        std::string view = _signer->sign({LinkPurpose::ViewOnline, _amap, 5, 42, ADDRESS});
        CPPUNIT_ASSERT_EQUAL(
            400, _screen->unsubscribe(request("POST", view, {{"List-Unsubscribe", "One-Click"}})).status);
        CPPUNIT_ASSERT_EQUAL(0, rows());
    }

    void testUnknownGroupAnswers404()
    {
        std::string gone = _signer->sign({LinkPurpose::Unsubscribe, _council + 1000, 5, 42, ADDRESS});
        auto page = _screen->confirm(request("GET", gone));
        CPPUNIT_ASSERT_EQUAL(404, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "no longer exists"));
        CPPUNIT_ASSERT_EQUAL(404, _screen->unsubscribe(request("POST", gone, {{"confirm", "1"}})).status);
        CPPUNIT_ASSERT_EQUAL(0, rows());
    }

    void testPagesSpeakFrench()
    {
        auto confirm = _screen->confirm(request("GET", _token, {}, "fr"));
        CPPUNIT_ASSERT_MESSAGE(confirm.body, contains(confirm.body, ">Me d\xc3\xa9sabonner</button>"));
        CPPUNIT_ASSERT_EQUAL(std::string("D\xc3\xa9sabonnement"), confirm.title);
        auto done = _screen->unsubscribe(request("POST", _token, {{"confirm", "1"}}, "fr"));
        CPPUNIT_ASSERT_MESSAGE(done.body,
                               contains(done.body, "Vous ne recevrez plus les messages de ce groupe"));
        auto bad = _screen->confirm(request("GET", "nonsense", {}, "fr"));
        CPPUNIT_ASSERT_MESSAGE(bad.body, contains(bad.body, "Ce lien n&#39;est pas valable"));
    }

    void testGroupNameIsEscaped()
    {
        std::string token = _signer->sign({LinkPurpose::Unsubscribe, _council, 0, 7, "x<y>@example.org"});
        auto page = _screen->confirm(request("GET", token));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Conseil &lt;b&gt;&amp;&lt;&#x2F;b&gt; co"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "x&lt;y&gt;@example.org"));
        CPPUNIT_ASSERT_MESSAGE(page.body, !contains(page.body, "<b>"));
    }

private:
    static constexpr const char* ADDRESS = "Marie.Dupont@amap-capucins.example";

    // What the host hands a public screen: no user, no group, no CSRF token, no right.
    static CrmHost::Request request(const std::string& method, const std::string& token,
                                    std::map<std::string, std::string> form = {},
                                    const std::string& locale = "en")
    {
        CrmHost::Request r;
        r.method = method;
        r.path = "unsubscribe/" + token;
        r.params = std::move(form);
        r.params["token"] = token;
        r.locale = locale;
        r.hasRight = [](const std::string&, long) { return false; };
        return r;
    }

    int rows()
    {
        Poco::Data::Session session = _database->session();
        int count = 0;
        session << "SELECT COUNT(*) FROM mm_unsubscribes", into(count), now;
        return count;
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    CrmHost::Catalogue _catalogue;
    std::unique_ptr<CrmHost::MustacheRenderer> _renderer;
    std::unique_ptr<LinkSigner> _signer;
    std::unique_ptr<Suppressions> _suppressions;
    std::unique_ptr<MassMailing::Unsubscribes> _unsubscribes;
    std::unique_ptr<UnsubscribeScreen> _screen;
    std::string _token;
    long _amap = 0;
    long _council = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(UnsubscribeScreenTest);
