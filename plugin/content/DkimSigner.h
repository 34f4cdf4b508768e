#ifndef MassMailing_DkimSigner_INCLUDED
#define MassMailing_DkimSigner_INCLUDED

#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace MassMailing
{
/// Signs messages with DKIM (RFC 6376): relaxed/relaxed canonicalisation, rsa-sha256 or
/// ed25519-sha256 (RFC 8463) depending on the key. It signs the headers From, To,
/// Subject, Date, Message-ID, Reply-To, MIME-Version, Content-Type, List-Unsubscribe,
/// List-Unsubscribe-Post and Feedback-ID that the message has.
///
/// The key is read once, in the constructor; sign() is const and may be called from
/// several threads at once.
class DkimSigner
{
public:
    DkimSigner(const std::string& domain, const std::string& selector, const std::string& privateKeyPem);
    /// Reads the PEM private key (PKCS#8 "PRIVATE KEY" or "RSA PRIVATE KEY"). Throws
    /// DkimKeyException when the text is not a readable, unencrypted private key, or is a
    /// key other than RSA (at least 1024 bits) or Ed25519; Poco::InvalidArgumentException
    /// when the domain or the selector is not a DNS name.

    ~DkimSigner();

    DkimSigner(const DkimSigner&) = delete;
    DkimSigner& operator=(const DkimSigner&) = delete;

    std::string sign(const std::string& message) const;
    /// Returns the message (CRLF line ends, as MimeWriter writes it) with a DKIM-Signature
    /// header in front. Throws Poco::DataFormatException when the message has no From
    /// header, Poco::SystemException when OpenSSL fails to sign.

    std::string signatureHeader(const std::string& message) const;
    /// The DKIM-Signature header alone ("DKIM-Signature: ...\r\n"), folded to lines of at
    /// most 78 characters, to put in front of the message. Throws as sign().

    const std::string& algorithm() const { return _algorithm; }
    /// "rsa-sha256" or "ed25519-sha256".

    std::string dnsName() const;
    /// Where the public key is published: "<selector>._domainkey.<domain>".

    std::string dnsRecord() const;

    static std::string generateKey(const std::string& algorithm);
    /// A new private key, as PEM (PKCS#8), for a sending domain: "rsa" (2048 bits) or
    /// "ed25519". Throws Poco::InvalidArgumentException for another algorithm,
    /// Poco::SystemException when OpenSSL fails.
    /// The TXT record to publish there: "v=DKIM1; k=rsa; p=..." or "v=DKIM1; k=ed25519; p=...".

private:
    std::string _domain;
    std::string _selector;
    std::string _algorithm;
    EVP_PKEY* _key = nullptr;
    bool _ed25519 = false;
};
} // namespace MassMailing

#endif
