#ifndef MassMailing_EmailAddress_INCLUDED
#define MassMailing_EmailAddress_INCLUDED

#include <string>

namespace MassMailing
{
/// The address rules of the audience stage: what counts as one address, and what is valid.
class EmailAddress
{
public:
    static std::string normalize(const std::string& address);
    /// Trimmed, with the domain in lower case; the local part is kept as written (RFC 5321
    /// lets servers tell "Alice" from "alice").

    static bool isValid(const std::string& address);
    /// A dot-atom local part of at most 64 characters, "@", a domain of at least two labels
    /// (letters, digits, hyphens, at most 63 each) of at most 255 characters; at most 254 in all.
};
} // namespace MassMailing

#endif
