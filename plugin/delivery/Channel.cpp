#include "delivery/Channel.h"

namespace MassMailing
{
ChannelMessages::~ChannelMessages() = default;

Channel::~Channel() = default;
} // namespace MassMailing
