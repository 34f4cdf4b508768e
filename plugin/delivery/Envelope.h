#ifndef MassMailing_Envelope_INCLUDED
#define MassMailing_Envelope_INCLUDED

#include <string>
#include <vector>

namespace MassMailing
{
/// The SMTP envelope of one message: where bounces go and who receives it. It is not read
/// from the message's headers: a campaign's return path is its bounce address, and Bcc-like
/// recipients are in no header at all.
struct Envelope
{
    std::string from;                    /// The return path (MAIL FROM); empty for the null sender "<>".
    std::vector<std::string> recipients; /// RCPT TO addresses, at least one.

    void check() const;
    /// Throws Poco::InvalidArgumentException, naming the field ("envelope recipient"), when
    /// there is no recipient, a recipient is empty, or an address holds a space, a control
    /// character or an angle bracket: it would end or add a command on the SMTP wire.
};
} // namespace MassMailing

#endif
