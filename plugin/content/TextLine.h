#ifndef MassMailing_TextLine_INCLUDED
#define MassMailing_TextLine_INCLUDED

#include <cstddef>
#include <string>

namespace MassMailing
{
/// The rules of the text fields of a campaign or a template, in one place: a one-line field
/// (a name, a subject, an address) holds no line break and no control character, and its
/// limit counts characters (UTF-8 code points), as the user sees them, not bytes; a body
/// holds no control character but tabs and line breaks.
class TextLine
{
public:
    static std::size_t characters(const std::string& text);
    /// The number of UTF-8 code points ("Réunion" is 7); a byte that is not part of a valid
    /// sequence counts as one.

    static void check(const std::string& field, const std::string& value, std::size_t maxCharacters);
    /// Throws FieldException naming the field: "line_break" for a CR or LF,
    /// "control_character" for another control character (NUL, which would cut the text where
    /// it is stored, ESC, DEL, ...; a tab is allowed), "too_long" beyond maxCharacters.

    static void checkBody(const std::string& field, const std::string& value);
    /// Throws FieldException (field, "control_character") for a control character other than
    /// tab, CR and LF.
};
} // namespace MassMailing

#endif
