#include "LogText.h"
#include "SameOrigin.h"
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::logText;
using CrmHost::SameOrigin;

// What the host writes into its log from a request, and how it names a request's origin
// (finding 11).
class RequestGuardsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RequestGuardsTest);
    CPPUNIT_TEST(testControlCharactersReachTheLogEscapedOnOneLine);
    CPPUNIT_TEST(testUnicodeLineBreaksAreEscapedAndOtherTextKept);
    CPPUNIT_TEST(testOriginIsSchemeHostAndAnExplicitPortOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void testControlCharactersReachTheLogEscapedOnOneLine()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("a\\nb\\rc\\td\\x00e\\x1b[2Jf\\x7f"),
                             logText(std::string("a\nb\rc\td\0e\x1b[2Jf\x7f", 15)));
        // A backslash is doubled, so that "\n" typed as two characters is not a new line.
        CPPUNIT_ASSERT_EQUAL(std::string("x\\\\ny"), logText("x\\ny"));
    }

    void testUnicodeLineBreaksAreEscapedAndOtherTextKept()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("a\\xc2\\x85b\\xe2\\x80\\xa8c\\xe2\\x80\\xa9d"),
                             logText("a\xc2\x85"
                                     "b\xe2\x80\xa8"
                                     "c\xe2\x80\xa9"
                                     "d"));
        CPPUNIT_ASSERT_EQUAL(std::string("Élodie « ok » €"), logText("Élodie « ok » €"));
    }

    void testOriginIsSchemeHostAndAnExplicitPortOnly()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080"),
                             SameOrigin::originOf("http://127.0.0.1:8080/login?x=1"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://crm.example.org"),
                             SameOrigin::originOf("HTTPS://CRM.Example.org:443/"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://crm.example.org"),
                             SameOrigin::originOf("http://crm.example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string(), SameOrigin::originOf("null"));
        CPPUNIT_ASSERT_EQUAL(std::string(), SameOrigin::originOf("/relative/path"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestGuardsTest);
