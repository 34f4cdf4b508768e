// The Personalizer writes every value for its context: escaped in HTML whatever the tag's form,
// URLs checked once filled, headers on one line; sections nest at most MAX_SECTION_DEPTH deep.
#include "content/Personalizer.h"
#include "content/ContentException.h"
#include "content/HtmlSanitizer.h"
#include "content/MustacheTags.h"
#include "content/SafeUrl.h"
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace MassMailing;

namespace
{
const std::set<std::string> RECIPIENT{"first_name", "last_name", "email", "unsubscribe_url"};
const char* const SCRIPT = "<script>alert(1)</script>";

std::string html(const std::string& source, const std::map<std::string, std::string>& values,
                 const mstch::map& campaign = {})
{
    return Personalizer(source, RECIPIENT, campaign, Personalizer::Escaping::Html, "html").render(values);
}

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}
} // namespace

class PersonalizerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PersonalizerTest);
    CPPUNIT_TEST(testScriptFirstNameComesOutEscapedWhateverTheTagForm);
    CPPUNIT_TEST(testScriptSenderNameComesOutEscapedWhateverTheTagForm);
    CPPUNIT_TEST(testDelimiterChangesAndPartialsInsertNothing);
    CPPUNIT_TEST(testJavascriptUrlValueBecomesHarmless);
    CPPUNIT_TEST(testAllowedUrlValueIsKeptEscaped);
    CPPUNIT_TEST(testUrlIsCheckedAlsoInSectionsOverARecipientsValue);
    CPPUNIT_TEST(testStyleFilledWithAUrlLoadsNothing);
    CPPUNIT_TEST(testStoredBodyFilledWithAScriptFirstNameIsHarmless);
    CPPUNIT_TEST(testTextIsNotEscapedAndAHeaderGetsNoLineBreak);
    CPPUNIT_TEST(testOneRuleSaysWhichUrlsAreAllowed);
    CPPUNIT_TEST(testDeeplyNestedSectionsAreRefusedNamingTheField);
    CPPUNIT_TEST(testTagsMstchCannotReadAreASyntaxError);
    CPPUNIT_TEST(testARecipientsListIsRenderedLineByLineEscapedInHtmlOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void testScriptFirstNameComesOutEscapedWhateverTheTagForm()
    {
        const std::string out = html(
            "<p>{{first_name}} {{{first_name}}} {{&first_name}} {{ & first_name }} {{ {first_name} }}</p>",
            {{"first_name", SCRIPT}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<script") == std::string::npos);
        // mstch reads "{{ {first_name} }}" as a variable named "{first_name}": it inserts nothing.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t(4),
                                     count(out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    void testScriptSenderNameComesOutEscapedWhateverTheTagForm()
    {
        const std::string out = html("<p>{{sender_name}} {{{sender_name}}} {{&sender_name}}</p>", {},
                                     mstch::map{{"sender_name", std::string(SCRIPT)}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<script") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t(3), count(out, "&lt;script&gt;"));
    }

    void testDelimiterChangesAndPartialsInsertNothing()
    {
        const std::string out =
            html("<p>{{=<% %>=}}<%&first_name%> <%{sender_name}%> {{>first_name}}</p>",
                 {{"first_name", SCRIPT}}, mstch::map{{"sender_name", std::string(SCRIPT)}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<script") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("alert") == std::string::npos);
    }

    void testJavascriptUrlValueBecomesHarmless()
    {
        const std::string out = html("<a href=\"{{first_name}}\">a</a> <a href=\" {{ first_name }}\">b</a> "
                                     "<img src=\"{{first_name}}\" alt=\"\"> "
                                     "<a href=\"java{{last_name}}script:alert(2)\">c</a> "
                                     "<a href=\"{{sender_name}}\">d</a>",
                                     {{"first_name", "javascript:alert(1)"}, {"last_name", ""}},
                                     mstch::map{{"sender_name", std::string("JavaScript:alert(3)")}});
        CPPUNIT_ASSERT_MESSAGE(out, Poco::toLower(out).find("javascript") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("alert") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t(4), count(out, "href=\"#\""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t(1), count(out, "src=\"#\""));
        // A value that hides the scheme behind character references is no better.
        const std::string hidden =
            html("<a href=\"{{first_name}}\">a</a>", {{"first_name", "&#106;avascript:alert(1)"}});
        CPPUNIT_ASSERT_MESSAGE(hidden,
                               hidden.find("href=\"&amp;#106;avascript:alert(1)\"") != std::string::npos ||
                                   hidden.find("href=\"#\"") != std::string::npos);
    }

    void testAllowedUrlValueIsKeptEscaped()
    {
        const std::string out = html("<a href=\"{{unsubscribe_url}}\">désabonner</a> "
                                     "<a href=\"https://amap.example/r?u={{email}}\">ici</a>",
                                     {{"unsubscribe_url", "https://crm.example/p/massmailing/u/abc?x=1&y=2"},
                                      {"email", "marie@example.org"}});
        CPPUNIT_ASSERT_MESSAGE(out,
                               out.find("href=\"https://crm.example/p/massmailing/u/abc?x=1&amp;y=2\"") !=
                                   std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("href=\"https://amap.example/r?u=marie@example.org\"") !=
                                        std::string::npos);
        const std::string mail = html("<a href=\"mailto:{{email}}\">m</a>", {{"email", "a@example.org"}});
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("href=\"mailto:a@example.org\"") != std::string::npos);
    }

    void testARecipientsListIsRenderedLineByLineEscapedInHtmlOnly()
    {
        // An order's lines (Campaigns::orderLines): a dotted name, one level of mstch's nesting.
        const std::set<std::string> names{"first_name", "order.lines", "product", "quantity"};
        const RecipientLists lists{{"order.lines",
                                    {{{"product", "Fromage & <b>Brie</b>"}, {"quantity", "1"}},
                                     {{"product", "Pain"}, {"quantity", "2"}}}}};
        const std::string source =
            "{{first_name}}: {{#order.lines}}[{{quantity}} {{product}}]{{/order.lines}}";
        const std::string out = Personalizer(source, names, {}, Personalizer::Escaping::Html, "html")
                                    .render({{"first_name", "Ann"}}, lists);
        CPPUNIT_ASSERT_EQUAL(std::string("Ann: [1 Fromage &amp; &lt;b&gt;Brie&lt;&#x2F;b&gt;][2 Pain]"), out);
        const std::string text = Personalizer(source, names, {}, Personalizer::Escaping::Text, "text")
                                     .render({{"first_name", "Ann"}}, lists);
        CPPUNIT_ASSERT_EQUAL(std::string("Ann: [1 Fromage & <b>Brie</b>][2 Pain]"), text);
        // Without lines, the section renders nothing.
        CPPUNIT_ASSERT_EQUAL(std::string("Ann: "),
                             Personalizer(source, names, {}, Personalizer::Escaping::Text, "text")
                                 .render({{"first_name", "Ann"}}));
    }

    void testUrlIsCheckedAlsoInSectionsOverARecipientsValue()
    {
        // A section over a recipient's value is rendered by mstch per recipient.
        const std::string out =
            html("{{#first_name}}<a href=\"{{first_name}}\">{{{first_name}}}</a>{{/first_name}}",
                 {{"first_name", "javascript:alert(1)<b>"}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("href=\"#\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<b>") == std::string::npos);
    }

    void testStyleFilledWithAUrlLoadsNothing()
    {
        const std::string out = html(
            "<p style=\"color:{{first_name}}\">a</p><p style=\"color:{{last_name}}\">b</p>",
            {{"first_name", "red;background:url(https://tracker.example/p.gif)"}, {"last_name", "#336699"}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("tracker") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<p style=\"\">a</p>") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<p style=\"color:#336699\">b</p>") != std::string::npos);
    }

    void testStoredBodyFilledWithAScriptFirstNameIsHarmless()
    {
        // The whole way: what the composer typed, sanitised and stored, then filled from a CSV line.
        const std::string stored =
            HtmlSanitizer().sanitize("<p>Bonjour {{{first_name}}}</p><a href=\"{{first_name}}\">lien</a>");
        const std::string out = html(stored, {{"first_name", "javascript:alert(1)//<script>x</script>"}});
        CPPUNIT_ASSERT_MESSAGE(out, out.find("<script") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("href=\"#\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out,
                               out.find("Bonjour javascript:alert(1)//&lt;script&gt;") != std::string::npos);
    }

    void testTextIsNotEscapedAndAHeaderGetsNoLineBreak()
    {
        const std::map<std::string, std::string> values{
            {"first_name", "Tom & <Jerry>\r\nBcc: x@example.org\x01"}};
        const std::string text =
            Personalizer("Bonjour {{first_name}}", RECIPIENT, {}, Personalizer::Escaping::Text)
                .render(values);
        CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Tom & <Jerry>\r\nBcc: x@example.org"), text);
        const std::string subject = Personalizer("Bonjour {{first_name}} de {{sender_name}}", RECIPIENT,
                                                 mstch::map{{"sender_name", std::string("AMAP\nX-Evil: 1")}},
                                                 Personalizer::Escaping::Header)
                                        .render(values);
        CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Tom & <Jerry>  Bcc: x@example.org de AMAP X-Evil: 1"),
                             subject);
        CPPUNIT_ASSERT_EQUAL(std::string("Marie  Curie"), Personalizer::asHeader("Marie\r\nCurie\x7F"));
    }

    void testOneRuleSaysWhichUrlsAreAllowed()
    {
        using Use = SafeUrl::Use;
        for (const char* allowed : {"https://amap.example/a:b", "http://x", "mailto:a@b.c", "tel:+33123",
                                    "/relative", "page.html?a=b:c", "#top"})
            CPPUNIT_ASSERT_MESSAGE(allowed, SafeUrl::isAllowed(allowed, Use::Link));
        for (const char* refused : {"javascript:alert(1)", " JaVa\tScRiPt:x", "vbscript:x",
                                    "data:text/html,x", "file:///etc/passwd", "{{first_name}}", ""})
            CPPUNIT_ASSERT_MESSAGE(refused, !SafeUrl::isAllowed(refused, Use::Link));
        CPPUNIT_ASSERT(SafeUrl::isAllowed("cid:logo", Use::Image));
        CPPUNIT_ASSERT(SafeUrl::isAllowed("data:image/png;base64,AAAA", Use::Image));
        CPPUNIT_ASSERT(!SafeUrl::isAllowed("data:image/svg+xml,<svg>", Use::Image));
        CPPUNIT_ASSERT(!SafeUrl::isAllowed("cid:logo", Use::Link));
        CPPUNIT_ASSERT(SafeUrl::isAllowedAttribute("https://a.example/?x=1&amp;y=2", Use::Link));
        CPPUNIT_ASSERT(!SafeUrl::isAllowedAttribute("javascript&#58;alert(1)", Use::Link));
        CPPUNIT_ASSERT(!SafeUrl::isAllowedAttribute("javascript&colon;alert(1)", Use::Link));
    }

    void testDeeplyNestedSectionsAreRefusedNamingTheField()
    {
        std::string deep;
        for (int i = 0; i < 10000; ++i)
            deep += "{{#first_name}}";
        deep += "x";
        for (int i = 0; i < 10000; ++i)
            deep += "{{/first_name}}";
        try
        {
            Personalizer(deep, RECIPIENT, {}, Personalizer::Escaping::Text, "text");
            CPPUNIT_FAIL("10,000 nested sections were accepted");
        }
        catch (const FieldException& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("text"), e.field());
            CPPUNIT_ASSERT_EQUAL(std::string("too_deep"), e.code());
        }
        CPPUNIT_ASSERT_THROW(MustacheTags::checkNesting(deep, "subject"), FieldException);
        // Sections as a message uses them pass.
        const std::string used =
            "{{#first_name}}Bonjour {{first_name}}{{/first_name}}{{^first_name}}Bonjour{{/first_name}}";
        MustacheTags::checkNesting(used, "text");
        CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Marie"),
                             Personalizer(used, RECIPIENT, {}, Personalizer::Escaping::Text)
                                 .render({{"first_name", "Marie"}}));
    }

    void testTagsMstchCannotReadAreASyntaxError()
    {
        // Found by fuzz/template_variables: mstch threw std::length_error out of the Personalizer,
        // which the screens answered 500. Rendered or refused as a syntax error, never anything else.
        for (const std::string source : {"{{=}}", "{{ }}", "{{! }}", "{{> }}", "{{& }}", "{{{ }}}",
                                         "{{{}}{{ }}}", "{{#first_name}}{{ }}{{/first_name}}"})
            for (auto escaping : {Personalizer::Escaping::Html, Personalizer::Escaping::Text})
            {
                try
                {
                    Personalizer(source, RECIPIENT, {}, escaping, "html").render({{"first_name", "Ana"}});
                }
                catch (const Poco::SyntaxException&)
                {
                }
            }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PersonalizerTest);
