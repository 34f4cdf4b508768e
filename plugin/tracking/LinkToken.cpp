#include "LinkToken.h"

namespace MassMailing
{
bool LinkToken::operator==(const LinkToken& other) const
{
    return purpose == other.purpose && groupId == other.groupId && campaignId == other.campaignId &&
           recipientId == other.recipientId && address == other.address && test == other.test &&
           linkId == other.linkId;
}

std::string LinkToken::purposeName(LinkPurpose purpose)
{
    switch (purpose)
    {
    case LinkPurpose::Unsubscribe:
        return "unsubscribe";
    case LinkPurpose::ViewOnline:
        return "view online";
    case LinkPurpose::Open:
        return "open";
    case LinkPurpose::Click:
        return "click";
    }
    return "unknown";
}
} // namespace MassMailing
