#ifndef MassMailing_PushEncryption_INCLUDED
#define MassMailing_PushEncryption_INCLUDED

#include "push/P256Key.h"
#include <string>

namespace MassMailing
{
/// The encryption of a Web Push message (RFC 8291, "aes128gcm" of RFC 8188): ECDH P-256 between
/// a key made for the message and the subscription's p256dh, HKDF-SHA256 with the subscription's
/// auth secret, AES-128-GCM over one record. The body a push service receives is the header
/// (salt, record size, the message key's public point) and that record.
class PushEncryption
{
public:
    static constexpr std::size_t RECORD_SIZE = 4096;
    /// Push services take a body of 4096 bytes at most: one record of this size.
    static constexpr std::size_t HEADER_SIZE = 16 + 4 + 1 + P256Key::PUBLIC_SIZE;
    static constexpr std::size_t MAX_PLAINTEXT = RECORD_SIZE - HEADER_SIZE - 1 - 16;
    /// 3993 bytes: what fits beside the header, the padding delimiter and the GCM tag.

    static std::string encrypt(const std::string& plaintext, const std::string& userAgentPublic,
                               const std::string& authSecret);
    /// The body for a subscription (p256dh: 65 bytes, auth: 16 bytes), with a new message key and
    /// a new random salt. Throws Poco::InvalidArgumentException for keys of the wrong form or a
    /// plaintext over MAX_PLAINTEXT, Poco::SystemException when OpenSSL fails.

    static std::string encrypt(const std::string& plaintext, const std::string& userAgentPublic,
                               const std::string& authSecret, const P256Key& messageKey,
                               const std::string& salt, std::size_t padding = 0);
    /// The same with the message key and the 16-byte salt given (the RFC 8291 example), and
    /// padding zero bytes after the delimiter (to hide the length).
};
} // namespace MassMailing

#endif
