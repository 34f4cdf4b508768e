#include "content/Composer.h"
#include "content/BounceAddress.h"
#include "content/TextAlternative.h"
#include "content/Variables.h"
#include <algorithm>

namespace MassMailing
{
namespace
{
bool uses(const std::string& text, const std::string& variable)
{
    auto used = Personalizer::variablesOf(text);
    return std::find(used.begin(), used.end(), variable) != used.end();
}

std::string htmlBody(const Campaign& campaign,
                     const std::function<std::string(const std::string&)>& translate)
{
    if (uses(campaign.html, "unsubscribe_url"))
        return campaign.html;
    return campaign.html + "\n<hr>\n<p style=\"font-size:12px;color:#666\">" +
           translate("massmailing.footer.why") + "<br>\n<a href=\"{{unsubscribe_url}}\">" +
           translate("massmailing.footer.unsubscribe") + "</a> · <a href=\"{{view_online_url}}\">" +
           translate("massmailing.footer.viewOnline") + "</a></p>\n";
}

std::string textBody(const Campaign& campaign,
                     const std::function<std::string(const std::string&)>& translate)
{
    std::string text = campaign.text.empty() ? TextAlternative().fromHtml(campaign.html) : campaign.text;
    if (uses(text, "unsubscribe_url"))
        return text;
    return text + "\n-- \n" + translate("massmailing.footer.why") + "\n" +
           translate("massmailing.footer.unsubscribe") + ": {{unsubscribe_url}}\n" +
           translate("massmailing.footer.viewOnline") + ": {{view_online_url}}\n";
}

std::string subjectLine(const Campaign& campaign)
{
    return campaign.subjectPrefix.empty() ? campaign.subject
                                          : campaign.subjectPrefix + " " + campaign.subject;
}
} // namespace

Composer::Composer(const Campaign& campaign, const mstch::map& campaignValues,
                   const std::function<std::string(const std::string&)>& translate, MessageFiles files)
    : _campaign(campaign), _files(std::move(files)),
      _subject(subjectLine(campaign), Variables::recipientNames(), campaignValues,
               Personalizer::Escaping::Header, "subject"),
      _html(htmlBody(campaign, translate), Variables::recipientNames(), campaignValues,
            Personalizer::Escaping::Html, "html"),
      _text(textBody(campaign, translate), Variables::recipientNames(), campaignValues,
            Personalizer::Escaping::Text, "text")
{
}

MailMessage Composer::compose(const Recipient& recipient, const MessageLinks& links,
                              const std::string& recipientToken) const
{
    auto values = Variables::valuesOf(recipient);
    values["unsubscribe_url"] = links.unsubscribe;
    values["view_online_url"] = links.viewOnline;

    MailMessage message;
    message.from = MailAddress(_campaign.senderName, _campaign.senderEmail);
    if (!_campaign.replyTo.empty())
        message.replyTo = MailAddress(_campaign.replyTo);
    // The name comes from the recipient's record or a CSV line: a header never gets its line breaks.
    message.to.push_back(MailAddress(
        Personalizer::asHeader(recipient.firstName.empty() && recipient.lastName.empty()
                                   ? std::string()
                                   : recipient.firstName +
                                         (recipient.lastName.empty() ? "" : " " + recipient.lastName)),
        recipient.email));
    message.subject = _subject.render(values);
    message.html = _html.render(values);
    message.text = _text.render(values);
    if (links.tracking.on())
    {
        const std::vector<std::string> untracked{links.unsubscribe, links.viewOnline};
        // A link of both bodies is signed once: the text's links are mostly the HTML's.
        std::vector<std::pair<std::string, std::string>> signed_;
        TrackingLinks tracking = links.tracking;
        tracking.click = [&signed_, &links](const std::string& url)
        {
            for (const auto& [link, redirect] : signed_)
                if (link == url)
                    return redirect;
            signed_.emplace_back(url, links.tracking.click(url));
            return signed_.back().second;
        };
        if (!message.html.empty())
            message.html = TrackedLinks::html(message.html, tracking, untracked);
        message.text = TrackedLinks::text(message.text, tracking, untracked);
    }
    message.attachments = _files.attachments;
    message.inlineImages = _files.inlineImages;
    message.setHeader("List-Unsubscribe", "<" + links.unsubscribe + ">");
    message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    // Feedback-ID (Gmail's feedback loop): campaign:group:sender, then our identifier.
    message.setHeader("Feedback-ID", std::to_string(_campaign.id) + ":" + std::to_string(_campaign.groupId) +
                                         ":" + message.from.domain() + ":massmailing");
    // A bounce or feedback report that quotes only the headers still names its recipient row.
    if (!recipientToken.empty())
        message.setHeader(BounceAddress::RECIPIENT_HEADER, recipientToken);
    return message;
}
} // namespace MassMailing
