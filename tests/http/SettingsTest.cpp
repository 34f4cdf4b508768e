// The module's settings as an administrator meets them with the real crmhost binary: a value
// the module cannot use stops the host at once, naming the key and the values allowed, instead
// of a host that runs and a send that spins.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;

class SettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SettingsTest);
    CPPUNIT_TEST(testHostWithAnUnknownTransportRefusesToStartNamingTheKeyAndTheAllowedValues);
    CPPUNIT_TEST(testNumberSettingOutOfRangeRefusesTheSendTask);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHostWithAnUnknownTransportRefusesToStartNamingTheKeyAndTheAllowedValues()
    {
        CrmHostServer server("crmhost_test_settings");
        server.configure("massmailing.transport", "sendgrid");
        CrmHostServer::Output task = server.run({"task", "run", "massmailing.send", "--until-idle"});
        CPPUNIT_ASSERT_MESSAGE(task.text + task.errors, task.exitCode != 0);
        for (const char* part : {"massmailing.transport", "sendgrid", "outbox, smtp"})
            CPPUNIT_ASSERT_MESSAGE(task.errors, contains(task.errors, part));
        try
        {
            server.start();
            CPPUNIT_FAIL("the host serves with a transport it does not have");
        }
        catch (const Poco::Exception& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "massmailing.transport"));
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "outbox, smtp"));
        }
    }

    void testNumberSettingOutOfRangeRefusesTheSendTask()
    {
        CrmHostServer server("crmhost_test_settings");
        server.configure("massmailing.smtp.connections", "0");
        CrmHostServer::Output task = server.run({"task", "run", "massmailing.send"});
        CPPUNIT_ASSERT_MESSAGE(task.text + task.errors, task.exitCode != 0);
        CPPUNIT_ASSERT_MESSAGE(task.errors, contains(task.errors, "massmailing.smtp.connections"));
        CPPUNIT_ASSERT_MESSAGE(task.errors, contains(task.errors, "from 1 to 1000"));
        server.configure("massmailing.smtp.connections", "2");
        CPPUNIT_ASSERT_EQUAL(0, server.run({"task", "run", "massmailing.send"}).exitCode);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SettingsTest);
