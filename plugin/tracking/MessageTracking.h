#ifndef MassMailing_MessageTracking_INCLUDED
#define MassMailing_MessageTracking_INCLUDED

#include "GroupSettings.h"
#include "content/Campaign.h"
#include "content/TrackedLinks.h"
#include "tracking/CampaignLinks.h"
#include "tracking/LinkSigner.h"
#include <Poco/Timestamp.h>
#include <map>
#include <mutex>

namespace MassMailing
{
/// Whether a message's opens and clicks are tracked, and its signed open and click links
/// (TrackingLinks, which content's TrackedLinks puts in the message): tracked when the
/// campaign's "tracking" and its group's setting "tracking" are both on.
class MessageTracking
{
public:
    static const char* const CLICK_PATH; /// "c/": the public path of the redirect, then the token.
    static const char* const OPEN_PATH;  /// "o/": the public path of the 1x1 image, then the token.

    MessageTracking(const LinkSigner& signer, CampaignLinks& links, const GroupSettings& groups,
                    std::string publicBase);
    /// publicBase is ModuleContext::publicUrl(""). All three must outlive this object.

    TrackingLinks linksFor(const Campaign& campaign, long row);
    /// The links of the message of the recipient row (mm_recipients.id); none when tracking
    /// is off, or without a row (a message "viewed online" is not the one sent).

    TrackingLinks testLinksFor(const Campaign& campaign);
    /// The links of a test message (C9), marked as a test's: clicks go to the links, and are
    /// recorded without counting for anyone. None when tracking is off.

    bool tracked(const Campaign& campaign);
    /// The campaign's and its group's switches; the group's is read at most every 30 seconds.

    bool byTransport();
    /// The transport tracks opens and clicks itself (the host's "transport" is "mailjet": its
    /// TrackOpens and TrackClicks follow tracked()), so our messages hold no pixel and keep their
    /// links as written; read at most every 30 seconds.

private:
    TrackingLinks make(const Campaign& campaign, long row, bool test);

    const LinkSigner& _signer;
    CampaignLinks& _links;
    const GroupSettings& _groups;
    std::string _publicBase;
    std::mutex _lock;
    std::map<long, std::pair<bool, Poco::Timestamp>> _groupOn;
    std::pair<bool, Poco::Timestamp> _byTransport{false, Poco::Timestamp(0)};
};
} // namespace MassMailing

#endif
