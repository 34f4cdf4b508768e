#ifndef MassMailing_SmsText_INCLUDED
#define MassMailing_SmsText_INCLUDED

#include <cstddef>
#include <string>

namespace MassMailing
{
/// How an SMS's text goes on the air: its encoding and its segments (3GPP TS 23.038 and
/// 23.040). The one owner of the rule; the composer's counter (plugin/web/sms.js) does the
/// same, both tested against tests/content/sms_cases.json.
///
/// A text whose every character is in the GSM 03.38 default alphabet is sent in 7-bit
/// ("gsm7"): a character of its extension table (form feed ^ { } \ [ ~ ] | €) takes two
/// septets (ESC and itself); one segment holds 160 septets, each segment of a longer text 153
/// (the rest is the concatenation header), and an ESC pair is never split between two. Any
/// other character makes the whole text UCS-2 ("ucs2", UTF-16 on the wire): 70 code units in
/// one segment, 67 in each of several; a character beyond the BMP (an emoji) takes two units,
/// its surrogate pair never split.
struct SmsCount
{
    std::string encoding = "gsm7"; /// "gsm7" or "ucs2"
    std::size_t characters = 0;    /// Unicode characters of the text
    std::size_t units = 0;         /// septets (gsm7) or UTF-16 code units (ucs2)
    std::size_t segments = 0;      /// 0 for an empty text
    std::size_t perSegment = 160;  /// units a segment holds: 160 or 153, 70 or 67
    std::size_t left = 160;        /// units still free in the last segment
};

class SmsText
{
public:
    static SmsCount count(const std::string& utf8);
    /// The text's encoding and segments. Bytes that are not UTF-8 count as one UCS-2
    /// character each (U+FFFD).

    static int gsmUnits(char32_t character);
    /// 1 for a character of the GSM default alphabet, 2 for one of its extension table, 0
    /// for any other.

    static const std::size_t MAX_SEGMENTS = 10;
    /// The longest text a campaign may send (gateways refuse or cut longer ones).
};
} // namespace MassMailing

#endif
