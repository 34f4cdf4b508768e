#include "RecipientLinks.h"
#include <utility>

namespace MassMailing
{
const char* const RecipientLinks::UNSUBSCRIBE_PATH = "unsubscribe/";
const char* const RecipientLinks::VIEW_ONLINE_PATH = "view/";

RecipientLinks::RecipientLinks(const LinkSigner& signer, std::string publicBase)
    : _signer(signer), _publicBase(std::move(publicBase))
{
    if (!_publicBase.empty() && _publicBase.back() != '/')
        _publicBase += '/';
}

std::string RecipientLinks::unsubscribeUrl(long groupId, long campaignId, long recipientId,
                                           const std::string& address) const
{
    return _publicBase + UNSUBSCRIBE_PATH +
           _signer.sign({LinkPurpose::Unsubscribe, groupId, campaignId, recipientId, address});
}

std::string RecipientLinks::testUnsubscribeUrl(long groupId, long campaignId) const
{
    return _publicBase + UNSUBSCRIBE_PATH +
           _signer.sign({LinkPurpose::Unsubscribe, groupId, campaignId, 0, "", true});
}

std::string RecipientLinks::testViewOnlineUrl(long campaignId, long recipientId,
                                              const std::string& address) const
{
    return _publicBase + VIEW_ONLINE_PATH +
           _signer.sign({LinkPurpose::ViewOnline, 0, campaignId, recipientId, address, true});
}

std::string RecipientLinks::viewOnlineUrl(long campaignId, long recipientId, const std::string& address) const
{
    return _publicBase + VIEW_ONLINE_PATH +
           _signer.sign({LinkPurpose::ViewOnline, 0, campaignId, recipientId, address});
}
} // namespace MassMailing
