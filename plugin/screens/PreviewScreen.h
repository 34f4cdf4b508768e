#ifndef MassMailing_PreviewScreen_INCLUDED
#define MassMailing_PreviewScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "audience/RecipientDirectory.h"
#include "audience/TestList.h"
#include "content/Attachments.h"
#include "content/MessageSize.h"
#include "delivery/TestSend.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"
#include <functional>

namespace MassMailing
{
/// Step 4 of the wizard, "Preview and test" (C9, C4, C3): the message as a chosen recipient
/// gets it (subject, HTML in a sandboxed frame, text), the variables this audience cannot
/// fill with the number of recipients they affect, the size against the limit, and test
/// sends to typed addresses and the group's test list, filled with the recipient's values.
class PreviewScreen
{
public:
    PreviewScreen(Wizard& wizard, RecipientDirectory& directory, TestList& testList, Attachments& attachments,
                  MessageSize& size, TestSend& testSend, std::function<std::string()> transportName);
    /// transportName: the configured transport ("outbox", "smtp"...), to say where tests went.

    Routes routes();
    /// Its routes, with the right the host checks for each (see Routes.h).

    CrmHost::Response show(const CrmHost::Request& request);
    /// GET campaigns/{id}/preview[?recipient=KIND:ID]

    CrmHost::Response test(const CrmHost::Request& request);
    /// POST campaigns/{id}/test: "to" (addresses separated by commas, spaces or lines),
    /// "test_list_N" (addresses of the test list), "recipient" (whose values fill it).

private:
    struct Outcome
    {
        std::string notice;
        std::string error;
        std::string toError;
        int status = 200;
    };

    CrmHost::Response render(const CrmHost::Request& request, const Campaign& campaign,
                             const Outcome& outcome);

    Wizard& _wizard;
    RecipientDirectory& _directory;
    TestList& _testList;
    Attachments& _attachments;
    MessageSize& _size;
    TestSend& _testSend;
    std::function<std::string()> _transportName;
};
} // namespace MassMailing

#endif
