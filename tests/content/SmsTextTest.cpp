// The SMS encodings and segments (GSM 03.38 or UCS-2): the cases of sms_cases.json, which the
// composer's counter (plugin/web/sms.js) is checked against too.
#include "content/SmsText.h"
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::SmsCount;
using MassMailing::SmsText;

class SmsTextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SmsTextTest);
    CPPUNIT_TEST(testSharedCasesCountAsTheJavaScriptCounter);
    CPPUNIT_TEST(testExtensionTableCountsTwoAndOthersMakeUcs2);
    CPPUNIT_TEST(testBytesThatAreNotUtf8MakeUcs2);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSharedCasesCountAsTheJavaScriptCounter()
    {
        Poco::FileInputStream in(std::string(CONTENT_TEST_DIR) + "/sms_cases.json");
        auto root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        auto cases = root->getArray("cases");
        CPPUNIT_ASSERT(cases->size() >= 20);
        for (std::size_t i = 0; i < cases->size(); ++i)
        {
            auto one = cases->getObject(static_cast<unsigned>(i));
            std::string text;
            int repeat = one->optValue<int>("repeat", 1);
            for (int r = 0; r < repeat; ++r)
                text += one->getValue<std::string>("text");
            const SmsCount count = SmsText::count(text);
            const std::string name = one->getValue<std::string>("name");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, one->getValue<std::string>("encoding"), count.encoding);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, one->getValue<std::size_t>("characters"), count.characters);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, one->getValue<std::size_t>("units"), count.units);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, one->getValue<std::size_t>("segments"), count.segments);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, one->getValue<std::size_t>("left"), count.left);
        }
    }

    void testExtensionTableCountsTwoAndOthersMakeUcs2()
    {
        for (char32_t c : {U'€', U'[', U']', U'{', U'}', U'~', U'^', U'|', U'\\', U'\f'})
            CPPUNIT_ASSERT_EQUAL(2, SmsText::gsmUnits(c));
        for (char32_t c : {U'@', U'é', U'è', U'à', U'ù', U'Ç', U'ß', U'Δ', U'\n'})
            CPPUNIT_ASSERT_EQUAL(1, SmsText::gsmUnits(c));
        for (char32_t c : {U'ç', U'ê', U'ô', U'î', U'\u20AD', U'`', U'\t', U'😀'})
            CPPUNIT_ASSERT_EQUAL(0, SmsText::gsmUnits(c));
    }

    void testBytesThatAreNotUtf8MakeUcs2()
    {
        const SmsCount count = SmsText::count("ab\xC3(");
        CPPUNIT_ASSERT_EQUAL(std::string("ucs2"), count.encoding);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), count.characters);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmsTextTest);
