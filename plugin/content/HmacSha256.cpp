#include "content/HmacSha256.h"
#include <Poco/Exception.h>
#include <openssl/evp.h>

namespace MassMailing
{
namespace
{
const std::size_t BLOCK = 64; // SHA-256's block size

struct ContextFree
{
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_MD_CTX, ContextFree>;

Context newContext()
{
    Context context(EVP_MD_CTX_new());
    if (!context)
        throw Poco::SystemException("EVP_MD_CTX_new failed");
    return context;
}

void check(int ok)
{
    if (ok != 1)
        throw Poco::SystemException("HMAC-SHA256 failed");
}
} // namespace

struct HmacSha256::States
{
    Context inner, outer;
};

HmacSha256::HmacSha256(const std::string& key) : _states(std::make_unique<States>())
{
    // One fetch of the digest for the life of this object.
    EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!sha256)
        throw Poco::SystemException("SHA-256 is not available");
    std::string padded = key;
    try
    {
        if (padded.size() > BLOCK)
        {
            unsigned char hashed[EVP_MAX_MD_SIZE];
            unsigned int size = 0;
            Context context = newContext();
            check(EVP_DigestInit_ex(context.get(), sha256, nullptr));
            check(EVP_DigestUpdate(context.get(), padded.data(), padded.size()));
            check(EVP_DigestFinal_ex(context.get(), hashed, &size));
            padded.assign(reinterpret_cast<const char*>(hashed), size);
        }
        padded.resize(BLOCK, '\0');
        std::string ipad = padded, opad = padded;
        for (std::size_t i = 0; i < BLOCK; ++i)
        {
            ipad[i] = char(ipad[i] ^ 0x36);
            opad[i] = char(opad[i] ^ 0x5c);
        }
        _states->inner = newContext();
        _states->outer = newContext();
        check(EVP_DigestInit_ex(_states->inner.get(), sha256, nullptr));
        check(EVP_DigestUpdate(_states->inner.get(), ipad.data(), BLOCK));
        check(EVP_DigestInit_ex(_states->outer.get(), sha256, nullptr));
        check(EVP_DigestUpdate(_states->outer.get(), opad.data(), BLOCK));
    }
    catch (...)
    {
        EVP_MD_free(sha256);
        throw;
    }
    EVP_MD_free(sha256); // the contexts keep their own reference
}

HmacSha256::~HmacSha256() = default;

std::string HmacSha256::digest(const std::string& data) const
{
    // One context per thread, reused: the copies below need no allocation after the first.
    thread_local Context context = newContext();
    unsigned char inner[EVP_MAX_MD_SIZE], outer[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    check(EVP_MD_CTX_copy_ex(context.get(), _states->inner.get()));
    check(EVP_DigestUpdate(context.get(), data.data(), data.size()));
    check(EVP_DigestFinal_ex(context.get(), inner, &size));
    check(EVP_MD_CTX_copy_ex(context.get(), _states->outer.get()));
    check(EVP_DigestUpdate(context.get(), inner, size));
    check(EVP_DigestFinal_ex(context.get(), outer, &size));
    return std::string(reinterpret_cast<const char*>(outer), size);
}
} // namespace MassMailing
