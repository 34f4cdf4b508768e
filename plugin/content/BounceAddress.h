#ifndef MassMailing_BounceAddress_INCLUDED
#define MassMailing_BounceAddress_INCLUDED

#include "content/HmacSha256.h"
#include <Poco/Exception.h>
#include <cstddef>
#include <memory>
#include <string>

namespace MassMailing
{
/// A bounce address, or its token, that this module did not sign, or cannot read: the text
/// says why ("the token's signature does not match: forged, or signed with another key").
POCO_DECLARE_EXCEPTION(, InvalidBounceAddressException, Poco::DataFormatException)

/// Whose message a bounce address stands for: one recipient row of a campaign, or a test message.
struct BounceToken
{
    long campaignId = 0;
    long recipientRow = 0; /// mm_recipients.id; 0 for a test message.
    bool test = false;     /// A test message (C9): its bounces are recorded and suppress nothing.

    bool operator==(const BounceToken& other) const
    {
        return campaignId == other.campaignId && recipientRow == other.recipientRow && test == other.test;
    }
};

/// The envelope sender (MAIL FROM) of one message, and the token it carries, which the message
/// also names in its X-MM-Recipient header.
struct ReturnPath
{
    std::string address; /// "bounce+TOKEN@domain", or the sender's address when there is no signer.
    std::string token;   /// Empty when there is no signer.
};

/// The VERP bounce address of a message (R3): "bounce+TOKEN@domain", where TOKEN names the
/// recipient row and is signed (HMAC-SHA256 with the module's signing key), so that nobody can
/// make a bounce suppress an address they choose. The token is base32 in lower case (RFC 4648
/// alphabet, a-z and 2-7, no padding), because mail servers may change the case of a local
/// part; it is read back in any case. Its bytes: a version, a flags byte (test), the campaign
/// and the row as variable-length integers, then 10 bytes of the HMAC (an 80-bit tag): about
/// 30 characters, far below the 64 a local part allows.
class BounceAddress
{
public:
    static const char* const LOCAL_PREFIX;
    /// "bounce+": what the local part of every bounce address starts with.

    static const char* const RECIPIENT_HEADER;
    /// "X-MM-Recipient": the header naming the token in each message, for bounces and feedback
    /// reports that quote the headers but not the envelope.

    static constexpr std::size_t MAX_TOKEN_SIZE = 48;
    /// Characters of a token at most (large ids included); a longer one is refused unread.

    explicit BounceAddress(std::string key);
    /// key: SigningKey::bytes(). Throws Poco::InvalidArgumentException when it is shorter than
    /// 32 bytes.

    std::string token(const BounceToken& token) const;
    /// The signed token. Throws Poco::InvalidArgumentException for a negative id.

    ReturnPath returnPath(const BounceToken& token, const std::string& bounceDomain,
                          const std::string& senderEmail) const;
    /// The message's envelope sender on bounceDomain (the group's "bounce.domain"), or on the
    /// sender's domain when it is empty. Throws Poco::InvalidArgumentException for a negative id,
    /// or when neither gives a domain.

    BounceToken verify(const std::string& token) const;
    /// What a token (in any case) names, when this module signed it. Throws
    /// InvalidBounceAddressException, saying why: a character outside base32, a wrong length,
    /// an unknown version, or a signature that does not match (forged, altered, another key).

    BounceToken parse(const std::string& address) const;
    /// The token of a bounce address ("bounce+TOKEN@domain", perhaps in angle brackets, in any
    /// case). Throws InvalidBounceAddressException when it is not one, and as verify() does.

    static std::string find(const std::string& text);
    /// The token of the first "bounce+TOKEN@" in a text (a header, a quoted message), or "".

private:
    std::string tag(const std::string& payload) const;

    std::string _key;
    std::shared_ptr<const HmacSha256> _hmac; // keyed once with _key
};
} // namespace MassMailing

#endif
