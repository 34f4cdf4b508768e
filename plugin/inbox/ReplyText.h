#ifndef MassMailing_ReplyText_INCLUDED
#define MassMailing_ReplyText_INCLUDED

#include <string>

namespace MassMailing
{
/// A reply's text in two: the member's own words, and the original they quote, which the inbox
/// folds away behind "show quoted text" (M3).
struct FoldedReply
{
    std::string own;
    std::string quoted;
};

/// Where the quoted original of a reply starts, as mail programs write it: the attribution line
/// ("On Fri, 4 Dec 2026, X wrote:", "Le 4 déc. 2026, X a écrit :", perhaps over two lines), an
/// Outlook separator ("-----Original Message-----", "________________________________", a "From:"
/// header block), or the first line quoted with ">". Never throws.
class ReplyText
{
public:
    static FoldedReply fold(const std::string& text);
};
} // namespace MassMailing

#endif
