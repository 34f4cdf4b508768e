#ifndef MassMailing_InboxReplies_INCLUDED
#define MassMailing_InboxReplies_INCLUDED

#include "CrmHost/InboundMail.h"
#include "inbox/Inbox.h"

namespace MassMailing
{
/// The inbound mail handler of the replies (M3): mail to a thread's Reply-To ("reply+TOKEN@...",
/// ReplyAddress), read (sender, subject, text) and recorded by Inbox::receive, which folds the
/// quoted original away. A reply whose token is forged or stale is kept as unmatched in the
/// inbox and, not understood, kept and listed by the host too.
class InboxReplies
{
public:
    static const char* const HANDLER; /// "massmailing.replies", for ReplyAddress::PATTERN.

    explicit InboxReplies(Inbox& inbox);

    CrmHost::InboundOutcome handle(const CrmHost::InboundMessage& message) const;
    /// Understood when the reply landed in a conversation; else not, saying why. Throws the
    /// database's exception: the host offers the message again later (recorded once).

private:
    Inbox& _inbox;
};
} // namespace MassMailing

#endif
