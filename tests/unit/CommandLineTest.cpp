#include "CommandLine.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::CommandLine;

class CommandLineTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CommandLineTest);
    CPPUNIT_TEST(testWordsAndOptionsAreToldApart);
    CPPUNIT_TEST(testRepeatedOptionKeepsEveryValueInOrder);
    CPPUNIT_TEST(testOptionWithEqualsSignTakesTheRest);
    CPPUNIT_TEST(testUntilIdleIsAFlagThatTakesNoValue);
    CPPUNIT_TEST(testOptionWithoutItsValueIsRefusedNamingIt);
    CPPUNIT_TEST(testMissingRequiredOptionIsRefusedNamingIt);
    CPPUNIT_TEST(testAbsentWordsAndOptionsGiveTheFallback);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWordsAndOptionsAreToldApart()
    {
        CommandLine command({"user", "add", "--login", "alice", "--password", "s3cret-pass", "--group", "4"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), command.words().size());
        CPPUNIT_ASSERT_EQUAL(std::string("user"), command.word(0));
        CPPUNIT_ASSERT_EQUAL(std::string("add"), command.word(1));
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), command.value("login"));
        CPPUNIT_ASSERT_EQUAL(std::string("s3cret-pass"), command.required("password"));
        CPPUNIT_ASSERT_EQUAL(std::string("4"), command.value("group"));
    }

    void testRepeatedOptionKeepsEveryValueInOrder()
    {
        CommandLine command({"user", "add", "--right", "massmailing.compose", "--login", "bob", "--right",
                             "massmailing.send"});
        std::vector<std::string> expected{"massmailing.compose", "massmailing.send"};
        CPPUNIT_ASSERT(expected == command.values("right"));
        CPPUNIT_ASSERT(command.values("group").empty());
    }

    void testOptionWithEqualsSignTakesTheRest()
    {
        CommandLine command({"seed-demo", "--people=300", "--seed=a=b"});
        CPPUNIT_ASSERT_EQUAL(std::string("300"), command.value("people"));
        CPPUNIT_ASSERT_EQUAL(std::string("a=b"), command.value("seed"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), command.words().size());
    }

    void testUntilIdleIsAFlagThatTakesNoValue()
    {
        CommandLine command({"task", "run", "--until-idle", "massmailing.send"});
        CPPUNIT_ASSERT(command.has("until-idle"));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.send"), command.word(2));
    }

    void testOptionWithoutItsValueIsRefusedNamingIt()
    {
        try
        {
            CommandLine command({"user", "token", "--login"});
            CPPUNIT_FAIL("accepted --login without a value");
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().find("--login") != std::string::npos);
        }
    }

    void testMissingRequiredOptionIsRefusedNamingIt()
    {
        CommandLine command({"module", "enable", "massmailing"});
        try
        {
            command.required("group");
            CPPUNIT_FAIL("required() found an absent --group");
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().find("--group") != std::string::npos);
        }
    }

    void testAbsentWordsAndOptionsGiveTheFallback()
    {
        CommandLine command({});
        CPPUNIT_ASSERT_EQUAL(std::string(""), command.word(0));
        CPPUNIT_ASSERT(!command.has("people"));
        CPPUNIT_ASSERT_EQUAL(std::string("1000"), command.value("people", "1000"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommandLineTest);
