#ifndef MassMailing_Routes_INCLUDED
#define MassMailing_Routes_INCLUDED

#include "CrmHost/Screen.h"
#include <functional>
#include <vector>

namespace MassMailing
{
/// What a screen class gives the host: its routes, each with the right the host checks before
/// it runs, in the URL's group (Rights.h). The routes of one campaign ({id}) ask for Rights::ANY:
/// the campaign's own group decides, not the URL's, so CampaignDoor checks the module and the
/// right there, each handler naming what it needs. Module.cpp registers them, nothing else.
using Routes = std::vector<CrmHost::Screen>;

/// A route's handler: a member function of the screen object.
template <class S>
std::function<CrmHost::Response(const CrmHost::Request&)>
on(S* screen, CrmHost::Response (S::*handler)(const CrmHost::Request&))
{
    return [screen, handler](const CrmHost::Request& request) { return (screen->*handler)(request); };
}

template <class S>
std::function<CrmHost::Response(const CrmHost::Request&)>
on(const S* screen, CrmHost::Response (S::*handler)(const CrmHost::Request&) const)
{
    return [screen, handler](const CrmHost::Request& request) { return (screen->*handler)(request); };
}
} // namespace MassMailing

#endif
