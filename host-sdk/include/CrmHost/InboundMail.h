#ifndef CrmHost_InboundMail_INCLUDED
#define CrmHost_InboundMail_INCLUDED

#include <Poco/DateTime.h>
#include <functional>
#include <string>
#include <vector>

namespace CrmHost
{
/// One message the host received for its modules (by its SMTP listener, or `crmhost mail
/// receive` from an MTA's pipe). The host stores it, raw and with its time, before anything
/// reads it, and keeps it until a handler has processed it. Since API 1.4.
struct InboundMessage
{
    long id = 0;                         /// The host's number of the stored message.
    std::string raw;                     /// The RFC 5322 message as received.
    std::string envelopeSender;          /// MAIL FROM; empty for the null sender "<>" of bounces.
    std::vector<std::string> recipients; /// RCPT TO: the addresses it was sent to.
    Poco::DateTime receivedAt;           /// UTC.
};

/// What a handler made of a message: understood (done with it), or not its kind after all
/// (the host then offers it to the next handler, and keeps and lists it when none understood).
struct InboundOutcome
{
    bool understood = false;
    std::string detail; /// What it was ("hard bounce of recipient 12"), or why it was not understood.
};

/// The extension point "inbound mail handlers": the mail sent to addresses matching a pattern
/// goes to a module's handler. A pattern is an address in which "*" stands for any run of
/// characters, compared without regard to case: "bounce+*@*", "reply+*@crm.example".
struct InboundMailHandler
{
    std::string name;    /// Starts with the module's name: "massmailing.bounces".
    std::string pattern; /// Matched against each envelope recipient of the message.
    std::function<InboundOutcome(const InboundMessage& message)> handle;
    /// Throws for a failure that may pass (the database is down): the message stays stored,
    /// and is offered again later.
};
} // namespace CrmHost

#endif
