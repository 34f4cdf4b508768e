#ifndef MassMailing_SenderDomainsScreen_INCLUDED
#define MassMailing_SenderDomainsScreen_INCLUDED

#include "content/SenderDomains.h"
#include "screens/Routes.h"
#include "screens/Wizard.h"

namespace MassMailing
{
/// A group's sending domains (C1, D10), for its administrators (Rights::ADMIN): the list and
/// the form to add one (GET, POST settings/domains), one domain's records to publish and what
/// the last check found (GET settings/domains/{id}), the check (POST settings/domains/{id}/check)
/// and the rotation of its keys (POST settings/domains/{id}/rotate).
class SenderDomainsScreen
{
public:
    SenderDomainsScreen(Wizard& wizard, SenderDomains& domains);

    Routes routes();

    CrmHost::Response list(const CrmHost::Request& request);
    CrmHost::Response add(const CrmHost::Request& request);
    CrmHost::Response domain(const CrmHost::Request& request);
    CrmHost::Response check(const CrmHost::Request& request);
    CrmHost::Response rotate(const CrmHost::Request& request);

private:
    CrmHost::Response renderList(const CrmHost::Request& request, const std::string& error, int status);
    SenderDomain domainOf(const CrmHost::Request& request) const;

    Wizard& _wizard;
    SenderDomains& _domains;
};
} // namespace MassMailing

#endif
