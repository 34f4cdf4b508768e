// Fuzz target: the signed tokens of personal links (tracking/LinkSigner, LinkToken), as the
// unsubscribe and "view online" pages and the open image and click redirect read them from a URL.
// The first byte chooses:
//   0  the rest is a token's text, checked for every purpose: it is refused with
//      InvalidTokenException, nothing else (a forged tag almost never matches);
//   1  the rest is a payload, signed here with the same key as LinkSigner documents it
//      (URL-safe base64 of payload + the first 16 bytes of its HMAC-SHA256), so that the
//      reading behind the tag is reached too: refused, or read into a token that signs
//      again into a token read the same;
//   2  the rest is a token (ids, link and address on lines; the purpose from the first line's
//      length), signed and read back unchanged, and refused for every other purpose.
#include "FuzzInput.h"
#include "tracking/LinkSigner.h"
#include "tracking/TrackingException.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <cstdlib>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace
{
const std::string KEY = "0123456789abcdef0123456789abcdef-fuzz";

std::string urlSafeBase64(const std::string& bytes)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string text;
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3)
    {
        unsigned n = unsigned(std::uint8_t(bytes[i])) << 16 | unsigned(std::uint8_t(bytes[i + 1])) << 8 |
                     std::uint8_t(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6)
            text += alphabet[(n >> shift) & 63];
    }
    if (bytes.size() - i == 1)
    {
        unsigned n = unsigned(std::uint8_t(bytes[i])) << 16;
        text += alphabet[(n >> 18) & 63];
        text += alphabet[(n >> 12) & 63];
    }
    else if (bytes.size() - i == 2)
    {
        unsigned n = unsigned(std::uint8_t(bytes[i])) << 16 | unsigned(std::uint8_t(bytes[i + 1])) << 8;
        text += alphabet[(n >> 18) & 63];
        text += alphabet[(n >> 12) & 63];
        text += alphabet[(n >> 6) & 63];
    }
    return text;
}

std::string signedPayload(const std::string& payload)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), KEY.data(), int(KEY.size()), reinterpret_cast<const unsigned char*>(payload.data()),
         payload.size(), digest, &size);
    return urlSafeBase64(payload + std::string(reinterpret_cast<const char*>(digest), 16));
}

// The token read from text for purpose, or false when it is refused as it should be.
bool read(const MassMailing::LinkSigner& signer, const std::string& text, MassMailing::LinkPurpose purpose,
          MassMailing::LinkToken& token)
{
    try
    {
        token = signer.verify(text, purpose);
        return true;
    }
    catch (const MassMailing::InvalidTokenException&)
    {
        return false;
    }
}

const MassMailing::LinkPurpose PURPOSES[] = {MassMailing::LinkPurpose::Unsubscribe,
                                             MassMailing::LinkPurpose::ViewOnline,
                                             MassMailing::LinkPurpose::Open, MassMailing::LinkPurpose::Click};

long number(const std::string& text)
{
    Poco::Int64 n = 0;
    Poco::NumberParser::tryParse64(text, n);
    return long(n);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const MassMailing::LinkSigner signer(KEY);
    const std::string rest = MassMailingFuzz::textOf(data + 1, size - 1);
    MassMailing::LinkToken token;
    switch (data[0] % 3)
    {
    case 0:
        for (auto purpose : PURPOSES)
            read(signer, rest, purpose, token);
        break;
    case 1:
    {
        std::string text = signedPayload(rest);
        for (auto purpose : PURPOSES)
            if (read(signer, text, purpose, token))
            {
                MassMailing::LinkToken again;
                std::string resigned;
                try
                {
                    resigned = signer.sign(token);
                }
                catch (const Poco::InvalidArgumentException&)
                {
                    continue; // read from a payload sign() would not write (an address too long)
                }
                if (!read(signer, resigned, purpose, again) || again != token)
                    std::abort(); // a token read does not sign into the same token
            }
        break;
    }
    default:
    {
        auto fields = MassMailingFuzz::fieldsOf(data + 1, size - 1, 5);
        token.purpose = PURPOSES[fields[0].size() % 4];
        token.groupId = number(fields[0]);
        token.campaignId = number(fields[1]);
        token.recipientId = number(fields[2]);
        // Only a click token carries its link: signed and read back, the others' is 0.
        token.linkId = token.purpose == MassMailing::LinkPurpose::Click ? number(fields[3]) : 0;
        token.address = fields[4];
        std::string text;
        try
        {
            text = signer.sign(token);
        }
        catch (const Poco::InvalidArgumentException&)
        {
            break; // a negative id or an address too long
        }
        MassMailing::LinkToken back;
        if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
                std::string::npos ||
            !read(signer, text, token.purpose, back) || back != token)
            std::abort(); // a signed token is not read back as it was
        for (auto other : PURPOSES)
            if (other != token.purpose && read(signer, text, other, back))
                std::abort(); // a token signed for one purpose is taken for another
        break;
    }
    }
    return 0;
}
