#ifndef MassMailing_TestSend_INCLUDED
#define MassMailing_TestSend_INCLUDED

#include "audience/RecipientDirectory.h"
#include "content/BounceAddress.h"
#include "content/Campaigns.h"
#include "content/Composer.h"
#include "content/DkimSigner.h"
#include "content/Variables.h"
#include "delivery/Transport.h"
#include <functional>
#include <memory>
#include <optional>

namespace MassMailing
{
/// Variables of a campaign's texts that its audience cannot fill (C4): nothing is sent.
class VariablesException : public Poco::DataException
{
public:
    explicit VariablesException(std::vector<VariableProblem> problems);
    const std::vector<VariableProblem>& problems() const { return _problems; }
    Poco::Exception* clone() const override { return new VariablesException(*this); }
    void rethrow() const override { throw *this; }

private:
    std::vector<VariableProblem> _problems;
};

/// What a test send did.
struct TestSendResult
{
    Recipient sample; /// Whose values filled the message.
    std::vector<std::string> sentTo;
    std::size_t bytes = 0; /// Size of one message.
};

/// Previews and test sends (C9): the campaign's message filled with a real recipient's
/// values, checked as a real send would be (subject, variables, size), sent to test addresses.
class TestSend
{
public:
    struct Services
    {
        std::function<std::unique_ptr<Transport>()> transport;                /// The configured transport.
        std::function<MessageLinks(const Campaign&, const Recipient&)> links; /// The recipient's own.
        std::function<std::string(const std::string& key, const std::string& locale)> translate;
        std::function<std::shared_ptr<const DkimSigner>()> signer; /// Null when DKIM is not configured.
        std::function<MessageFiles(const Campaign&)> files;        /// Its attachments; may be empty (none).
        std::function<MessageLinks(const Campaign&, const Recipient&)> testLinks;
        /// The links of a test message or preview, which act on nobody (RecipientLinks::
        /// testUnsubscribeUrl): a test sent elsewhere must not unsubscribe its sample.
        std::shared_ptr<const BounceAddress> bounceAddress;
        /// Signs each message's bounce address (VERP); null: the return path is the sender's address.
        std::function<std::string(const Campaign&)> bounceDomain;
        /// The group's "bounce.domain" (GroupSettings); may be unset or empty: the sender's domain.
        std::function<TrackingLinks(const Campaign&)> testTracking;
        /// The open and click links of a test send, marked as a test's (recorded, counting
        /// for nobody); may be empty. Previews have none: they show the links as written.
        std::function<void(const Campaign&, const std::string& address, const Recipient& sample)> sent;
        /// Records each test message as it goes (TestSends::record, for an address's log, R5);
        /// may be empty.
        std::function<std::vector<std::shared_ptr<const DkimSigner>>(const Campaign&)> domainSigners;
        /// The keys of the campaign's verified sending domain (content/SenderDomains), each
        /// adding its DKIM signature; when it gives none (or is empty), signer signs.
    };

    static std::vector<std::shared_ptr<const DkimSigner>> signersFor(const Services& services,
                                                                     const Campaign& campaign);
    /// The signers of the campaign's messages: its domain's, else the module's, else none.

    static std::string signed_(const std::vector<std::shared_ptr<const DkimSigner>>& signers,
                               std::string message);
    /// The message with each signer's DKIM-Signature in front.

    TestSend(Campaigns& campaigns, RecipientDirectory& directory, Services services);

    Recipient sample(const Campaign& campaign, const std::string& recipient);
    /// The recipient "KIND:ID" or "ID" (a person) of the campaign's audience, or its first
    /// recipient when empty. Throws FieldException (sample_recipient) when there is none.

    MailMessage preview(const Campaign& campaign, const Recipient& recipient);
    /// The message this recipient would get, attachments included, with the links of a test
    /// (Services::testLinks): what previews and test sends show. Throws VariablesException.

    MailMessage asSent(const Campaign& campaign, const Recipient& recipient);
    /// The message as this recipient of the campaign got it, with their own links (Services::
    /// links): for their "view online" page. Throws VariablesException.

    TestSendResult send(const Campaign& campaign, const std::vector<std::string>& to,
                        const std::string& recipient);
    /// Sends the sample's message to each test address (1 to 20), its links tracked as a
    /// test's when tracking is on (Services::testTracking). Throws FieldException
    /// (subject, to), VariablesException, MessageTooLargeException, and TransportException
    /// when the transport fails.

    const Services& services() const { return _services; }
    /// How messages are made and sent: the dispatcher makes them the same way.

    static ReturnPath returnPath(const Services& services, const Campaign& campaign,
                                 const std::string& domain, long recipientRow, bool test);
    /// The one place that makes a message's envelope sender (MAIL FROM): its bounce address on
    /// domain (bounceDomain(), asked once per campaign), or the campaign's sender address when
    /// there is no signer. recipientRow is mm_recipients.id, 0 for a test message.

    void check(const Campaign& campaign);
    /// What a send needs of the content: a subject, and only variables its audience can
    /// fill. Throws FieldException (subject) and VariablesException.

private:
    MailMessage compose(const Campaign& campaign, const Recipient& recipient, const MessageLinks& links,
                        const std::string& recipientToken = "");

    Campaigns& _campaigns;
    RecipientDirectory& _directory;
    Services _services;
};
} // namespace MassMailing

#endif
