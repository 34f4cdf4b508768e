#ifndef MassMailing_HmacSha256_INCLUDED
#define MassMailing_HmacSha256_INCLUDED

#include <memory>
#include <string>

namespace MassMailing
{
/// HMAC-SHA256 (RFC 2104) under one key, keyed once: the inner and outer hash states after the
/// padded key are kept, and each digest copies them. OpenSSL 3's one-shot HMAC() looks the
/// digest up among the providers and keys it at every call, which was a fifth of crmhost's own
/// CPU per message (signed links, bounce addresses: a dozen tags a message). Safe to share
/// between threads (digest() is const and copies the states).
class HmacSha256
{
public:
    explicit HmacSha256(const std::string& key);
    ~HmacSha256();
    HmacSha256(const HmacSha256&) = delete;
    HmacSha256& operator=(const HmacSha256&) = delete;

    std::string digest(const std::string& data) const;
    /// The 32 bytes of HMAC-SHA256(key, data). Throws Poco::SystemException when OpenSSL fails.

private:
    struct States;
    std::unique_ptr<States> _states;
};
} // namespace MassMailing

#endif
