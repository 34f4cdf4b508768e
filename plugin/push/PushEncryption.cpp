#include "push/PushEncryption.h"
#include "content/HmacSha256.h"
#include <Poco/Exception.h>
#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace MassMailing
{
namespace
{
// HKDF-SHA256 (RFC 5869) for outputs of one block: expand is one HMAC of info || 0x01.
std::string extract(const std::string& salt, const std::string& input)
{
    return HmacSha256(salt).digest(input);
}

std::string expand(const std::string& key, const std::string& info, std::size_t size)
{
    return HmacSha256(key).digest(info + '\x01').substr(0, size);
}

std::string label(const char* text)
{
    return std::string(text) + '\0';
}

std::string aes128gcm(const std::string& key, const std::string& nonce, const std::string& plain)
{
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> context(EVP_CIPHER_CTX_new(),
                                                                            EVP_CIPHER_CTX_free);
    std::string out(plain.size() + 16, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    int written = 0, last = 0;
    if (!context ||
        EVP_EncryptInit_ex(context.get(), EVP_aes_128_gcm(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.data()),
                           reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
        EVP_EncryptUpdate(context.get(), bytes, &written,
                          reinterpret_cast<const unsigned char*>(plain.data()), int(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(context.get(), bytes + written, &last) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, 16, bytes + written + last) != 1)
        throw Poco::SystemException("OpenSSL: AES-128-GCM");
    return out;
}
} // namespace

std::string PushEncryption::encrypt(const std::string& plaintext, const std::string& userAgentPublic,
                                    const std::string& authSecret)
{
    std::string salt(16, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), int(salt.size())) != 1)
        throw Poco::SystemException("OpenSSL: RAND_bytes");
    return encrypt(plaintext, userAgentPublic, authSecret, P256Key::generate(), salt);
}

std::string PushEncryption::encrypt(const std::string& plaintext, const std::string& userAgentPublic,
                                    const std::string& authSecret, const P256Key& messageKey,
                                    const std::string& salt, std::size_t padding)
{
    if (authSecret.size() != 16)
        throw Poco::InvalidArgumentException("a subscription's auth secret has 16 bytes");
    if (salt.size() != 16)
        throw Poco::InvalidArgumentException("the salt has 16 bytes");
    if (plaintext.size() + padding > MAX_PLAINTEXT)
        throw Poco::InvalidArgumentException("a push message holds " + std::to_string(MAX_PLAINTEXT) +
                                             " bytes at most, not " +
                                             std::to_string(plaintext.size() + padding));
    const P256Key userAgent = P256Key::fromPublic(userAgentPublic);
    const std::string& serverPublic = messageKey.publicBytes();

    // RFC 8291 section 3.4: the auth secret mixed in first, then RFC 8188's key and nonce.
    const std::string sharedSecret = messageKey.sharedSecret(userAgent);
    const std::string prkKey = extract(authSecret, sharedSecret);
    const std::string ikm = expand(prkKey, label("WebPush: info") + userAgentPublic + serverPublic, 32);
    const std::string prk = extract(salt, ikm);
    const std::string contentKey = expand(prk, label("Content-Encoding: aes128gcm"), 16);
    const std::string nonce = expand(prk, label("Content-Encoding: nonce"), 12);

    // One record, the last: the delimiter 0x02, then the padding's zeros.
    std::string record = plaintext;
    record += '\x02';
    record.append(padding, '\0');

    std::string body = salt;
    const std::size_t size = RECORD_SIZE;
    body += char((size >> 24) & 0xff);
    body += char((size >> 16) & 0xff);
    body += char((size >> 8) & 0xff);
    body += char(size & 0xff);
    body += char(serverPublic.size());
    body += serverPublic;
    body += aes128gcm(contentKey, nonce, record);
    return body;
}
} // namespace MassMailing
