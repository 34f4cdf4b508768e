#include "LinkToken.h"

namespace MassMailing
{
bool LinkToken::operator==(const LinkToken& other) const
{
    return purpose == other.purpose && groupId == other.groupId && campaignId == other.campaignId &&
           recipientId == other.recipientId && address == other.address && test == other.test;
}

std::string LinkToken::purposeName(LinkPurpose purpose)
{
    switch (purpose)
    {
    case LinkPurpose::Unsubscribe:
        return "unsubscribe";
    case LinkPurpose::ViewOnline:
        return "view online";
    }
    return "unknown";
}
} // namespace MassMailing
