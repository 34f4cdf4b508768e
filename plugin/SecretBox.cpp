#include "SecretBox.h"
#include "Base64.h"
#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sstream>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(SecretException, Poco::DataFormatException, "Secret cannot be opened")

namespace
{
const std::size_t NONCE = 12, TAG = 16;

using Cipher = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytesOf(const std::string& text)
{
    return reinterpret_cast<const unsigned char*>(text.data());
}
} // namespace

const char* const SecretBox::PREFIX = "sealed:1:";

SecretBox::SecretBox(const std::string& key) : _key(key)
{
    if (_key.size() != 32)
        throw Poco::InvalidArgumentException("the secrets key must be 32 bytes");
}

bool SecretBox::isSealed(const std::string& text)
{
    return text.compare(0, std::char_traits<char>::length(PREFIX), PREFIX) == 0;
}

std::string SecretBox::seal(const std::string& plain) const
{
    std::string nonce(NONCE, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&nonce[0]), int(NONCE)) != 1)
        throw Poco::SystemException("no random bytes to seal a secret");
    Cipher cipher(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    std::string out(plain.size() + 16, '\0'), tag(TAG, '\0');
    int length = 0, last = 0;
    auto* buffer = reinterpret_cast<unsigned char*>(&out[0]);
    if (!cipher || EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_IVLEN, int(NONCE), nullptr) != 1 ||
        EVP_EncryptInit_ex(cipher.get(), nullptr, nullptr, bytesOf(_key), bytesOf(nonce)) != 1 ||
        EVP_EncryptUpdate(cipher.get(), buffer, &length, bytesOf(plain), int(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(cipher.get(), buffer + length, &last) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, int(TAG), &tag[0]) != 1)
        throw Poco::SystemException("OpenSSL could not seal a secret");
    out.resize(std::size_t(length + last));
    return PREFIX + base64(nonce + out + tag);
}

std::string SecretBox::open(const std::string& sealed) const
{
    if (!isSealed(sealed))
        throw SecretException("the text is not a sealed secret");
    std::string bytes;
    try
    {
        bytes = unbase64(sealed.substr(std::char_traits<char>::length(PREFIX)));
    }
    catch (const Poco::Exception&)
    {
        throw SecretException("the sealed secret is damaged");
    }
    if (bytes.size() < NONCE + TAG)
        throw SecretException("the sealed secret is too short");
    const std::string nonce = bytes.substr(0, NONCE), tag = bytes.substr(bytes.size() - TAG),
                      data = bytes.substr(NONCE, bytes.size() - NONCE - TAG);
    Cipher cipher(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    std::string out(data.size() + 16, '\0');
    int length = 0, last = 0;
    auto* buffer = reinterpret_cast<unsigned char*>(&out[0]);
    if (!cipher || EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_IVLEN, int(NONCE), nullptr) != 1 ||
        EVP_DecryptInit_ex(cipher.get(), nullptr, nullptr, bytesOf(_key), bytesOf(nonce)) != 1 ||
        EVP_DecryptUpdate(cipher.get(), buffer, &length, bytesOf(data), int(data.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, int(TAG), const_cast<char*>(tag.data())) !=
            1 ||
        EVP_DecryptFinal_ex(cipher.get(), buffer + length, &last) != 1)
        throw SecretException("the sealed secret was changed, or sealed with another key");
    out.resize(std::size_t(length + last));
    return out;
}
} // namespace MassMailing
