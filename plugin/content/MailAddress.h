#ifndef MassMailing_MailAddress_INCLUDED
#define MassMailing_MailAddress_INCLUDED

#include <string>

namespace MassMailing
{
/// A mailbox: a display name (UTF-8, may be empty) and an address (ASCII, local@domain).
/// Plain data; MimeWriter checks and encodes it when it writes a header.
struct MailAddress
{
    std::string name;
    std::string address;

    MailAddress() = default;

    MailAddress(std::string address);
    /// An address without display name.

    MailAddress(std::string name, std::string address);

    bool empty() const { return address.empty(); }
    /// True when there is no address (a Reply-To that is not set).

    std::string domain() const;
    /// The part after the last "@", lower-cased; empty when there is none.
};
} // namespace MassMailing

#endif
