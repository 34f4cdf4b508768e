#include "content/TrackedLinks.h"
#include "content/Composer.h"
#include <cppunit/extensions/HelperMacros.h>
#include <vector>

using MassMailing::TrackedLinks;
using MassMailing::TrackingLinks;

namespace
{
bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

// What a message's links become when tracking is on, and stay when it is off, as a reader of
// the message (and a link scanner) finds them.
class TrackedLinksTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TrackedLinksTest);
    CPPUNIT_TEST(testEveryHttpLinkOfTheHtmlGoesThroughTheRedirect);
    CPPUNIT_TEST(testUnsubscribeMailtoAndTelLinksStayAsWritten);
    CPPUNIT_TEST(testImageAndTrapLinkComeBeforeTheEndOfTheBody);
    CPPUNIT_TEST(testPlainTextLinksAreTrackedWithoutTheirSentencesPunctuation);
    CPPUNIT_TEST(testTrackingOffLeavesTheMessageAsWritten);
    CPPUNIT_TEST(testComposerTracksTheSentMessageAndKeepsTheFooterLinks);
    CPPUNIT_TEST(testQuotesInALinkCannotBreakOutOfTheAttribute);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _clicked.clear();
        _links.click = [this](const std::string& url)
        {
            _clicked.push_back(url);
            return "https://crm.example/p/massmailing/c/T" + std::to_string(_clicked.size());
        };
        _links.open = "https://crm.example/p/massmailing/o/OPEN";
        _links.trap = "https://crm.example/p/massmailing/c/TRAP";
    }

    void testEveryHttpLinkOfTheHtmlGoesThroughTheRedirect()
    {
        const std::string html = "<p><a href=\"https://shop.example/a?x=1&amp;y=2\">Shop</a> "
                                 "<A HREF='http://news.example/b'>News</A> "
                                 "<map><area shape=\"rect\" href=\"https://map.example/c\"></map> "
                                 "<a title=\"x\" href=https://bare.example/d>bare</a></p>";
        const std::string out = TrackedLinks::html(html, _links, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), _clicked.size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/a?x=1&y=2"), _clicked[0]); // decoded
        CPPUNIT_ASSERT_EQUAL(std::string("http://news.example/b"), _clicked[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("https://map.example/c"), _clicked[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("https://bare.example/d"), _clicked[3]);
        CPPUNIT_ASSERT_MESSAGE(out,
                               contains(out, "<a href=\"https://crm.example/p/massmailing/c/T1\">Shop</a>"));
        CPPUNIT_ASSERT_MESSAGE(
            out, contains(out, "<area shape=\"rect\" href=\"https://crm.example/p/massmailing/c/T3\">"));
        CPPUNIT_ASSERT_MESSAGE(
            out, contains(out, "title=\"x\" href=\"https://crm.example/p/massmailing/c/T4\">bare"));
        CPPUNIT_ASSERT_MESSAGE(out, !contains(out, "shop.example"));
    }

    void testUnsubscribeMailtoAndTelLinksStayAsWritten()
    {
        const std::string unsubscribe = "https://crm.example/p/massmailing/unsubscribe/U";
        const std::string html =
            "<a href=\"mailto:a@example.org\">m</a><a href=\"tel:+331\">t</a>"
            "<a href=\"" +
            unsubscribe +
            "\">u</a><a href=\"#top\">top</a>"
            "<img src=\"https://img.example/i.png\"><!-- <a href=\"https://c.example\"> -->";
        const std::string out = TrackedLinks::html(html, _links, {unsubscribe});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _clicked.size());
        CPPUNIT_ASSERT_MESSAGE(
            out, contains(out, "<a href=\"mailto:a@example.org\">m</a><a href=\"tel:+331\">t</a>"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "<a href=\"" + unsubscribe + "\">u</a>"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "<img src=\"https://img.example/i.png\">"));
    }

    void testImageAndTrapLinkComeBeforeTheEndOfTheBody()
    {
        const std::string out = TrackedLinks::html("<html><body><p>Hi</p></BODY></html>", _links, {});
        const std::size_t image =
            out.find("<img src=\"https://crm.example/p/massmailing/o/OPEN\" width=\"1\" height=\"1\"");
        const std::size_t trap =
            out.find("<a href=\"https://crm.example/p/massmailing/c/TRAP\" style=\"display:none");
        CPPUNIT_ASSERT_MESSAGE(out, image != std::string::npos && trap != std::string::npos);
        CPPUNIT_ASSERT(image < out.find("</BODY>") && trap < out.find("</BODY>"));
        // The trap has no text a person could see or click, and no keyboard stop.
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "aria-hidden=\"true\" tabindex=\"-1\"></a>"));
        // Without a body element: at the end.
        const std::string bare = TrackedLinks::html("<p>Hi</p>", _links, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             bare.find("<p>Hi</p><a href=\"https://crm.example/p/massmailing/c/TRAP\""));
    }

    void testPlainTextLinksAreTrackedWithoutTheirSentencesPunctuation()
    {
        const std::string view = "https://crm.example/p/massmailing/view/V";
        const std::string text = "Order at https://shop.example/order?id=3. Or see (https://news.example/x), "
                                 "https://wiki.example/A_(b) and " +
                                 view + "\nmailto:a@example.org";
        const std::string out = TrackedLinks::text(text, _links, {view});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _clicked.size());
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/order?id=3"), _clicked[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("https://news.example/x"), _clicked[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("https://wiki.example/A_(b)"), _clicked[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("Order at https://crm.example/p/massmailing/c/T1. Or see "
                                         "(https://crm.example/p/massmailing/c/T2), "
                                         "https://crm.example/p/massmailing/c/T3 and " +
                                         view + "\nmailto:a@example.org"),
                             out);
    }

    void testTrackingOffLeavesTheMessageAsWritten()
    {
        const std::string html = "<p><a href=\"https://shop.example/a\">Shop</a></p>";
        CPPUNIT_ASSERT_EQUAL(html, TrackedLinks::html(html, TrackingLinks(), {}));
        CPPUNIT_ASSERT_EQUAL(std::string("See https://shop.example/a"),
                             TrackedLinks::text("See https://shop.example/a", TrackingLinks(), {}));
    }

    void testComposerTracksTheSentMessageAndKeepsTheFooterLinks()
    {
        MassMailing::Campaign campaign;
        campaign.id = 9;
        campaign.groupId = 2;
        campaign.senderEmail = "news@example.org";
        campaign.subject = "Hello";
        campaign.html = "<p>Hello {{first_name}}, <a href=\"https://shop.example/a\">shop</a></p>";
        MassMailing::Composer composer(campaign, mstch::map{}, [](const std::string& key) { return key; });
        MassMailing::Recipient recipient{"person", 4, "marie@example.org", "Marie", "", "", "fr", 77};
        MassMailing::MessageLinks links{"https://crm.example/p/massmailing/unsubscribe/U",
                                        "https://crm.example/p/massmailing/view/V", _links};

        MassMailing::MailMessage tracked = composer.compose(recipient, links);
        CPPUNIT_ASSERT_MESSAGE(
            tracked.html,
            contains(tracked.html, "Hello Marie, <a href=\"https://crm.example/p/massmailing/c/T"));
        CPPUNIT_ASSERT_MESSAGE(tracked.html, contains(tracked.html, "/o/OPEN"));
        CPPUNIT_ASSERT_MESSAGE(
            tracked.html, contains(tracked.html, "href=\"https://crm.example/p/massmailing/unsubscribe/U\""));
        CPPUNIT_ASSERT_MESSAGE(tracked.text, contains(tracked.text, "https://crm.example/p/massmailing/c/T"));
        CPPUNIT_ASSERT_MESSAGE(tracked.text, !contains(tracked.text, "shop.example"));
        CPPUNIT_ASSERT_MESSAGE(tracked.text,
                               contains(tracked.text, "https://crm.example/p/massmailing/view/V"));
        CPPUNIT_ASSERT(tracked.header("List-Unsubscribe"));
        CPPUNIT_ASSERT_EQUAL(std::string("<https://crm.example/p/massmailing/unsubscribe/U>"),
                             *tracked.header("List-Unsubscribe"));

        links.tracking = TrackingLinks();
        MassMailing::MailMessage plain = composer.compose(recipient, links);
        CPPUNIT_ASSERT_MESSAGE(plain.html,
                               contains(plain.html, "<a href=\"https://shop.example/a\">shop</a>"));
        CPPUNIT_ASSERT_MESSAGE(plain.html, !contains(plain.html, "/o/") && !contains(plain.html, "/c/"));
        CPPUNIT_ASSERT_MESSAGE(plain.text, contains(plain.text, "https://shop.example/a"));
    }

    void testQuotesInALinkCannotBreakOutOfTheAttribute()
    {
        _links.click = [](const std::string&) { return std::string("https://x.example/c/\"><script>"); };
        const std::string out = TrackedLinks::html("<a href=\"https://a.example/\">a</a>", _links, {});
        CPPUNIT_ASSERT_MESSAGE(out, !contains(out, "<script>"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "&quot;&gt;&lt;script&gt;"));
    }

private:
    TrackingLinks _links;
    std::vector<std::string> _clicked;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TrackedLinksTest);
