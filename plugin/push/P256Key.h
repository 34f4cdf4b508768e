#ifndef MassMailing_P256Key_INCLUDED
#define MassMailing_P256Key_INCLUDED

#include <memory>
#include <string>

namespace MassMailing
{
/// A key of the curve P-256 (OpenSSL 3), in the raw forms Web Push speaks: a 32-byte private
/// scalar and a 65-byte uncompressed public point (0x04 || X || Y). Used for the ECDH of RFC 8291
/// and the ES256 signature of VAPID (RFC 8292).
class P256Key
{
public:
    static constexpr std::size_t PUBLIC_SIZE = 65;
    static constexpr std::size_t PRIVATE_SIZE = 32;

    static P256Key generate();
    /// A new random key pair. Throws Poco::SystemException when OpenSSL fails.

    static P256Key fromPrivate(const std::string& scalar);
    /// The key pair of a 32-byte private scalar. Throws Poco::InvalidArgumentException when it is
    /// not a valid P-256 scalar (0, or not below the curve's order).

    static P256Key fromPublic(const std::string& point);
    /// A public key alone (a subscription's p256dh). Throws Poco::InvalidArgumentException when
    /// the 65 bytes are not an uncompressed point of the curve.

    ~P256Key();
    P256Key(P256Key&& other) noexcept;
    P256Key& operator=(P256Key&& other) noexcept;

    const std::string& publicBytes() const { return _public; }
    bool hasPrivate() const { return _hasPrivate; }

    std::string sharedSecret(const P256Key& peer) const;
    /// ECDH with the peer's public key: the 32-byte X coordinate. Needs the private key.

    std::string signEs256(const std::string& data) const;
    /// ECDSA with SHA-256 over data, as JWS wants it: R || S, 32 bytes each (not DER).

    bool verifyEs256(const std::string& data, const std::string& signature) const;
    /// Whether signature (R || S) is this public key's over data.

private:
    struct Handle;
    P256Key(std::unique_ptr<Handle> handle, std::string publicBytes, bool hasPrivate);

    std::unique_ptr<Handle> _handle;
    std::string _public;
    bool _hasPrivate = false;
};
} // namespace MassMailing

#endif
