#include "PasswordHasher.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <vector>

namespace CrmHost
{
namespace
{
std::string hex(const unsigned char* data, std::size_t size)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i)
    {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

std::string derive(const std::string& password, const std::string& salt, int iterations)
{
    unsigned char key[32];
    if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), int(salt.size()), iterations,
                          EVP_sha256(), sizeof key, key) != 1)
        throw Poco::RuntimeException("PBKDF2 failed");
    return hex(key, sizeof key);
}
} // namespace

std::string PasswordHasher::randomToken(int bytes)
{
    std::vector<unsigned char> buffer(static_cast<std::size_t>(bytes));
    if (RAND_bytes(buffer.data(), bytes) != 1)
        throw Poco::RuntimeException("no random bytes from OpenSSL");
    return hex(buffer.data(), buffer.size());
}

std::string PasswordHasher::sha256(const std::string& text)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return hex(digest, sizeof digest);
}

std::string PasswordHasher::hash(const std::string& password)
{
    std::string salt = randomToken(16);
    return "pbkdf2-sha256$" + std::to_string(ITERATIONS) + "$" + salt + "$" +
           derive(password, salt, ITERATIONS);
}

bool PasswordHasher::verify(const std::string& password, const std::string& stored)
{
    Poco::StringTokenizer parts(stored, "$");
    int iterations = 0;
    if (parts.count() != 4 || parts[0] != "pbkdf2-sha256" ||
        !Poco::NumberParser::tryParse(parts[1], iterations) || iterations <= 0)
        return false;
    std::string derived = derive(password, parts[2], iterations);
    return derived.size() == parts[3].size() &&
           CRYPTO_memcmp(derived.data(), parts[3].data(), derived.size()) == 0;
}
} // namespace CrmHost
