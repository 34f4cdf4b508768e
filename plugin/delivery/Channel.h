#ifndef MassMailing_Channel_INCLUDED
#define MassMailing_Channel_INCLUDED

#include "audience/Recipient.h"
#include "content/Campaign.h"
#include "delivery/Envelope.h"
#include "delivery/Transport.h"
#include <memory>
#include <string>

namespace MassMailing
{
/// One message as a channel hands it to its transport: to whom (envelope.recipients holds
/// the row's address: an email address, an E.164 number, a push subscription's key) and its
/// bytes (an RFC 5322 message, an SMS's UTF-8 text, a push payload).
struct Handover
{
    Envelope envelope;
    std::string bytes;
};

/// One campaign's messages on a channel, written per recipient row. One per worker thread
/// (it may keep buffers); made by Channel::messages().
class ChannelMessages
{
public:
    virtual ~ChannelMessages();

    virtual Handover write(const Recipient& recipient) = 0;
    /// The row's message (recipient.row is mm_recipients.id, recipient.email its address on
    /// this channel). Throws a Poco::Exception when it cannot be made: the row fails with the
    /// exception's message and nothing is sent (MessageTooLargeException, a bad number...).
};

/// A way to reach recipients, named as mm_campaigns.channel: "email", "sms", "push". The
/// dispatcher sends every channel's rows the same way (claims, leases, the journal, retries,
/// in doubt after a crash: delivery/Dispatcher); a channel only says how a row's message is
/// written and which transport carries it. Registered with Dispatcher::addChannel().
class Channel
{
public:
    virtual ~Channel();

    virtual std::string name() const = 0;
    /// mm_campaigns.channel of the campaigns it sends.

    virtual std::unique_ptr<ChannelMessages> messages(const Campaign& campaign) const = 0;
    /// The campaign's messages, prepared once per worker and round. Throws a Poco::Exception
    /// when they cannot be made at all (a key that cannot be read): the campaign pauses with
    /// the reason.

    virtual std::unique_ptr<Transport> transport() const = 0;
    /// A new connection of the configured transport; called again after a refused message.
    /// Throws a Poco::Exception when it cannot be built from the settings: the campaign pauses.
    /// Its Transport::messageId() after each send, when not empty, is kept for the row
    /// (Dispatcher: mm_message_ids), for the delivery reports that name it.
};
} // namespace MassMailing

#endif
