#include "LinkSigner.h"
#include "TrackingException.h"
#include "content/TokenNumbers.h"
#include <Poco/Exception.h>
#include <climits>
#include <cstdint>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <utility>

namespace MassMailing
{
namespace
{
const unsigned char FORMAT = 1;
const std::size_t TAG_SIZE = 16;
// Set in the purpose byte of a test message's link; a link without it is signed as before.
const unsigned char TEST_LINK = 0x80;
const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(const std::string& bytes)
{
    std::string text;
    text.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3)
    {
        const std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16 |
                                std::uint32_t(std::uint8_t(bytes[i + 1])) << 8 | std::uint8_t(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6)
            text += ALPHABET[(n >> shift) & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0)
    {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (rest == 2)
            n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        text += ALPHABET[(n >> 18) & 63];
        text += ALPHABET[(n >> 12) & 63];
        if (rest == 2)
            text += ALPHABET[(n >> 6) & 63];
    }
    return text;
}

int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

// Strict: only the alphabet, no padding, and only the one spelling encode() gives, so that
// no two texts stand for the same bytes (a changed last character must not go unnoticed).
std::string decode(const std::string& text)
{
    if (text.size() % 4 == 1)
        throw InvalidTokenException("the token has a length no encoding gives");
    std::string bytes;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text)
    {
        const int value = sextet(c);
        if (value < 0)
            throw InvalidTokenException("the token holds a character outside URL-safe base64");
        buffer = (buffer << 6) | std::uint32_t(value);
        bits += 6;
        if (bits >= 8)
        {
            bits -= 8;
            bytes += char((buffer >> bits) & 0xFF);
        }
    }
    if (encode(bytes) != text)
        throw InvalidTokenException("the token is not in its canonical spelling");
    return bytes;
}

// A number of the token, or why it is none.
long numberAt(const std::string& in, std::size_t& pos)
{
    if (auto number = takeNumber(in, pos))
        return *number;
    throw InvalidTokenException("the token ends inside a number or holds one out of range");
}
} // namespace

LinkSigner::LinkSigner(std::string key) : _key(std::move(key))
{
    if (_key.size() < MIN_KEY_SIZE)
        throw Poco::InvalidArgumentException("a link signing key needs at least " +
                                             std::to_string(MIN_KEY_SIZE) + " bytes, not " +
                                             std::to_string(_key.size()));
    _hmac = std::make_shared<const HmacSha256>(_key);
}

std::string LinkSigner::tag(const std::string& payload) const
{
    return _hmac->digest(payload).substr(0, TAG_SIZE);
}

std::string LinkSigner::sign(const LinkToken& token) const
{
    if (token.groupId < 0 || token.campaignId < 0 || token.recipientId < 0 || token.linkId < 0)
        throw Poco::InvalidArgumentException("a link token's ids cannot be negative");
    if (token.address.size() > MAX_ADDRESS_SIZE)
        throw Poco::InvalidArgumentException("a link token's address is longer than " +
                                             std::to_string(MAX_ADDRESS_SIZE) + " characters");
    std::string payload;
    payload += char(FORMAT);
    payload += char(static_cast<unsigned char>(token.purpose) | (token.test ? TEST_LINK : 0));
    putNumber(payload, token.groupId);
    putNumber(payload, token.campaignId);
    putNumber(payload, token.recipientId);
    if (token.purpose == LinkPurpose::Click)
        putNumber(payload, token.linkId);
    payload += token.address;
    return encode(payload + tag(payload));
}

LinkToken LinkSigner::verify(const std::string& text, LinkPurpose purpose) const
{
    const std::string bytes = decode(text);
    if (bytes.size() < 2 + 3 + TAG_SIZE)
        throw InvalidTokenException("the token is too short");
    const std::string payload = bytes.substr(0, bytes.size() - TAG_SIZE);
    const std::string expected = tag(payload);
    if (CRYPTO_memcmp(expected.data(), bytes.data() + payload.size(), TAG_SIZE) != 0)
        throw InvalidTokenException(
            "the token's signature does not match: altered, or signed with another key");

    // Signed by us: what follows can only fail for a format this version does not know.
    if (static_cast<unsigned char>(payload[0]) != FORMAT)
        throw InvalidTokenException("the token is in an unknown format");
    LinkToken token;
    token.test = (static_cast<unsigned char>(payload[1]) & TEST_LINK) != 0;
    token.purpose = static_cast<LinkPurpose>(static_cast<unsigned char>(payload[1]) & ~TEST_LINK);
    if (token.purpose != LinkPurpose::Unsubscribe && token.purpose != LinkPurpose::ViewOnline &&
        token.purpose != LinkPurpose::Open && token.purpose != LinkPurpose::Click)
        throw InvalidTokenException("the token is for an unknown purpose");
    if (token.purpose != purpose)
        throw InvalidTokenException("the token is for " + LinkToken::purposeName(token.purpose) +
                                    ", not for " + LinkToken::purposeName(purpose));
    std::size_t pos = 2;
    token.groupId = numberAt(payload, pos);
    token.campaignId = numberAt(payload, pos);
    token.recipientId = numberAt(payload, pos);
    if (token.purpose == LinkPurpose::Click)
        token.linkId = numberAt(payload, pos);
    token.address = payload.substr(pos);
    return token;
}
} // namespace MassMailing
