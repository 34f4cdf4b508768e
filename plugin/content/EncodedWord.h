#ifndef MassMailing_EncodedWord_INCLUDED
#define MassMailing_EncodedWord_INCLUDED

#include <string>

namespace MassMailing
{
/// RFC 2047 encoded words, UTF-8, for display names and the subject when they are not
/// plain ASCII.
class EncodedWord
{
public:
    static const std::size_t MAX_LENGTH = 75;
    /// The longest encoded word RFC 2047 allows.

    static bool needed(const std::string& text);
    /// True when text cannot go into a header as it is: non-ASCII or control characters, a
    /// "=?" that a reader would take for an encoded word, or a word too long to fold.

    static void append(std::string& out, const std::string& text, std::size_t firstLength = MAX_LENGTH);
    /// Appends text as encoded words separated by single spaces (where a header may be
    /// folded; readers drop that space between encoded words). Each word is at most 75
    /// characters, the first at most firstLength (at least 30) so that it fits on the line
    /// it starts. Picks Q or B, whichever is shorter; the Q alphabet is the one allowed in
    /// a display name, so the result fits anywhere. A UTF-8 character is never split
    /// between two words.

    static std::string decode(const std::string& value);
    /// Decodes the encoded words (utf-8 or us-ascii) of an unfolded or folded header value;
    /// other text is kept, and whitespace between two encoded words is dropped.
};
} // namespace MassMailing

#endif
