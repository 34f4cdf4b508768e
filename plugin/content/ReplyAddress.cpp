#include "content/ReplyAddress.h"
#include "content/Base32.h"
#include "content/TokenNumbers.h"
#include <Poco/String.h>
#include <cctype>
#include <openssl/crypto.h>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(InvalidReplyAddressException, Poco::DataFormatException, "Invalid reply address")

const char* const ReplyAddress::LOCAL_PREFIX = "reply+";
const char* const ReplyAddress::PATTERN = "reply+*@*";

namespace
{
const unsigned char VERSION = 1;
const std::size_t TAG_SIZE = 10;
const std::size_t MIN_KEY_SIZE = 32;
// Keeps a reply token's tag apart from every other use of the same key (links, bounce addresses).
const std::string CONTEXT = "massmailing reply address\n";

struct Payload
{
    std::string bytes;
    ReplyToken token;
};

// The bytes and numbers of a token, unverified.
Payload read(const std::string& text)
{
    if (text.empty() || text.size() > ReplyAddress::MAX_TOKEN_SIZE)
        throw InvalidReplyAddressException("the reply token is empty or longer than any token");
    std::string bytes;
    if (!Base32::decode(text, bytes))
        throw InvalidReplyAddressException("the reply token is not base32 of a length tokens have");
    if (bytes.size() < 3 + TAG_SIZE)
        throw InvalidReplyAddressException("the reply token is too short");
    Payload payload;
    payload.bytes = bytes.substr(0, bytes.size() - TAG_SIZE);
    std::size_t pos = 1;
    auto group = takeNumber(payload.bytes, pos);
    auto conversation = group ? takeNumber(payload.bytes, pos) : std::nullopt;
    if (!conversation || pos != payload.bytes.size())
        throw InvalidReplyAddressException("the reply token's numbers are malformed");
    payload.token = {*group, *conversation};
    return payload;
}
} // namespace

ReplyAddress::ReplyAddress(std::string key)
{
    if (key.size() < MIN_KEY_SIZE)
        throw Poco::InvalidArgumentException("a reply address signing key needs at least " +
                                             std::to_string(MIN_KEY_SIZE) + " bytes, not " +
                                             std::to_string(key.size()));
    _hmac = std::make_shared<const HmacSha256>(key);
}

std::string ReplyAddress::tag(const std::string& payload) const
{
    return _hmac->digest(CONTEXT + payload).substr(0, TAG_SIZE);
}

std::string ReplyAddress::token(const ReplyToken& token) const
{
    if (token.groupId < 1 || token.conversationId < 1)
        throw Poco::InvalidArgumentException("a reply token names a group and a conversation");
    std::string payload(1, char(VERSION));
    putNumber(payload, token.groupId);
    putNumber(payload, token.conversationId);
    return Base32::encode(payload + tag(payload));
}

std::string ReplyAddress::address(const ReplyToken& reply, const std::string& domainName,
                                  const std::string& senderEmail) const
{
    std::string domain = Poco::toLower(Poco::trim(domainName));
    const auto at = senderEmail.rfind('@');
    if (domain.empty() && at != std::string::npos)
        domain = Poco::toLower(senderEmail.substr(at + 1));
    if (domain.empty())
        throw Poco::InvalidArgumentException(
            "a reply address needs a domain: bounce.domain, or the sender's");
    return LOCAL_PREFIX + token(reply) + "@" + domain;
}

ReplyToken ReplyAddress::verify(const std::string& text) const
{
    Payload payload = read(text);
    const std::string expected = tag(payload.bytes);
    std::string bytes;
    Base32::decode(text, bytes);
    if (CRYPTO_memcmp(expected.data(), bytes.data() + payload.bytes.size(), TAG_SIZE) != 0)
        throw InvalidReplyAddressException(
            "the reply token's signature does not match: forged, altered, or signed with another key");
    if (static_cast<unsigned char>(payload.bytes[0]) != VERSION)
        throw InvalidReplyAddressException("the reply token is of an unknown version");
    return payload.token;
}

std::string ReplyAddress::find(const std::string& text)
{
    const std::string prefix = LOCAL_PREFIX;
    const std::string lower = Poco::toLower(text);
    for (std::size_t pos = lower.find(prefix); pos != std::string::npos; pos = lower.find(prefix, pos + 1))
    {
        const char before = pos == 0 ? ' ' : lower[pos - 1];
        if (std::isalnum(static_cast<unsigned char>(before)) || before == '.' || before == '-' ||
            before == '_')
            continue;
        std::size_t end = pos + prefix.size();
        while (end < lower.size() && end - pos - prefix.size() < MAX_TOKEN_SIZE &&
               Base32::isDigit(lower[end]))
            ++end;
        if (end < lower.size() && lower[end] == '@' && end > pos + prefix.size())
            return lower.substr(pos + prefix.size(), end - pos - prefix.size());
    }
    return "";
}

long ReplyAddress::claimedGroup(const std::string& text)
{
    try
    {
        return read(text).token.groupId;
    }
    catch (const InvalidReplyAddressException&)
    {
        return 0;
    }
}
} // namespace MassMailing
