#ifndef MassMailing_Suppression_INCLUDED
#define MassMailing_Suppression_INCLUDED

#include <Poco/DateTime.h>
#include <string>

namespace MassMailing
{
/// How a person left a group's messages.
enum class UnsubscribeMethod
{
    Link,     /// "link": the confirmation page of the footer's link.
    OneClick, /// "one-click": the mailbox's button (RFC 8058 POST).
    Admin,    /// "admin": a group administrator, at the person's request.
    SmsStop   /// "sms-stop": the person answered an SMS with STOP (issue 15, A8).
};

/// An address that receives no more of a group's messages, and since when (X1, A8).
struct Suppression
{
    long groupId = 0;
    std::string address; /// Its identity: see Suppressions::normalise().
    long campaignId = 0; /// The campaign whose link was used; 0 when none.
    UnsubscribeMethod method = UnsubscribeMethod::Link;
    Poco::DateTime createdAt; /// UTC, to the second.

    static std::string methodName(UnsubscribeMethod method);
    /// "link", "one-click", "admin" or "sms-stop", as stored.

    static UnsubscribeMethod parseMethod(const std::string& name);
    /// The method stored as name. Throws Poco::DataFormatException for any other name.
};
} // namespace MassMailing

#endif
