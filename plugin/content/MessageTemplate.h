#ifndef MassMailing_MessageTemplate_INCLUDED
#define MassMailing_MessageTemplate_INCLUDED

#include <string>

namespace MassMailing
{
/// A saved message a group starts new campaigns from (table mm_templates, C2): a subject and
/// an HTML body, its images kept inside as data: URIs so that it needs no campaign's files.
struct MessageTemplate
{
    long id = 0;
    long groupId = 0;
    std::string name;
    std::string subject;
    std::string html;
    std::string createdAt;
};
} // namespace MassMailing

#endif
