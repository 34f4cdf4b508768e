#ifndef MassMailing_Base32_INCLUDED
#define MassMailing_Base32_INCLUDED

#include <string>

namespace MassMailing
{
/// Base32 in lower case (RFC 4648 alphabet, a-z and 2-7, no padding), the spelling of the signed
/// tokens in addresses (BounceAddress, ReplyAddress): mail servers may change the case of a
/// local part, so it is read back in any case.
namespace Base32
{
std::string encode(const std::string& bytes);

bool decode(const std::string& text, std::string& bytes);
/// Strict: only the one spelling encode() gives (in any case), so that no two texts stand for
/// the same bytes. False, bytes unspecified, for a character outside base32 or a length no
/// encoding has.

bool isDigit(char c);
/// A character of the alphabet, in either case.
} // namespace Base32
} // namespace MassMailing

#endif
