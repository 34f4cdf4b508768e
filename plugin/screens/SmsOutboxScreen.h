#ifndef MassMailing_SmsOutboxScreen_INCLUDED
#define MassMailing_SmsOutboxScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>
#include <string>

namespace MassMailing
{
/// The SMS outbox (issue 15): the SMS the outbox transport wrote (massmailing.sms.outbox.dir),
/// newest first, with their number, text, encoding and segments. A group sees the SMS of its
/// own campaigns (the row their reference names); a host administrator sees them all.
class SmsOutboxScreen
{
public:
    SmsOutboxScreen(Wizard& wizard, std::function<std::string()> folder,
                    std::function<long(long row)> groupOfRow);

    Routes routes();
    CrmHost::Response list(const CrmHost::Request& request); /// GET sms-outbox

private:
    Wizard& _wizard;
    std::function<std::string()> _folder;
    std::function<long(long row)> _groupOfRow;
};
} // namespace MassMailing

#endif
