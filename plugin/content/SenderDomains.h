#ifndef MassMailing_SenderDomains_INCLUDED
#define MassMailing_SenderDomains_INCLUDED

#include "CrmHost/Database.h"
#include "SecretBox.h"
#include "content/DkimSigner.h"
#include <Poco/DateTime.h>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// A record to publish in a sending domain's zone, as the screen shows it.
struct DnsRecord
{
    std::string
        kind; /// "dkim", "dkim_ed25519", "dkim_next", "dkim_ed25519_next", "spf", "dmarc", "bounce_mx"
    std::string name;  /// "mm202612r._domainkey.example.org"
    std::string type;  /// "TXT" or "MX"
    std::string value; /// "v=DKIM1; k=rsa; p=...", "10 bounces.example.net"
};

/// What a check found for one record.
struct RecordCheck
{
    std::string kind; /// as DnsRecord::kind
    std::string name;
    bool ok = false;
    std::string problem; /// "missing: ...", "wrong: ...", "no answer: ..."; empty when ok
};

/// One sending domain of a group.
struct SenderDomain
{
    long id = 0;
    long groupId = 0;
    std::string domain;
    std::string selector;            /// of the RSA key
    std::string ed25519Selector;     /// of the Ed25519 key, the second signature
    std::string nextSelector;        /// of a rotation's RSA key, until it is seen in the DNS; or ""
    std::string nextEd25519Selector; /// of a rotation's Ed25519 key
    std::string status;              /// "pending" or "verified"
    std::string checkedAt;           /// UTC; empty when never checked
    std::vector<RecordCheck> lastCheck;
};

/// A group's sending domains (C1, D10), the owner of "a verified sending domain": the module
/// makes the DKIM keys of each (RSA-2048 and Ed25519, sealed with the SecretBox), says which
/// records to publish, checks them in the DNS, and gives the signers of a verified domain's
/// messages. A domain is verified when every record it must publish is found as published.
class SenderDomains
{
public:
    /// What the records depend on, per group (GroupSettings and the module's settings).
    struct Settings
    {
        std::string resolver;     /// massmailing.dns.resolver: "" for the system's
        std::string spfInclude;   /// massmailing.dns.spf_include: the domain to include, or ""
        std::string bounceDomain; /// the group's bounce.domain, or ""
        std::string bounceMx;     /// massmailing.dns.bounce_mx: the host receiving bounces, or ""
    };

    SenderDomains(CrmHost::Database& database, const SecretBox& secrets,
                  std::function<Settings(long groupId)> settings, std::function<Poco::DateTime()> clock);

    long add(long groupId, const std::string& domain, long userId);
    /// Adds the domain (lower case) with new keys, pending. Throws FieldException on "domain":
    /// invalid (not a domain name), duplicate (the group has it already).

    std::vector<SenderDomain> list(long groupId) const;
    std::optional<SenderDomain> find(long groupId, long id) const;

    std::vector<DnsRecord> records(const SenderDomain& domain) const;
    /// The records to publish: both DKIM keys (and a rotation's next keys), the SPF policy, a
    /// DMARC policy to start with, and the bounce domain's MX when the group's bounces come to
    /// this host.

    std::vector<RecordCheck> check(long groupId, long id);
    /// Looks each record up (DnsLookup) and stores what it found: verified when all are right
    /// (a rotation's next keys aside). When the next keys of a rotation are both found, they
    /// become the current keys, which sign from then on. Throws Poco::NotFoundException for a
    /// domain the group does not have.

    void rotate(long groupId, long id);
    /// Makes the next keys of the domain (new selectors), to publish beside the current ones,
    /// which keep signing until check() sees the next ones. Throws Poco::NotFoundException for a
    /// domain the group does not have.

    std::vector<std::shared_ptr<const DkimSigner>> signersFor(long groupId,
                                                              const std::string& senderEmail) const;
    /// The signers of the sender's domain when the group has it verified (RSA, then Ed25519);
    /// empty otherwise. Throws SecretException when its keys were sealed with another key.

    static std::string selectorFor(const Poco::DateTime& at, const std::string& algorithm,
                                   bool rotation = false);
    /// "mm202612r" (RSA) or "mm202612e" (Ed25519): the month the key was made; a rotation's
    /// selectors also name the day and time ("mm20261204t1030r").

private:
    CrmHost::Database& _database;
    const SecretBox& _secrets;
    std::function<Settings(long groupId)> _settings;
    std::function<Poco::DateTime()> _clock;
};
} // namespace MassMailing

#endif
