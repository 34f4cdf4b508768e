#ifndef MassMailing_CampaignMessages_INCLUDED
#define MassMailing_CampaignMessages_INCLUDED

#include "content/Campaigns.h"
#include "content/Composer.h"
#include "content/MimeWriter.h"
#include "delivery/TestSend.h"
#include <map>
#include <memory>

namespace MassMailing
{
/// The messages of one campaign, prepared once (texts, footer, attachments, DKIM key) and
/// written per recipient. One per worker thread: the MIME writer keeps buffers.
class CampaignMessages
{
public:
    CampaignMessages(const Campaign& campaign, Campaigns& campaigns, const TestSend::Services& services);

    std::string bytesFor(const Recipient& recipient, const ReturnPath& returnPath = {});
    /// The recipient's message as it goes on the wire (CRLF, DKIM-signed when configured), naming
    /// returnPath's token in X-MM-Recipient. Throws MessageTooLargeException.

    ReturnPath returnPath(long recipientRow) const;
    /// The envelope sender of the row's message (TestSend::returnPath). Throws
    /// Poco::InvalidArgumentException when there is no domain for it.

    const Campaign& campaign() const { return _campaign; }

private:
    const Composer& composerFor(const std::string& locale);

    Campaign _campaign;
    Campaigns& _campaigns;
    const TestSend::Services& _services;
    std::map<std::string, std::unique_ptr<Composer>> _composers; // per message language
    std::vector<std::shared_ptr<const DkimSigner>> _signers;
    MessageFiles _files;
    MimeWriter _writer;
    std::string _bounceDomain;
};
} // namespace MassMailing

#endif
