#ifndef MassMailing_OutboxScreen_INCLUDED
#define MassMailing_OutboxScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>
#include <string>

namespace MassMailing
{
/// The outbox (D5): the messages the outbox transport wrote, newest first (time, from, to,
/// subject, size), and one message read back: its headers, its HTML in a sandboxed frame,
/// its text, its files and its raw bytes. A group sees the messages of its own campaigns
/// (their Feedback-ID names the group); a host administrator sees them all.
class OutboxScreen
{
public:
    OutboxScreen(Wizard& wizard, std::function<std::string()> folder);
    /// folder: the outbox folder (the setting massmailing.outbox.dir).

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response list(const CrmHost::Request& request);    /// GET outbox
    CrmHost::Response message(const CrmHost::Request& request); /// GET outbox/{name}[?download=1]

private:
    bool visible(const CrmHost::Request& request, const std::string& folder, const std::string& name) const;

    Wizard& _wizard;
    std::function<std::string()> _folder;
};
} // namespace MassMailing

#endif
