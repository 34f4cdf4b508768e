#ifndef MassMailing_TrackedLinks_INCLUDED
#define MassMailing_TrackedLinks_INCLUDED

#include <functional>
#include <string>
#include <vector>

namespace MassMailing
{
/// The open and click links of one recipient's message, made by the tracking stage (signed
/// tokens): empty when tracking is off for the group or the campaign.
struct TrackingLinks
{
    std::function<std::string(const std::string& url)> click;
    /// The module's redirect for a link as written (decoded): ".../massmailing/c/TOKEN".
    std::string open; /// The 1x1 image: ".../massmailing/o/TOKEN".
    std::string trap; /// A link no person can see, which only link scanners follow.

    bool on() const { return bool(click); }
};

/// Puts a message's links through the module's signed redirect (R3), so that a click is
/// recorded and then sent on to that link only: every http(s) link of the HTML (a href, area
/// href) and of the plain text. Links in `untracked` (the unsubscribe and "view online"
/// links), mailto:, tel: and the like, and links longer than the redirect keeps, stay as
/// written. The HTML also gets the 1x1 image that records opens and the hidden trap link,
/// before </body> or at the end.
class TrackedLinks
{
public:
    static constexpr std::size_t MAX_URL_SIZE = 2000;
    /// Links longer than this stay as written (mm_links.url holds 2,000 characters).

    static std::string html(const std::string& html, const TrackingLinks& links,
                            const std::vector<std::string>& untracked);
    /// The HTML with its links tracked, the image and the trap link added. Throws what
    /// links.click throws.

    static std::string text(const std::string& text, const TrackingLinks& links,
                            const std::vector<std::string>& untracked);
    /// The plain text with its http(s) links tracked (up to the first blank, quote or angle
    /// bracket, without a sentence's last punctuation). Throws what links.click throws.

    static bool isTracked(const std::string& url, const std::vector<std::string>& untracked);
    /// Whether a link, decoded, goes through the redirect: http(s), at most MAX_URL_SIZE
    /// characters, no blank or control character, not one of untracked.
};
} // namespace MassMailing

#endif
