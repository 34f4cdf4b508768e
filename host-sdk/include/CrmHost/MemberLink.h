#ifndef CrmHost_MemberLink_INCLUDED
#define CrmHost_MemberLink_INCLUDED

#include <string>

namespace CrmHost
{
/// The extension point "member links": a link a module adds beside each person of the host's
/// member screen, so that a module's page about one person is a click away while the host knows
/// nothing of the module. Since API 1.6.
struct MemberLink
{
    std::string name;          /// Starts with the module's name: "massmailing.address_log".
    std::string label;         /// Catalogue key of the link's text.
    std::string path;          /// Under the module's pages of the group (/g/{group}/{module}/), "{email}"
                               /// standing for the person's address, which the host URL-encodes:
                               /// "addresses/log?address={email}". A relative path: no scheme, no
                               /// "//", no "..", no backslash.
    std::string requiredRight; /// Shown to the users who hold it in the group; "" for everyone.
};
} // namespace CrmHost

#endif
