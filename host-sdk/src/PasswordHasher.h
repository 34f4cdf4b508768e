#ifndef CrmHost_PasswordHasher_INCLUDED
#define CrmHost_PasswordHasher_INCLUDED

#include <string>

namespace CrmHost
{
/// Passwords stored as "pbkdf2-sha256$ITERATIONS$SALT$HASH" (hex), PBKDF2-HMAC-SHA256 with
/// OpenSSL and a random 16-byte salt per user.
class PasswordHasher
{
public:
    static constexpr int ITERATIONS = 120000;

    static std::string hash(const std::string& password);
    static bool verify(const std::string& password, const std::string& stored);
    /// Compares in constant time; false for a malformed stored value.

    static std::string randomToken(int bytes = 32);
    /// Hex of cryptographically random bytes: session ids, CSRF and API tokens.

    static std::string sha256(const std::string& text);
    /// Hex digest: tokens are stored hashed, so that a database leak does not leak sessions.
};
} // namespace CrmHost

#endif
