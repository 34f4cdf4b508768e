#include "delivery/TestSend.h"
#include "audience/EmailAddress.h"
#include "content/ContentException.h"
#include "content/MimeWriter.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <algorithm>

namespace MassMailing
{
VariablesException::VariablesException(std::vector<VariableProblem> problems)
    : Poco::DataException("the message uses variables this audience cannot fill"),
      _problems(std::move(problems))
{
}

TestSend::TestSend(Campaigns& campaigns, RecipientDirectory& directory, Services services)
    : _campaigns(campaigns), _directory(directory), _services(std::move(services))
{
}

Recipient TestSend::sample(const Campaign& campaign, const std::string& recipient)
{
    if (recipient.empty())
    {
        // A sample that shows the personalisation: a valid address and a first name.
        auto candidates = _directory.list(campaign.groupId, campaign.recipientType, 50);
        auto best = std::find_if(candidates.begin(), candidates.end(),
                                 [](const Recipient& r)
                                 { return EmailAddress::isValid(r.email) && !r.firstName.empty(); });
        if (best != candidates.end())
            return *best;
        if (candidates.empty())
            throw FieldException("sample_recipient", "no_recipient",
                                 "this group has no " + campaign.recipientType + " to fill the message with");
        return candidates.front();
    }
    auto colon = recipient.find(':');
    std::string kind = colon == std::string::npos ? "person" : recipient.substr(0, colon);
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(colon == std::string::npos ? recipient : recipient.substr(colon + 1),
                                        id))
        throw FieldException("sample_recipient", "bad_recipient",
                             "sample_recipient must be an id or KIND:ID, not \"" + recipient + "\"");
    auto found = _directory.find(campaign.groupId, campaign.recipientType, kind, long(id));
    if (!found)
        throw FieldException("sample_recipient", "unknown_recipient",
                             "recipient " + recipient + " is not among this campaign's " +
                                 campaign.recipientType);
    return *found;
}

void TestSend::check(const Campaign& campaign)
{
    if (Campaigns::hasSubject(campaign.channel) && campaign.subject.empty())
        throw FieldException("subject", "required", "a subject is required for " + campaign.channel);
    if (!Campaigns::hasSubject(campaign.channel) && Poco::trim(campaign.text).empty())
        throw FieldException("text", "required", "an SMS needs a text");
    std::vector<std::string> used;
    std::vector<const std::string*> texts{&campaign.subject, &campaign.subjectPrefix, &campaign.html,
                                          &campaign.text};
    for (const auto& version : campaign.versions) // every language version is sent to someone
        texts.insert(texts.end(), {&version.subject, &version.html, &version.text});
    for (const std::string* text : texts)
        for (const auto& name : Personalizer::variablesOf(*text))
            if (std::find(used.begin(), used.end(), name) == used.end())
                used.push_back(name);
    std::string kind = _campaigns.groupKind(campaign.groupId);
    auto problems = Variables::check(used, campaign.recipientType, kind,
                                     _directory.count(campaign.groupId, campaign.recipientType));
    if (!problems.empty())
        throw VariablesException(problems);
}

ReturnPath TestSend::returnPath(const Services& services, const Campaign& campaign, const std::string& domain,
                                long recipientRow, bool test)
{
    if (!services.bounceAddress)
        return {campaign.senderEmail, ""};
    return services.bounceAddress->returnPath({campaign.id, recipientRow, test}, domain,
                                              campaign.senderEmail);
}

MailMessage TestSend::preview(const Campaign& campaign, const Recipient& recipient)
{
    // Never the sample's own links, whoever receives the test (finding 6).
    return compose(campaign, recipient,
                   _services.testLinks ? _services.testLinks(campaign, recipient) : MessageLinks{});
}

MailMessage TestSend::asSent(const Campaign& campaign, const Recipient& recipient)
{
    return compose(campaign, recipient, _services.links(campaign, recipient));
}

MailMessage TestSend::compose(const Campaign& campaign, const Recipient& recipient, const MessageLinks& links,
                              const std::string& recipientToken)
{
    check(campaign);
    std::string locale = Campaigns::messageLocale(campaign, recipient.locale);
    Composer composer(
        Campaigns::inLocale(campaign, locale), _campaigns.valuesFor(campaign, locale),
        [&](const std::string& key) { return _services.translate(key, locale); },
        _services.files ? _services.files(campaign) : MessageFiles());
    return composer.compose(recipient, links, recipientToken);
}

TestSendResult TestSend::send(const Campaign& campaign, const std::vector<std::string>& to,
                              const std::string& recipient)
{
    if (to.empty() || to.size() > 20)
        throw FieldException("to", "bad_count", "give 1 to 20 test addresses");
    std::vector<std::string> addresses;
    for (const auto& address : to)
    {
        std::string normalized = EmailAddress::normalize(address);
        if (!EmailAddress::isValid(normalized))
            throw FieldException("to", "invalid_address", "\"" + address + "\" is not a valid email address");
        addresses.push_back(normalized);
    }
    TestSendResult result{sample(campaign, recipient), {}, 0};
    // Marked as a test's: its bounces are recorded and suppress nothing.
    const ReturnPath path =
        returnPath(_services, campaign,
                   _services.bounceDomain ? _services.bounceDomain(campaign) : std::string(), 0, true);
    MessageLinks links = _services.testLinks ? _services.testLinks(campaign, result.sample) : MessageLinks{};
    if (_services.testTracking)
        links.tracking = _services.testTracking(campaign);
    MailMessage message = compose(campaign, result.sample, links, path.token);

    MimeWriter writer;
    auto transport = _services.transport();
    auto signers = signersFor(_services, campaign);
    for (const auto& address : addresses)
    {
        message.to = {MailAddress(address)};
        std::string bytes = writer.write(message); // throws MessageTooLargeException over 25 MB
        bytes = signed_(signers, std::move(bytes));
        transport->send(Envelope{path.address, {address}}, bytes);
        result.sentTo.push_back(address);
        if (_services.sent)
            _services.sent(campaign, address, result.sample);
        result.bytes = bytes.size();
    }
    return result;
}
std::vector<std::shared_ptr<const DkimSigner>> TestSend::signersFor(const Services& services,
                                                                    const Campaign& campaign)
{
    std::vector<std::shared_ptr<const DkimSigner>> signers;
    if (services.domainSigners)
        signers = services.domainSigners(campaign);
    if (signers.empty() && services.signer)
        if (auto signer = services.signer())
            signers.push_back(std::move(signer));
    return signers;
}

std::string TestSend::signed_(const std::vector<std::shared_ptr<const DkimSigner>>& signers,
                              std::string message)
{
    for (const auto& signer : signers)
        message = signer->sign(message);
    return message;
}
} // namespace MassMailing
