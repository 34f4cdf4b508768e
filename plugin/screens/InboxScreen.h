#ifndef MassMailing_InboxScreen_INCLUDED
#define MassMailing_InboxScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/Audience.h"
#include "audience/RecipientDirectory.h"
#include "inbox/Inbox.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include "tracking/Results.h"

namespace MassMailing
{
/// The inbox's pages (M3, R1, R2, seed 003): the conversations, newest first with their unread
/// counts, and the unmatched replies; one conversation's thread (every message with its date
/// and time, its channel as an icon and a word, its number of recipients, manual or automatic,
/// a reply's quoted original folded away), its filters, and the composer (a member: Send
/// disabled without address, the consent warning; a session: the bookings, waiting list and
/// cancellations to choose, several at once, each recipient deselectable); a sent message's
/// recipients with their status; the whole group's history. Reading needs massmailing.compose,
/// sending massmailing.send.
class InboxScreen
{
public:
    InboxScreen(Wizard& wizard, Inbox& inbox, Campaigns& campaigns, Audience& audience,
                RecipientDirectory& directory, Results& results);

    Routes routes();

    CrmHost::Response home(const CrmHost::Request& request); /// GET inbox
    CrmHost::Response
    open(const CrmHost::Request& request); /// POST inbox/open; GET inbox/open?kind=&subject=
    CrmHost::Response member(const CrmHost::Request& request); /// GET inbox/member?email= (the members' link)
    CrmHost::Response conversation(const CrmHost::Request& request); /// GET inbox/c/{id}
    CrmHost::Response send(const CrmHost::Request& request);         /// POST inbox/c/{id}/send
    CrmHost::Response recipients(const CrmHost::Request& request);   /// GET inbox/c/{id}/m/{campaign}
    CrmHost::Response history(const CrmHost::Request& request);      /// GET inbox/history

private:
    Conversation conversationOf(const CrmHost::Request& request);
    CrmHost::Response thread(const CrmHost::Request& request, const Conversation* conversation, int status,
                             const std::string& error, const std::string& errorField);
    mstch::array items(const CrmHost::Request& request, const std::vector<HistoryItem>& found,
                       const Conversation* conversation);

    Wizard& _wizard;
    Inbox& _inbox;
    Campaigns& _campaigns;
    Audience& _audience;
    RecipientDirectory& _directory;
    Results& _results;
};
} // namespace MassMailing

#endif
