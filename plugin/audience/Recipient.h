#ifndef MassMailing_Recipient_INCLUDED
#define MassMailing_Recipient_INCLUDED

#include <string>

namespace MassMailing
{
/// Someone a campaign can reach: a person (member or CRM contact), a CRM account or a
/// CRM lead, with the fields personalisation reads.
struct Recipient
{
    std::string kind; /// "person", "account" or "lead"
    long id = 0;
    std::string email;
    std::string firstName;
    std::string lastName;
    std::string company;
    std::string locale;
    long row = 0; /// mm_recipients.id when it is a campaign's recipient row (a send); 0 otherwise.
};
} // namespace MassMailing

#endif
