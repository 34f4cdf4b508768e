#include "ClientAddress.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::ClientAddress;

// Who a request comes from behind a reverse proxy: the login throttle counts per client, and
// the tracking records the client, never the proxy; a header anyone can write is not believed.
class ClientAddressTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ClientAddressTest);
    CPPUNIT_TEST(testWithoutTrustedProxiesThePeerIsTheClient);
    CPPUNIT_TEST(testATrustedProxyNamesItsClient);
    CPPUNIT_TEST(testTheClientIsTheFirstUntrustedEntryFromTheRight);
    CPPUNIT_TEST(testAForgedOrBrokenEntryIsNotFollowed);
    CPPUNIT_TEST(testABadTrustedProxyNamesTheEntry);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWithoutTrustedProxiesThePeerIsTheClient()
    {
        ClientAddress addresses;
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), addresses.of("127.0.0.1", "203.0.113.7"));
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), addresses.of("::1", ""));
    }

    void testATrustedProxyNamesItsClient()
    {
        ClientAddress addresses("127.0.0.1, ::1");
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"), addresses.of("127.0.0.1", "203.0.113.7"));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::5"), addresses.of("::1", " 2001:db8::5 "));
        // A trusted proxy that forwards nothing is the client itself.
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), addresses.of("127.0.0.1", ""));
    }

    void testTheClientIsTheFirstUntrustedEntryFromTheRight()
    {
        ClientAddress addresses("10.0.0.1 10.0.0.2");
        // The client wrote 198.51.100.9 itself; 203.0.113.7 is who reached the first proxy.
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.7"),
                             addresses.of("10.0.0.2", "198.51.100.9, 203.0.113.7, 10.0.0.1"));
        // An untrusted peer's header is not read at all.
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"), addresses.of("192.0.2.1", "203.0.113.7"));
    }

    void testAForgedOrBrokenEntryIsNotFollowed()
    {
        ClientAddress addresses("10.0.0.1");
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), addresses.of("10.0.0.1", "203.0.113.7, unknown"));
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), addresses.of("10.0.0.1", ",,,"));
        std::string many;
        for (int i = 0; i < 1000; ++i)
            many += "10.0.0.1, ";
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), addresses.of("10.0.0.1", many + "10.0.0.1"));
    }

    void testABadTrustedProxyNamesTheEntry()
    {
        try
        {
            ClientAddress addresses("127.0.0.1, proxy.example");
            CPPUNIT_FAIL("a host name was accepted as a trusted proxy");
        }
        catch (const Poco::InvalidArgumentException& e)
        {
            CPPUNIT_ASSERT(e.message().find("proxy.example") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientAddressTest);
