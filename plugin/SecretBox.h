#ifndef MassMailing_SecretBox_INCLUDED
#define MassMailing_SecretBox_INCLUDED

#include <Poco/Exception.h>
#include <string>

namespace MassMailing
{
/// A secret that cannot be opened: damaged, or sealed with another key.
POCO_DECLARE_EXCEPTION(, SecretException, Poco::DataFormatException)

/// Seals the secrets the module stores (SMTP passwords, DKIM private keys) with the host's key:
/// AES-256-GCM (OpenSSL), a random 96-bit nonce per secret, the tag checked when opened. The
/// key is made once and kept in the module's data folder (tracking/SigningKey's file
/// "secrets.key"), so a copy of the database alone holds no usable secret.
class SecretBox
{
public:
    static const char* const PREFIX; /// "sealed:1:", in front of every sealed text.

    explicit SecretBox(const std::string& key);
    /// key: 32 bytes. Throws Poco::InvalidArgumentException for another size.

    std::string seal(const std::string& plain) const;
    /// PREFIX + base64(nonce, ciphertext, tag). Throws Poco::SystemException when OpenSSL fails.

    std::string open(const std::string& sealed) const;
    /// The plain text. Throws SecretException when the text is not sealed, was changed, or was
    /// sealed with another key.

    static bool isSealed(const std::string& text);

private:
    std::string _key;
};
} // namespace MassMailing

#endif
