#include "Routes.h"
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::matchPath;

class RoutesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RoutesTest);
    CPPUNIT_TEST(testLiteralPathMatchesItself);
    CPPUNIT_TEST(testModuleHomeMatchesTheEmptyPathOnly);
    CPPUNIT_TEST(testPlaceholderTakesTheSegmentsValue);
    CPPUNIT_TEST(testSeveralPlaceholdersAreAllFilled);
    CPPUNIT_TEST(testDifferentNumberOfSegmentsDoesNotMatch);
    CPPUNIT_TEST(testDifferentLiteralSegmentDoesNotMatchAndFillsNothing);
    CPPUNIT_TEST(testTrailingAndDoubledSlashesDoNotMatter);
    CPPUNIT_TEST(testQueryParametersAreKeptBesideThePlaceholders);
    CPPUNIT_TEST(testPathPlaceholderWinsOverAQueryParameterOfTheSameName);
    CPPUNIT_TEST_SUITE_END();

public:
    void testLiteralPathMatchesItself()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(matchPath("campaigns", "campaigns", params));
        CPPUNIT_ASSERT(matchPath("campaigns/new", "campaigns/new", params));
        CPPUNIT_ASSERT(!matchPath("campaigns", "Campaigns", params));
        CPPUNIT_ASSERT(params.empty());
    }

    void testModuleHomeMatchesTheEmptyPathOnly()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(matchPath("", "", params));
        CPPUNIT_ASSERT(!matchPath("", "status", params));
        CPPUNIT_ASSERT(!matchPath("status", "", params));
    }

    void testPlaceholderTakesTheSegmentsValue()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(matchPath("campaigns/{id}", "campaigns/42", params));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), params["id"]);
    }

    void testSeveralPlaceholdersAreAllFilled()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(
            matchPath("campaigns/{id}/recipients/{recipient}", "campaigns/7/recipients/abc", params));
        CPPUNIT_ASSERT_EQUAL(std::string("7"), params["id"]);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), params["recipient"]);
    }

    void testDifferentNumberOfSegmentsDoesNotMatch()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(!matchPath("campaigns/{id}", "campaigns", params));
        CPPUNIT_ASSERT(!matchPath("campaigns/{id}", "campaigns/4/summary", params));
        CPPUNIT_ASSERT(params.empty());
    }

    void testDifferentLiteralSegmentDoesNotMatchAndFillsNothing()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(!matchPath("campaigns/{id}/approve", "campaigns/4/reject", params));
        CPPUNIT_ASSERT_MESSAGE("a failed match must not leave the placeholder behind", params.empty());
    }

    void testTrailingAndDoubledSlashesDoNotMatter()
    {
        std::map<std::string, std::string> params;
        CPPUNIT_ASSERT(matchPath("campaigns/{id}", "campaigns/9/", params));
        CPPUNIT_ASSERT(matchPath("campaigns/{id}", "/campaigns//9", params));
        CPPUNIT_ASSERT_EQUAL(std::string("9"), params["id"]);
    }

    void testQueryParametersAreKeptBesideThePlaceholders()
    {
        std::map<std::string, std::string> params{{"status", "sent"}, {"limit", "10"}};
        CPPUNIT_ASSERT(matchPath("campaigns/{id}/recipients", "campaigns/3/recipients", params));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), params["id"]);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), params["status"]);
        CPPUNIT_ASSERT_EQUAL(std::string("10"), params["limit"]);
    }

    void testPathPlaceholderWinsOverAQueryParameterOfTheSameName()
    {
        // GET campaigns/3?id=4 is about campaign 3: a query string must not redirect a
        // handler to another record than the one in its path.
        std::map<std::string, std::string> params{{"id", "4"}};
        CPPUNIT_ASSERT(matchPath("campaigns/{id}", "campaigns/3", params));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), params["id"]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RoutesTest);
