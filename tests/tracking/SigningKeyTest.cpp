#include "tracking/SigningKey.h"
#include "TempFolder.h"
#include "tracking/TrackingException.h"
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using CrmHostTests::TempFolder;
using MassMailing::SigningKey;
using MassMailing::SigningKeyException;

namespace
{
std::string contentOf(const std::string& path)
{
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}
} // namespace

// The key that signs links: made once, kept secret, the same for every process.
class SigningKeyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SigningKeyTest);
    CPPUNIT_TEST(testKeyIsMadeOnceReadableByTheOwnerOnly);
    CPPUNIT_TEST(testProcessesSharingTheDataFolderSignWithTheSameKey);
    CPPUNIT_TEST(testConfiguredSecretIsUsedInstead);
    CPPUNIT_TEST(testShortConfiguredSecretIsRefused);
    CPPUNIT_TEST(testDamagedKeyFileIsRefusedAndKept);
    CPPUNIT_TEST_SUITE_END();

public:
    void testKeyIsMadeOnceReadableByTheOwnerOnly()
    {
        TempFolder data("tracking-key");
        SigningKey first(data.path(), "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(32), first.bytes().size());
        const std::string path = SigningKey::fileIn(data.path());
        struct stat info;
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &info));
        CPPUNIT_ASSERT_EQUAL(unsigned(S_IRUSR | S_IWUSR), unsigned(info.st_mode & 0777));
        const std::string text = contentOf(path);

        SigningKey second(data.path(), "");
        CPPUNIT_ASSERT(first.bytes() == second.bytes());
        CPPUNIT_ASSERT_EQUAL(text, contentOf(path));

        TempFolder other("tracking-key");
        CPPUNIT_ASSERT(SigningKey(other.path(), "").bytes() != first.bytes());
    }

    void testProcessesSharingTheDataFolderSignWithTheSameKey()
    {
        TempFolder data("tracking-key");
        // Several processes start at once on a folder without a key: all must end with one key.
        std::vector<pid_t> children;
        for (int i = 0; i < 8; ++i)
        {
            pid_t pid = ::fork();
            CPPUNIT_ASSERT(pid >= 0);
            if (pid == 0)
            {
                int status = 0;
                try
                {
                    SigningKey key(data.path(), "");
                    Poco::FileOutputStream out(data.file("seen-" + std::to_string(i)));
                    out << key.bytes();
                }
                catch (...)
                {
                    status = 1;
                }
                ::_exit(status);
            }
            children.push_back(pid);
        }
        for (pid_t pid : children)
        {
            int status = 0;
            ::waitpid(pid, &status, 0);
            CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        const std::string key = SigningKey(data.path(), "").bytes();
        for (int i = 0; i < 8; ++i)
            CPPUNIT_ASSERT(contentOf(data.file("seen-" + std::to_string(i))) == key);
        // No temporary file is left behind.
        std::vector<std::string> names;
        Poco::File(data.path()).list(names);
        CPPUNIT_ASSERT_EQUAL(std::size_t(9), names.size());
    }

    void testConfiguredSecretIsUsedInstead()
    {
        TempFolder data("tracking-key");
        const std::string secret = "a secret of at least thirty-two characters";
        CPPUNIT_ASSERT_EQUAL(secret, SigningKey(data.path(), secret).bytes());
        CPPUNIT_ASSERT(!Poco::File(SigningKey::fileIn(data.path())).exists());
    }

    void testShortConfiguredSecretIsRefused()
    {
        TempFolder data("tracking-key");
        CPPUNIT_ASSERT_THROW(SigningKey(data.path(), "too short"), Poco::InvalidArgumentException);
    }

    void testDamagedKeyFileIsRefusedAndKept()
    {
        TempFolder data("tracking-key");
        const std::string path = SigningKey::fileIn(data.path());
        {
            Poco::FileOutputStream out(path);
            out << "0123456789abcdef-not a key\n";
        }
        try
        {
            SigningKey key(data.path(), "");
            CPPUNIT_FAIL("a damaged key file was accepted");
        }
        catch (const SigningKeyException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(), error.displayText().find(path) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdef-not a key\n"), contentOf(path));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SigningKeyTest);
