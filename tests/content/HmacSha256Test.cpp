// HmacSha256, keyed once: the test vectors of RFC 4231 (a short key, a key longer than the
// block), and the same tags as OpenSSL's one-shot HMAC() from several threads at once.
#include "content/HmacSha256.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <thread>
#include <vector>

namespace
{
std::string hex(const std::string& bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string text;
    for (unsigned char c : bytes)
        text += std::string{digits[c >> 4], digits[c & 15]};
    return text;
}

std::string oneShot(const std::string& key, const std::string& data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &size);
    return std::string(reinterpret_cast<const char*>(digest), size);
}
} // namespace

class HmacSha256Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HmacSha256Test);
    CPPUNIT_TEST(testRfc4231Vectors);
    CPPUNIT_TEST(testSameAsOneShotHmacFromManyThreads);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRfc4231Vectors()
    {
        // Test case 2: key "Jefe".
        CPPUNIT_ASSERT_EQUAL(std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                             hex(MassMailing::HmacSha256("Jefe").digest("what do ya want for nothing?")));
        // Test case 1: twenty 0x0b bytes.
        CPPUNIT_ASSERT_EQUAL(std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                             hex(MassMailing::HmacSha256(std::string(20, '\x0b')).digest("Hi There")));
        // Test case 6: a key of 131 bytes, hashed first.
        CPPUNIT_ASSERT_EQUAL(std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                             hex(MassMailing::HmacSha256(std::string(131, '\xaa'))
                                     .digest("Test Using Larger Than Block-Size Key - Hash Key First")));
    }

    void testSameAsOneShotHmacFromManyThreads()
    {
        const std::string key = "a key of the module, thirty-two bytes or more, as the signers need";
        MassMailing::HmacSha256 hmac(key);
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back(
                [&, t]
                {
                    for (int n = 0; n < 500; ++n)
                    {
                        std::string data =
                            std::string(std::size_t(n % 97), char('a' + t)) + std::to_string(n);
                        if (hmac.digest(data) != oneShot(key, data))
                            ++wrong;
                    }
                });
        for (auto& thread : threads)
            thread.join();
        CPPUNIT_ASSERT_EQUAL(0, wrong.load());
        CPPUNIT_ASSERT_EQUAL(oneShot(key, ""), hmac.digest(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HmacSha256Test);
