#ifndef MassMailing_Rights_INCLUDED
#define MassMailing_Rights_INCLUDED

namespace MassMailing
{
/// The rights the module declares, by the names the host stores. Which route needs which is
/// listed by each screen's routes() (screens/Routes.h) and in docs/api.md's rights matrix.
namespace Rights
{
constexpr const char* COMPOSE = "massmailing.compose"; /// Write campaigns, their audience and tests.
constexpr const char* SEND = "massmailing.send";       /// Schedule, pause, resume, cancel, pace, resend.
constexpr const char* APPROVE = "massmailing.approve"; /// Approve or reject what others scheduled (D2).
constexpr const char* ADMIN =
    "massmailing.admin";        /// Administer the module in a group: export and erase a person's data (X2).
constexpr const char* ANY = ""; /// Any of the three: enough to see a campaign.
} // namespace Rights
} // namespace MassMailing

#endif
