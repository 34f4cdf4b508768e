// Fuzz target: what the host's mailbox reads of a received message by itself
// (host-sdk/src/Mailbox): the recipients and sender its headers name, for mail that came
// without an envelope, and the address patterns of the inbound mail handlers. The first line
// is a pattern, the rest a message. Checked: every address found is plausible (an "@", no
// space, no angle bracket, at most 320 bytes), at most 100 of them, and "*" matches anything.
#include "FuzzInput.h"
#include "Mailbox.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 2);
    const std::string& pattern = fields[0];
    const std::string& raw = fields[1];
    auto recipients = CrmHost::Mailbox::headerRecipients(raw);
    if (recipients.size() > 100)
        std::abort();
    for (const auto& address : recipients)
    {
        if (address.empty() || address.size() > 320 || address.find('@') == std::string::npos ||
            address.find_first_of(" \t\r\n<>") != std::string::npos)
            std::abort();
        CrmHost::Mailbox::matches(pattern.substr(0, 400), address);
        if (!CrmHost::Mailbox::matches("*", address) || !CrmHost::Mailbox::matches(address, address))
            std::abort();
    }
    std::string sender = CrmHost::Mailbox::headerSender(raw);
    if (sender.size() > 320)
        std::abort();
    return 0;
}
