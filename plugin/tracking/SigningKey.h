#ifndef MassMailing_SigningKey_INCLUDED
#define MassMailing_SigningKey_INCLUDED

#include <string>

namespace MassMailing
{
/// The secret that signs personal links. Every process that shares the module's data folder
/// (one host, or several host nodes on a shared folder) must sign with the same key, or the
/// links one sent would be refused by another: so it is made once, at random, and kept in a
/// file there. The setting massmailing.secret, when set, is used instead.
class SigningKey
{
public:
    static const char* const FILE_NAME;
    /// "link-signing.key": 64 hexadecimal digits (32 random bytes) and a line break.
    static const char* const SECRETS_FILE_NAME;
    /// "secrets.key", the same kind of file: the key that seals stored secrets (SecretBox).

    SigningKey(const std::string& dataDir, const std::string& configured, const char* fileName = FILE_NAME);
    /// The configured secret when it is not empty; else the key in dataDir/fileName, made on
    /// first use with the permissions 0600 (owner only). Two processes making it at the same
    /// time end with the same key: the file appears whole, once, and the loser reads it.
    /// Throws Poco::InvalidArgumentException for a configured secret shorter than 32
    /// characters, and SigningKeyException when the file is damaged or cannot be written (a
    /// damaged file is never replaced: a new key would void every link already sent).

    const std::string& bytes() const { return _bytes; }
    /// The key, for LinkSigner.

    static std::string fileIn(const std::string& dataDir, const char* fileName = FILE_NAME);
    /// The path of the key file in a data folder.

private:
    static void create(const std::string& path);
    static std::string read(const std::string& path);

    std::string _bytes;
};
} // namespace MassMailing

#endif
