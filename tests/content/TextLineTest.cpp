// The rules of the text fields: limits in characters, control characters refused by name.
#include "content/TextLine.h"
#include "content/ContentException.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::FieldException;
using MassMailing::TextLine;

class TextLineTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TextLineTest);
    CPPUNIT_TEST(testCharactersAreCodePoints);
    CPPUNIT_TEST(testEachWrongLineIsRefusedWithItsCode);
    CPPUNIT_TEST_SUITE_END();

    static std::string refusal(const std::string& value, std::size_t max)
    {
        try
        {
            TextLine::check("subject", value, max);
        }
        catch (const FieldException& error)
        {
            return error.field() + " " + error.code();
        }
        return "accepted";
    }

public:
    void testCharactersAreCodePoints()
    {
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), TextLine::characters(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), TextLine::characters("R\xC3\xA9union"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), TextLine::characters("\xE2\x82\xAC\xF0\x9F\x8D\x85!")); // €🍅!
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), TextLine::characters("\xC3\xC3")); // not UTF-8: a byte each
    }

    void testEachWrongLineIsRefusedWithItsCode()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusal("\xC3\xA9\xC3\xA9\xC3\xA9", 3));
        CPPUNIT_ASSERT_EQUAL(std::string("subject too_long"), refusal("\xC3\xA9\xC3\xA9\xC3\xA9"
                                                                      "e",
                                                                      3));
        CPPUNIT_ASSERT_EQUAL(std::string("subject line_break"), refusal("a\nb", 10));
        CPPUNIT_ASSERT_EQUAL(std::string("subject control_character"), refusal(std::string("a\0b", 3), 10));
        CPPUNIT_ASSERT_EQUAL(std::string("subject control_character"), refusal("a\x1B[0m", 10));
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusal("a\tb", 10));
        try
        {
            TextLine::check("subject", std::string("a\0b", 3), 10);
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().find("U+0000") != std::string::npos);
        }
        TextLine::checkBody("text", "line\r\n\ttab\n");
        CPPUNIT_ASSERT_THROW(TextLine::checkBody("text", std::string("x\0", 2)), FieldException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextLineTest);
