#include "SecretBox.h"
#include "TempFolder.h"
#include "tracking/SigningKey.h"
#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

using MassMailing::SecretBox;
using MassMailing::SecretException;
using MassMailing::SigningKey;

// The sealing of stored secrets (SMTP password, DKIM keys) with the host's key: AES-256-GCM.
class SecretBoxTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SecretBoxTest);
    CPPUNIT_TEST(testSealedSecretOpensToItselfAndHidesIt);
    CPPUNIT_TEST(testTheSameSecretSealsDifferentlyEachTime);
    CPPUNIT_TEST(testChangedSecretIsRefused);
    CPPUNIT_TEST(testAnotherKeyCannotOpenIt);
    CPPUNIT_TEST(testTheKeyIsMadeOnceInTheDataFolderForTheOwnerOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSealedSecretOpensToItselfAndHidesIt()
    {
        const SecretBox box(std::string(32, 'k'));
        const std::string sealed = box.seal("Tr3s-Secret");
        CPPUNIT_ASSERT(SecretBox::isSealed(sealed));
        CPPUNIT_ASSERT(sealed.find("Tr3s-Secret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("Tr3s-Secret"), box.open(sealed));
        CPPUNIT_ASSERT_EQUAL(std::string(), box.open(box.seal("")));
        const std::string pem(3000, 'p');
        CPPUNIT_ASSERT_EQUAL(pem, box.open(box.seal(pem)));
    }

    void testTheSameSecretSealsDifferentlyEachTime()
    {
        const SecretBox box(std::string(32, 'k'));
        CPPUNIT_ASSERT(box.seal("same") != box.seal("same"));
    }

    void testChangedSecretIsRefused()
    {
        const SecretBox box(std::string(32, 'k'));
        std::string sealed = box.seal("Tr3s-Secret");
        sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT_THROW(box.open(sealed), SecretException);
        CPPUNIT_ASSERT_THROW(box.open("Tr3s-Secret"), SecretException);
        CPPUNIT_ASSERT_THROW(box.open(std::string(SecretBox::PREFIX) + "AAAA"), SecretException);
    }

    void testAnotherKeyCannotOpenIt()
    {
        const std::string sealed = SecretBox(std::string(32, 'k')).seal("Tr3s-Secret");
        CPPUNIT_ASSERT_THROW(SecretBox(std::string(32, 'j')).open(sealed), SecretException);
        CPPUNIT_ASSERT_THROW(SecretBox("short"), Poco::InvalidArgumentException);
    }

    void testTheKeyIsMadeOnceInTheDataFolderForTheOwnerOnly()
    {
        CrmHostTests::TempFolder folder("settings-key");
        const SigningKey first(folder.path(), "", SigningKey::SECRETS_FILE_NAME);
        const SigningKey again(folder.path(), "", SigningKey::SECRETS_FILE_NAME);
        CPPUNIT_ASSERT_EQUAL(std::size_t(32), first.bytes().size());
        CPPUNIT_ASSERT(first.bytes() == again.bytes());
        CPPUNIT_ASSERT(first.bytes() != SigningKey(folder.path(), "").bytes()); // not the links' key
        struct stat info;
        CPPUNIT_ASSERT_EQUAL(
            0, ::stat(SigningKey::fileIn(folder.path(), SigningKey::SECRETS_FILE_NAME).c_str(), &info));
        CPPUNIT_ASSERT_EQUAL(0600, int(info.st_mode & 0777));
        const std::string sealed = SecretBox(first.bytes()).seal("x");
        CPPUNIT_ASSERT_EQUAL(std::string("x"), SecretBox(again.bytes()).open(sealed));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretBoxTest);
