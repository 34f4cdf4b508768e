#include "inbox/InboxReplies.h"
#include "content/MessageReader.h"
#include "content/ReplyAddress.h"
#include "content/TextAlternative.h"
#include <Poco/String.h>

namespace MassMailing
{
const char* const InboxReplies::HANDLER = "massmailing.replies";

namespace
{
// The address of a From header: inside angle brackets when there are some.
std::string addressOf(const std::string& header)
{
    const auto open = header.rfind('<');
    const auto close = header.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return Poco::trim(header.substr(open + 1, close - open - 1));
    return Poco::trim(header);
}
} // namespace

InboxReplies::InboxReplies(Inbox& inbox) : _inbox(inbox) {}

CrmHost::InboundOutcome InboxReplies::handle(const CrmHost::InboundMessage& message) const
{
    // The envelope names the thread; a forwarding that lost it may still carry it in To or Cc.
    std::string token;
    for (const std::string& recipient : message.recipients)
        if (token.empty())
            token = ReplyAddress::find(recipient);
    ReadMessage read = MessageReader::read(message.raw);
    if (token.empty())
        token = ReplyAddress::find(read.header("To") + " " + read.header("Cc"));
    if (token.empty())
        return {false, "no reply token in the recipients"};

    IncomingMessage incoming;
    incoming.channel = "email";
    incoming.from =
        addressOf(read.header("Reply-To").empty() ? read.header("From") : read.header("Reply-To"));
    incoming.subject = read.header("Subject");
    incoming.text = read.text;
    if (incoming.text.empty() && !read.html.empty())
    {
        try
        {
            incoming.text = TextAlternative().fromHtml(read.html);
        }
        catch (const Poco::Exception&) // HTML too deep to read: kept raw by the host
        {
        }
    }
    incoming.at = message.receivedAt;
    incoming.threadToken = token;
    incoming.source = "mail:" + std::to_string(message.id);
    ReceivedMessage received = _inbox.receive(incoming);
    if (received.conversationId)
        return {true, "reply from " + incoming.from + " in conversation " +
                          std::to_string(received.conversationId)};
    return {false,
            "an unmatched reply" +
                (received.groupId ? ", kept in the inbox of group " + std::to_string(received.groupId) : "") +
                ": " + received.reason};
}
} // namespace MassMailing
