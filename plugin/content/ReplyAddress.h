#ifndef MassMailing_ReplyAddress_INCLUDED
#define MassMailing_ReplyAddress_INCLUDED

#include "content/HmacSha256.h"
#include <Poco/Exception.h>
#include <cstddef>
#include <memory>
#include <string>

namespace MassMailing
{
/// A reply address, or its token, that this module did not sign, or cannot read: the text says
/// why ("the reply token's signature does not match: forged, altered, or signed with another key").
POCO_DECLARE_EXCEPTION(, InvalidReplyAddressException, Poco::DataFormatException)

/// Which thread of the inbox a reply address names.
struct ReplyToken
{
    long groupId = 0;
    long conversationId = 0;
};

/// The Reply-To of a message sent from the inbox (M3): "reply+TOKEN@domain", where TOKEN names
/// the conversation and is signed (HMAC-SHA256 with the module's signing key, in a context of
/// its own), so that nobody can make a reply land in a thread they choose. Spelt as the VERP
/// bounce address is (BounceAddress): base32 in lower case, read back in any case; a version,
/// the group and the conversation as variable-length integers, then an 80-bit tag.
class ReplyAddress
{
public:
    static const char* const LOCAL_PREFIX; /// "reply+"
    static const char* const PATTERN;      /// "reply+*@*": the inbound mail handler's pattern.
    static constexpr std::size_t MAX_TOKEN_SIZE = 48;

    explicit ReplyAddress(std::string key);
    /// key: SigningKey::bytes(). Throws Poco::InvalidArgumentException when it is shorter than
    /// 32 bytes.

    std::string token(const ReplyToken& token) const;
    /// The signed token. Throws Poco::InvalidArgumentException for an id below 1.

    std::string address(const ReplyToken& token, const std::string& domain,
                        const std::string& senderEmail) const;
    /// "reply+TOKEN@domain" on domain (the group's bounce.domain), or on the sender's domain when
    /// it is empty. Throws Poco::InvalidArgumentException when neither gives a domain.

    ReplyToken verify(const std::string& token) const;
    /// What a token (in any case) names, when this module signed it. Throws
    /// InvalidReplyAddressException, saying why.

    static std::string find(const std::string& text);
    /// The token of the first "reply+TOKEN@" in a text (an address, a header), or "".

    static long claimedGroup(const std::string& token);
    /// The group a token says, signed or not (0 when it says none): where an unmatched reply
    /// is listed. Never trusted for anything else.

private:
    std::string tag(const std::string& payload) const;

    std::shared_ptr<const HmacSha256> _hmac;
};
} // namespace MassMailing

#endif
