#include "audience/SavedFilter.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::SavedFilter;

namespace
{
std::string refusal(const std::string& type, const std::string& definition)
{
    try
    {
        SavedFilter(9, "Mon filtre", type, definition);
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        return error.displayText();
    }
    return "";
}
} // namespace

// The definitions of saved filters and smartlists, turned into SQL with bound values only.
class SavedFilterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SavedFilterTest);
    CPPUNIT_TEST(testOneConditionBecomesOneBoundComparison);
    CPPUNIT_TEST(testAllConditionsMustHold);
    CPPUNIT_TEST(testInTakesOneBoundValuePerItem);
    CPPUNIT_TEST(testEmptyInHoldsForNobody);
    CPPUNIT_TEST(testValuesWithQuotesAreBoundNotWritten);
    CPPUNIT_TEST(testFieldOutsideTheTypesListIsRefusedNamingTheFilter);
    CPPUNIT_TEST(testMalformedDefinitionsAreRefused);
    CPPUNIT_TEST(testEachTypeHasItsOwnFields);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOneConditionBecomesOneBoundComparison()
    {
        SavedFilter filter(1, "Contacts à Lyon", "contacts", R"({"field":"city","op":"=","value":"Lyon"})");
        std::vector<std::string> bindings{"3"};
        CPPUNIT_ASSERT_EQUAL(std::string("(c.city = ?)"), filter.condition("c", bindings));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), bindings.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Lyon"), bindings[1]);

        SavedFilter different(2, "Hors Lyon", "contacts", R"({"field":"city","op":"!=","value":"Lyon"})");
        bindings.clear();
        CPPUNIT_ASSERT_EQUAL(std::string("(d.city <> ?)"), different.condition("d", bindings));
    }

    void testAllConditionsMustHold()
    {
        SavedFilter filter(5, "Pistes du salon", "leads",
                           R"({"all":[{"field":"source","op":"=","value":"salon"},)"
                           R"({"field":"status","op":"in","value":["new","contacted","qualified"]}]})");
        std::vector<std::string> bindings;
        CPPUNIT_ASSERT_EQUAL(std::string("(l.source = ? AND l.status IN (?, ?, ?))"),
                             filter.condition("l", bindings));
        CPPUNIT_ASSERT_EQUAL(std::string("salon new contacted qualified"),
                             bindings[0] + " " + bindings[1] + " " + bindings[2] + " " + bindings[3]);
    }

    void testInTakesOneBoundValuePerItem()
    {
        SavedFilter filter(3, "Lyon et Grenoble", "accounts",
                           R"({"field":"city","op":"in","value":["Lyon","Grenoble"]})");
        std::vector<std::string> bindings;
        CPPUNIT_ASSERT_EQUAL(std::string("(a.city IN (?, ?))"), filter.condition("a", bindings));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), bindings.size());
    }

    void testEmptyInHoldsForNobody()
    {
        SavedFilter filter(3, "Personne", "accounts", R"({"field":"city","op":"in","value":[]})");
        std::vector<std::string> bindings;
        CPPUNIT_ASSERT_EQUAL(std::string("(1 = 0)"), filter.condition("a", bindings));
        CPPUNIT_ASSERT(bindings.empty());
    }

    void testValuesWithQuotesAreBoundNotWritten()
    {
        const std::string evil = "Lyon' OR '1'='1\"; DROP TABLE people; --";
        SavedFilter filter(
            4, "Piège", "members",
            R"({"field":"locale","op":"=","value":"Lyon' OR '1'='1\"; DROP TABLE people; --"})");
        std::vector<std::string> bindings;
        std::string sql = filter.condition("p", bindings);
        CPPUNIT_ASSERT_EQUAL(std::string("(p.locale = ?)"), sql);
        CPPUNIT_ASSERT_EQUAL(evil, bindings.at(0));
    }

    void testFieldOutsideTheTypesListIsRefusedNamingTheFilter()
    {
        std::string message =
            refusal("contacts", R"({"field":"email; DROP TABLE people","op":"=","value":"x"})");
        CPPUNIT_ASSERT_MESSAGE(message, message.find("Mon filtre") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(message, message.find("unknown field") != std::string::npos);
        // A column of another type's table is not a field of this one.
        CPPUNIT_ASSERT(!refusal("contacts", R"({"field":"segment","op":"=","value":"PME"})").empty());
        CPPUNIT_ASSERT(!refusal("leads", R"({"field":"email","op":"=","value":"a@example.org"})").empty());
        CPPUNIT_ASSERT(!refusal("members", R"({"field":"CITY","op":"=","value":"Lyon"})").empty());
    }

    void testMalformedDefinitionsAreRefused()
    {
        for (const char* definition : {
                 "",
                 "not json",
                 "[]",
                 "\"city\"",
                 R"({"field":"city","op":"=","value":"Lyon")",
                 R"({"field":"city","op":"like","value":"Ly%"})",
                 R"({"field":"city","op":"=","value":["Lyon"]})",
                 R"({"field":"city","op":"=","value":42})",
                 R"({"field":"city","op":"in","value":"Lyon"})",
                 R"({"field":"city","op":"in","value":["Lyon",7]})",
                 R"({"field":"city","op":"="})",
                 R"({"field":"city","op":"=","value":"Lyon","or":"1=1"})",
                 R"({"all":{"field":"city"}})",
                 R"({"all":[{"all":[]}]})",
                 R"({"all":[],"field":"city"})",
                 R"({"field":7,"op":"=","value":"x"})",
             })
        {
            CPPUNIT_ASSERT_MESSAGE(definition, !refusal("contacts", definition).empty());
        }
        CPPUNIT_ASSERT(!refusal("targets", R"({"field":"city","op":"=","value":"Lyon"})").empty());
    }

    void testEachTypeHasItsOwnFields()
    {
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), SavedFilter::fields("contacts").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), SavedFilter::fields("accounts").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), SavedFilter::fields("leads").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), SavedFilter::fields("members").size());
        CPPUNIT_ASSERT(SavedFilter::fields("targets").empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SavedFilterTest);
