#ifndef MassMailing_HomeScreen_INCLUDED
#define MassMailing_HomeScreen_INCLUDED

#include "CrmHost/Screen.h"
#include "CrmHost/TemplateRenderer.h"

namespace MassMailing
{
/// The module's home in a group: its page and its JSON status route.
class HomeScreen
{
public:
    explicit HomeScreen(const CrmHost::TemplateRenderer& templates);

    CrmHost::Response page(const CrmHost::Request& request) const;
    CrmHost::Response status(const CrmHost::Request& request) const;
    /// GET /api/v1/massmailing/status?group=G: {"module", "version", "group"}.

private:
    const CrmHost::TemplateRenderer& _templates;
};
} // namespace MassMailing

#endif
