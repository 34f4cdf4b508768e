#include "delivery/CampaignMessages.h"

namespace MassMailing
{
CampaignMessages::CampaignMessages(const Campaign& campaign, Campaigns& campaigns,
                                   const TestSend::Services& services)
    : _campaign(campaign), _campaigns(campaigns), _services(services),
      _signers(TestSend::signersFor(services, campaign)),
      _files(services.files ? services.files(campaign) : MessageFiles()),
      _bounceDomain(services.bounceDomain ? services.bounceDomain(campaign) : std::string())
{
}

const Composer& CampaignMessages::composerFor(const std::string& locale)
{
    auto& composer = _composers[locale];
    if (!composer)
        composer = std::make_unique<Composer>(
            Campaigns::inLocale(_campaign, locale), _campaigns.valuesFor(_campaign, locale),
            [this, locale](const std::string& key) { return _services.translate(key, locale); }, _files);
    return *composer;
}

ReturnPath CampaignMessages::returnPath(long recipientRow) const
{
    return TestSend::returnPath(_services, _campaign, _bounceDomain, recipientRow, false);
}

std::string CampaignMessages::bytesFor(const Recipient& recipient, const ReturnPath& returnPath)
{
    std::string locale = Campaigns::messageLocale(_campaign, recipient.locale); // C11: version and footer
    const Composer& composer = composerFor(locale);
    // A member's order lines: read for the campaigns whose texts list them (an order summary).
    RecipientLists lists;
    if (composer.uses("order.lines"))
        lists = _campaigns.orderLines(_campaign, recipient, locale);
    MailMessage message =
        composer.compose(recipient, _services.links(_campaign, recipient), returnPath.token, lists);
    std::string bytes = _writer.write(message);
    return TestSend::signed_(_signers, std::move(bytes));
}
} // namespace MassMailing
