#ifndef MassMailing_InboxApi_INCLUDED
#define MassMailing_InboxApi_INCLUDED

#include "CrmHost/Screen.h"
#include "inbox/Inbox.h"
#include "screens/Routes.h"
#include <Poco/JSON/Object.h>

namespace MassMailing
{
/// The inbox's routes of the JSON API (M3, R1, R2): conversations, their messages and the
/// group's history with the filters, unmatched replies, writing from a conversation. Reading
/// needs massmailing.compose in the conversation's group; writing, massmailing.send.
class InboxApi
{
public:
    explicit InboxApi(Inbox& inbox);

    Routes routes();

    CrmHost::Response conversations(const CrmHost::Request& request); /// GET inbox/conversations?group=G
    CrmHost::Response open(const CrmHost::Request& request);          /// POST inbox/conversations
    CrmHost::Response get(const CrmHost::Request& request);           /// GET inbox/conversations/{id}
    CrmHost::Response messages(const CrmHost::Request& request);  /// GET inbox/conversations/{id}/messages
    CrmHost::Response send(const CrmHost::Request& request);      /// POST inbox/conversations/{id}/messages
    CrmHost::Response read(const CrmHost::Request& request);      /// POST inbox/conversations/{id}/read
    CrmHost::Response history(const CrmHost::Request& request);   /// GET inbox/history?group=G
    CrmHost::Response unmatched(const CrmHost::Request& request); /// GET inbox/unmatched?group=G

    static HistoryFilter filterOf(const CrmHost::Request& request);
    /// The filters of a query: channel, from, to, direction, mode, booking.
    static Poco::JSON::Object::Ptr toJson(const HistoryItem& item);

private:
    Conversation conversationOf(const CrmHost::Request& request, const std::string& right);
    /// The conversation of the {id} in the path, when the user holds the right in its group and
    /// the module is enabled there; else 404.

    Inbox& _inbox;
};
} // namespace MassMailing

#endif
