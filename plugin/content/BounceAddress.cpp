#include "content/BounceAddress.h"
#include "content/Base32.h"
#include "content/TokenNumbers.h"
#include <Poco/String.h>
#include <cctype>
#include <climits>
#include <cstdint>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <utility>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(InvalidBounceAddressException, Poco::DataFormatException, "Invalid bounce address")

const char* const BounceAddress::LOCAL_PREFIX = "bounce+";
const char* const BounceAddress::RECIPIENT_HEADER = "X-MM-Recipient";

namespace
{
const unsigned char VERSION = 1;
const unsigned char TEST = 0x01;
const std::size_t TAG_SIZE = 10;
const std::size_t MIN_KEY_SIZE = 32;
// Keeps a bounce token's tag apart from every other use of the same key (LinkSigner's tokens).
const std::string CONTEXT = "massmailing bounce address\n";

// Strict base32 (Base32::decode), with the reason bounce addresses give.
std::string decode(const std::string& text)
{
    std::string bytes;
    if (!Base32::decode(text, bytes))
    {
        for (char c : text)
            if (!Base32::isDigit(c))
                throw InvalidBounceAddressException("the bounce token holds a character outside base32");
        throw InvalidBounceAddressException("the bounce token has a length no token has");
    }
    return bytes;
}

// A number of the token, or why it is none.
long numberAt(const std::string& in, std::size_t& pos)
{
    if (auto number = takeNumber(in, pos))
        return *number;
    throw InvalidBounceAddressException("the bounce token ends inside a number or holds one out of range");
}

bool tokenChar(char c)
{
    return Base32::isDigit(c);
}
} // namespace

BounceAddress::BounceAddress(std::string key) : _key(std::move(key))
{
    if (_key.size() < MIN_KEY_SIZE)
        throw Poco::InvalidArgumentException("a bounce address signing key needs at least " +
                                             std::to_string(MIN_KEY_SIZE) + " bytes, not " +
                                             std::to_string(_key.size()));
    _hmac = std::make_shared<const HmacSha256>(_key);
}

std::string BounceAddress::tag(const std::string& payload) const
{
    const std::string data = CONTEXT + payload;
    return _hmac->digest(data).substr(0, TAG_SIZE);
}

std::string BounceAddress::token(const BounceToken& token) const
{
    if (token.campaignId < 0 || token.recipientRow < 0)
        throw Poco::InvalidArgumentException("a bounce token's ids cannot be negative");
    std::string payload;
    payload += char(VERSION);
    payload += char(token.test ? TEST : 0);
    putNumber(payload, token.campaignId);
    putNumber(payload, token.recipientRow);
    return Base32::encode(payload + tag(payload));
}

ReturnPath BounceAddress::returnPath(const BounceToken& bounce, const std::string& bounceDomain,
                                     const std::string& senderEmail) const
{
    std::string domain = Poco::toLower(Poco::trim(bounceDomain));
    if (domain.empty())
    {
        const auto at = senderEmail.rfind('@');
        if (at != std::string::npos)
            domain = Poco::toLower(senderEmail.substr(at + 1));
    }
    if (domain.empty())
        throw Poco::InvalidArgumentException("bounce.domain: there is none, and the sender's address \"" +
                                             senderEmail + "\" has no domain");
    std::string signedToken = token(bounce);
    return {LOCAL_PREFIX + signedToken + "@" + domain, signedToken};
}

BounceToken BounceAddress::verify(const std::string& text) const
{
    if (text.empty())
        throw InvalidBounceAddressException("the bounce token is empty");
    if (text.size() > MAX_TOKEN_SIZE)
        throw InvalidBounceAddressException("the bounce token is longer than any token (" +
                                            std::to_string(text.size()) + " characters)");
    const std::string bytes = decode(text);
    if (bytes.size() < 4 + TAG_SIZE)
        throw InvalidBounceAddressException("the bounce token is too short (" + std::to_string(text.size()) +
                                            " characters)");
    const std::string payload = bytes.substr(0, bytes.size() - TAG_SIZE);
    const std::string expected = tag(payload);
    if (CRYPTO_memcmp(expected.data(), bytes.data() + payload.size(), TAG_SIZE) != 0)
        throw InvalidBounceAddressException(
            "the bounce token's signature does not match: forged, altered, or signed with another key");
    // Signed by us: what follows can only fail for a version this one does not know.
    if (static_cast<unsigned char>(payload[0]) != VERSION)
        throw InvalidBounceAddressException("the bounce token is of an unknown version " +
                                            std::to_string(static_cast<unsigned char>(payload[0])));
    BounceToken token;
    token.test = (static_cast<unsigned char>(payload[1]) & TEST) != 0;
    std::size_t pos = 2;
    token.campaignId = numberAt(payload, pos);
    token.recipientRow = numberAt(payload, pos);
    if (pos != payload.size())
        throw InvalidBounceAddressException("the bounce token has bytes after its numbers");
    return token;
}

BounceToken BounceAddress::parse(const std::string& address) const
{
    std::string text = Poco::trim(address);
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>')
        text = text.substr(1, text.size() - 2);
    const std::string prefix = LOCAL_PREFIX;
    const auto at = text.rfind('@');
    if (at == std::string::npos || Poco::icompare(text.substr(0, prefix.size()), prefix) != 0 ||
        at < prefix.size())
        throw InvalidBounceAddressException("\"" + address.substr(0, 200) + "\" is not a bounce address (" +
                                            prefix + "TOKEN@domain)");
    return verify(text.substr(prefix.size(), at - prefix.size()));
}

std::string BounceAddress::find(const std::string& text)
{
    const std::string prefix = LOCAL_PREFIX;
    const std::string lower = Poco::toLower(text);
    std::size_t pos = lower.find(prefix);
    for (; pos != std::string::npos; pos = lower.find(prefix, pos + prefix.size()))
    {
        // At the start of a local part only: not "xbounce+...".
        const char before = pos == 0 ? ' ' : lower[pos - 1];
        if (std::isalnum(static_cast<unsigned char>(before)) || before == '.' || before == '-' ||
            before == '_')
            continue;
        std::size_t end = pos + prefix.size();
        while (end < lower.size() && end - pos - prefix.size() < MAX_TOKEN_SIZE && tokenChar(lower[end]))
            ++end;
        if (end < lower.size() && lower[end] == '@' && end > pos + prefix.size())
            return lower.substr(pos + prefix.size(), end - pos - prefix.size());
    }
    return "";
}
} // namespace MassMailing
