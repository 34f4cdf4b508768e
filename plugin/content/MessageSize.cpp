#include "content/MessageSize.h"
#include "content/Composer.h"
#include "content/ContentException.h"
#include "content/MimeWriter.h"
#include <algorithm>

namespace MassMailing
{
MessageSize::MessageSize(Campaigns& campaigns, Attachments& attachments)
    : _campaigns(campaigns), _attachments(attachments)
{
}

std::size_t MessageSize::of(const Campaign& campaign)
{
    // A recipient and links of a typical length: they are all that changes per recipient.
    Recipient recipient{"person", 1, "firstname.lastname@example.org", "Firstname", "Lastname", "", "fr"};
    MessageLinks links{"https://crm.example.org/p/massmailing/u/" + std::string(120, 'x'),
                       "https://crm.example.org/p/massmailing/v/" + std::string(120, 'x')};
    MessageFiles files = _attachments.files(campaign.id);
    mstch::map values = _campaigns.valuesFor(campaign, "fr");
    // Every language version is someone's message: the largest is the one to check (C11).
    std::size_t largest = 0;
    for (const auto& locale : Campaigns::locales(campaign))
    {
        Composer composer(
            Campaigns::inLocale(campaign, locale), values, [](const std::string& key) { return key; }, files);
        largest = std::max(largest, MimeWriter().size(composer.compose(recipient, links)));
    }
    return largest;
}

void MessageSize::check(const Campaign& campaign)
{
    std::size_t bytes = of(campaign);
    if (bytes > limit())
        throw MessageTooLargeException(bytes, limit());
}

std::size_t MessageSize::limit()
{
    return MimeWriter::DEFAULT_SIZE_LIMIT;
}
} // namespace MassMailing
