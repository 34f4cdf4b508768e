#include "PasswordHasher.h"
#include <Poco/RegularExpression.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::PasswordHasher;

class PasswordHasherTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PasswordHasherTest);
    CPPUNIT_TEST(testRightPasswordIsAccepted);
    CPPUNIT_TEST(testWrongPasswordIsRefused);
    CPPUNIT_TEST(testTwoHashesOfOnePasswordDifferAndBothVerify);
    CPPUNIT_TEST(testStoredValueHoldsNeitherThePasswordNorItsPlainDigest);
    CPPUNIT_TEST(testMalformedStoredValuesAreRefusedWithoutThrowing);
    CPPUNIT_TEST(testRandomTokensAreLongDistinctHex);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRightPasswordIsAccepted()
    {
        std::string stored = PasswordHasher::hash("correct horse battery");
        CPPUNIT_ASSERT(PasswordHasher::verify("correct horse battery", stored));
        CPPUNIT_ASSERT(PasswordHasher::verify("", PasswordHasher::hash("")));
        CPPUNIT_ASSERT(PasswordHasher::verify("mot de passe é", PasswordHasher::hash("mot de passe é")));
    }

    void testWrongPasswordIsRefused()
    {
        std::string stored = PasswordHasher::hash("correct horse battery");
        CPPUNIT_ASSERT(!PasswordHasher::verify("correct horse batterY", stored));
        CPPUNIT_ASSERT(!PasswordHasher::verify("correct horse battery ", stored));
        CPPUNIT_ASSERT(!PasswordHasher::verify("", stored));
    }

    void testTwoHashesOfOnePasswordDifferAndBothVerify()
    {
        std::string first = PasswordHasher::hash("same password");
        std::string second = PasswordHasher::hash("same password");
        CPPUNIT_ASSERT(first != second);
        CPPUNIT_ASSERT(PasswordHasher::verify("same password", first));
        CPPUNIT_ASSERT(PasswordHasher::verify("same password", second));
    }

    void testStoredValueHoldsNeitherThePasswordNorItsPlainDigest()
    {
        std::string stored = PasswordHasher::hash("hunter2hunter2");
        CPPUNIT_ASSERT(
            Poco::RegularExpression("^pbkdf2-sha256\\$[0-9]+\\$[0-9a-f]{32}\\$[0-9a-f]{64}$").match(stored));
        CPPUNIT_ASSERT(stored.find("hunter2") == std::string::npos);
        CPPUNIT_ASSERT(stored.find(PasswordHasher::sha256("hunter2hunter2")) == std::string::npos);
    }

    void testMalformedStoredValuesAreRefusedWithoutThrowing()
    {
        std::string good = PasswordHasher::hash("secret-secret");
        std::string hashPart = good.substr(good.rfind('$') + 1);
        std::string saltPart = good.substr(0, good.rfind('$'));
        saltPart = saltPart.substr(saltPart.rfind('$') + 1);
        const std::string malformed[] = {
            "",
            "secret-secret",
            "pbkdf2-sha256",
            "pbkdf2-sha256$120000$" + saltPart,                            // no hash
            "md5$120000$" + saltPart + "$" + hashPart,                     // another scheme
            "pbkdf2-sha256$lots$" + saltPart + "$" + hashPart,             // iterations not a number
            "pbkdf2-sha256$0$" + saltPart + "$" + hashPart,                // no iterations
            "pbkdf2-sha256$-5$" + saltPart + "$" + hashPart,               // negative iterations
            "pbkdf2-sha256$120000$" + saltPart + "$" + hashPart.substr(2), // truncated hash
            good + "$extra",
        };
        for (const auto& stored : malformed)
        {
            bool accepted = true;
            CPPUNIT_ASSERT_NO_THROW_MESSAGE(stored,
                                            accepted = PasswordHasher::verify("secret-secret", stored));
            CPPUNIT_ASSERT_MESSAGE("accepted \"" + stored + "\"", !accepted);
        }
    }

    void testRandomTokensAreLongDistinctHex()
    {
        std::string a = PasswordHasher::randomToken(), b = PasswordHasher::randomToken();
        CPPUNIT_ASSERT(Poco::RegularExpression("^[0-9a-f]{64}$").match(a));
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), PasswordHasher::randomToken(8).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordHasherTest);
