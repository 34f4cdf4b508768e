#ifndef MassMailing_LinkSigner_INCLUDED
#define MassMailing_LinkSigner_INCLUDED

#include "LinkToken.h"
#include "content/HmacSha256.h"
#include <cstddef>
#include <memory>
#include <string>

namespace MassMailing
{
/// Signs and checks the tokens of personal links with HMAC-SHA256, so that a link cannot be
/// made up or altered (another address, another group) by whoever holds one.
///
/// A token is URL-safe base64 (RFC 4648 section 5, no padding) of: a format byte, the
/// purpose, the three ids as variable-length integers (a click token a fourth: its link), the
/// address (none in open and click tokens), and the first 16 bytes
/// of the HMAC of all that (a 128-bit tag: RFC 2104 allows truncation to half the hash).
/// For a 30-character address a token is about 75 characters, which leaves a
/// List-Unsubscribe URL well under 200; an open or click token is about 40 characters. Tokens do not expire:
/// an unsubscribe link must work for as long as the message may be read.
class LinkSigner
{
public:
    static constexpr std::size_t MIN_KEY_SIZE = 32;
    /// Bytes of key at least.

    static constexpr std::size_t MAX_ADDRESS_SIZE = 320;
    /// Longest address a token carries, as the people table allows.

    explicit LinkSigner(std::string key);
    /// Throws Poco::InvalidArgumentException when the key is shorter than MIN_KEY_SIZE bytes.

    std::string sign(const LinkToken& token) const;
    /// The token's text, made only of A-Z, a-z, 0-9, "-" and "_". Throws
    /// Poco::InvalidArgumentException for a negative id or an address longer than
    /// MAX_ADDRESS_SIZE.

    LinkToken verify(const std::string& text, LinkPurpose purpose) const;
    /// The token's content when this signer signed exactly this text for this purpose. The
    /// tag is compared in constant time. Throws InvalidTokenException, saying why, when the
    /// text is malformed, cut, altered, signed with another key, or made for another purpose.

private:
    std::string tag(const std::string& payload) const;

    std::string _key;
    std::shared_ptr<const HmacSha256> _hmac; // keyed once with _key
};
} // namespace MassMailing

#endif
