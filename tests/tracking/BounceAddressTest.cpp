#include "content/BounceAddress.h"
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

using MassMailing::BounceAddress;
using MassMailing::BounceToken;
using MassMailing::InvalidBounceAddressException;

namespace
{
bool refusedSaying(const BounceAddress& signer, const std::string& address, const std::string& words)
{
    try
    {
        signer.parse(address);
    }
    catch (const InvalidBounceAddressException& error)
    {
        return error.message().find(words) != std::string::npos;
    }
    return false;
}
} // namespace

// The VERP bounce address (R3): it names its recipient row, survives a mail server changing its
// case, and cannot be made up.
class BounceAddressTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BounceAddressTest);
    CPPUNIT_TEST(testAddressNamesItsRowAndIsShortAndLowerCase);
    CPPUNIT_TEST(testAddressReadsBackInAnyCaseAndInAngleBrackets);
    CPPUNIT_TEST(testTestMessageIsMarkedAsSuch);
    CPPUNIT_TEST(testDomainIsTheGroupsElseTheSenders);
    CPPUNIT_TEST(testChangedCharacterIsRefusedAsForged);
    CPPUNIT_TEST(testOtherKeysTokenIsRefused);
    CPPUNIT_TEST(testWrongLengthAndForeignCharactersAreRefused);
    CPPUNIT_TEST(testUnknownVersionIsRefusedAsSuch);
    CPPUNIT_TEST(testWhatIsNotABounceAddressIsRefused);
    CPPUNIT_TEST(testTokenIsFoundInAHeaderOrAQuotedText);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAddressNamesItsRowAndIsShortAndLowerCase()
    {
        BounceAddress signer(std::string(32, 'k'));
        auto path = signer.returnPath({3, 123456789, false}, "bounces.example.org", "news@example.org");
        CPPUNIT_ASSERT_EQUAL(0, int(path.address.find("bounce+" + path.token + "@bounces.example.org")));
        CPPUNIT_ASSERT(path.token.size() <= 40);
        CPPUNIT_ASSERT_EQUAL(Poco::toLower(path.token), path.token);
        CPPUNIT_ASSERT(BounceToken({3, 123456789, false}) == signer.parse(path.address));
        CPPUNIT_ASSERT(path.address.size() - std::string("@bounces.example.org").size() <=
                       64); // RFC 5321 local part
        // The format, pinned: version 1, no flags, campaign 3, row 12, 80 bits of HMAC-SHA256
        // (the fuzz corpus holds this token too).
        CPPUNIT_ASSERT_EQUAL(std::string("aeaagdcxlbmpain4kiz4bta"), signer.token({3, 12, false}));
    }

    void testAddressReadsBackInAnyCaseAndInAngleBrackets()
    {
        BounceAddress signer(std::string(32, 'k'));
        std::string address = signer.returnPath({7, 42, false}, "", "news@Example.org").address;
        CPPUNIT_ASSERT(BounceToken({7, 42, false}) == signer.parse(Poco::toUpper(address)));
        CPPUNIT_ASSERT(BounceToken({7, 42, false}) == signer.parse("<" + address + ">"));
    }

    void testTestMessageIsMarkedAsSuch()
    {
        BounceAddress signer(std::string(32, 'k'));
        BounceToken token = signer.verify(signer.token({7, 0, true}));
        CPPUNIT_ASSERT(token.test);
        CPPUNIT_ASSERT(!signer.verify(signer.token({7, 0, false})).test);
    }

    void testDomainIsTheGroupsElseTheSenders()
    {
        BounceAddress signer(std::string(32, 'k'));
        CPPUNIT_ASSERT(Poco::endsWith(signer.returnPath({1, 2, false}, "", "news@Example.ORG").address,
                                      std::string("@example.org")));
        CPPUNIT_ASSERT(
            Poco::endsWith(signer.returnPath({1, 2, false}, "b.example.net", "news@example.org").address,
                           std::string("@b.example.net")));
        CPPUNIT_ASSERT_THROW(signer.returnPath({1, 2, false}, "", "nodomain"),
                             Poco::InvalidArgumentException);
    }

    void testChangedCharacterIsRefusedAsForged()
    {
        BounceAddress signer(std::string(32, 'k'));
        std::string token = signer.token({3, 12, false});
        for (std::size_t i = 0; i < token.size(); ++i)
        {
            std::string forged = token;
            forged[i] = forged[i] == 'a' ? 'b' : 'a';
            // The last character's spare bits make some changes a wrong length instead.
            try
            {
                signer.verify(forged);
                CPPUNIT_FAIL("a changed token was accepted: " + forged);
            }
            catch (const InvalidBounceAddressException&)
            {
            }
        }
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+" + std::string(token.size(), 'a') + "@example.org",
                                     "signature does not match"));
    }

    void testOtherKeysTokenIsRefused()
    {
        BounceAddress ours(std::string(32, 'k')), theirs(std::string(32, 'j'));
        CPPUNIT_ASSERT(refusedSaying(ours, "bounce+" + theirs.token({3, 12, false}) + "@example.org",
                                     "signed with another key"));
    }

    void testWrongLengthAndForeignCharactersAreRefused()
    {
        BounceAddress signer(std::string(32, 'k'));
        std::string token = signer.token({3, 12, false});
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+" + token.substr(0, 8) + "@example.org", "too short"));
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+" + token + "ab@example.org", "length"));
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+" + std::string(60, 'a') + "@example.org", "longer"));
        CPPUNIT_ASSERT(
            refusedSaying(signer, "bounce+" + token.substr(1) + "1@example.org", "outside base32"));
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+@example.org", "empty"));
    }

    void testUnknownVersionIsRefusedAsSuch()
    {
        // A token of a later version, rightly signed: version 2, no flags, campaign 3, row 12.
        const std::string key(32, 'k');
        std::string payload = std::string("\x02\x00\x03\x0c", 4);
        const std::string data = "massmailing bounce address\n" + payload;
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), digest, &size);
        std::string bytes = payload + std::string(reinterpret_cast<const char*>(digest), 10);
        std::string text;
        const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
        unsigned buffer = 0;
        int bits = 0;
        for (char c : bytes)
        {
            buffer = (buffer << 8) | static_cast<unsigned char>(c);
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text += alphabet[(buffer >> bits) & 31];
            }
        }
        if (bits > 0)
            text += alphabet[(buffer << (5 - bits)) & 31];
        CPPUNIT_ASSERT(
            refusedSaying(BounceAddress(key), "bounce+" + text + "@example.org", "unknown version 2"));
    }

    void testWhatIsNotABounceAddressIsRefused()
    {
        BounceAddress signer(std::string(32, 'k'));
        CPPUNIT_ASSERT(refusedSaying(signer, "news@example.org", "is not a bounce address"));
        CPPUNIT_ASSERT(refusedSaying(signer, "bounce+abc", "is not a bounce address"));
        CPPUNIT_ASSERT_THROW(BounceAddress("short"), Poco::InvalidArgumentException);
    }

    void testTokenIsFoundInAHeaderOrAQuotedText()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("abc234"),
                             BounceAddress::find("Return-Path: <BOUNCE+ABC234@example.org>"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), BounceAddress::find("xbounce+abc@example.org"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), BounceAddress::find("bounce+ no token here"));
        CPPUNIT_ASSERT_EQUAL(std::string("zz"), BounceAddress::find("bounce+ then, bounce+zz@x.org"));
        // Found by fuzz_delivery_report: one character more than a token can hold is no token.
        const std::string longest(BounceAddress::MAX_TOKEN_SIZE, 'a');
        CPPUNIT_ASSERT_EQUAL(longest, BounceAddress::find("bounce+" + longest + "@x.org"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), BounceAddress::find("bounce+" + longest + "a@x.org"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BounceAddressTest);
