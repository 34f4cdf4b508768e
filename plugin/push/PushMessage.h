#ifndef MassMailing_PushMessage_INCLUDED
#define MassMailing_PushMessage_INCLUDED

#include <string>

namespace MassMailing
{
/// A notification as the service worker shows it (plugin/web/push-sw.js): a campaign's subject
/// as the title, its text part as the body, and the URL opened on a click.
struct PushMessage
{
    std::string title;
    std::string body;
    std::string url;

    std::string payload() const;
    /// {"title", "body", "url"} in JSON, the body cut (at a character boundary, with "…") so that
    /// the whole fits one encrypted record (PushEncryption::MAX_PLAINTEXT). Throws
    /// Poco::InvalidArgumentException when the title and URL alone do not fit.
};
} // namespace MassMailing

#endif
