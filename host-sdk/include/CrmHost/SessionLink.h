#ifndef CrmHost_SessionLink_INCLUDED
#define CrmHost_SessionLink_INCLUDED

#include <string>

namespace CrmHost
{
/// The extension point "session links": a button a module adds to the host's page of a studio
/// session (its bookings, waiting list and cancellations), so that a module's page about the
/// session is a click away while the host knows nothing of the module: the inbox's
/// "Communication". Since API 1.8.
struct SessionLink
{
    std::string name;          /// Starts with the module's name: "massmailing.inbox".
    std::string label;         /// Catalogue key of the button's text.
    std::string path;          /// Under the module's pages of the group (/g/{group}/{module}/), "{session}"
                               /// standing for the session's id: "inbox/open?kind=session&subject={session}".
                               /// A relative path: no scheme, no "//", no "..", no backslash.
    std::string requiredRight; /// Shown to the users who hold it in the group; "" for everyone.
};
} // namespace CrmHost

#endif
