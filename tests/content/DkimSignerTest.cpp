#include "content/DkimSigner.h"
#include "content/ContentException.h"
#include "content/MimeWriter.h"
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace MassMailing;

namespace
{
std::string generateKey(const char* type)
{
    EVP_PKEY* key = std::string(type) == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                                               : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string pem(data, std::size_t(length));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return pem;
}

std::string pem(EVP_PKEY* key, bool traditional, bool encrypted)
{
    BIO* bio = BIO_new(BIO_s_mem());
    if (traditional)
        PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    else if (encrypted)
        PEM_write_bio_PrivateKey(bio, key, EVP_aes_128_cbc(), nullptr, 0, nullptr,
                                 const_cast<char*>("secret"));
    else
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string text(data, std::size_t(length));
    BIO_free(bio);
    return text;
}

std::string encryptedKey()
{
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    const std::string text = pem(key, false, true);
    EVP_PKEY_free(key);
    return text;
}

std::string message()
{
    MailMessage m;
    m.from = {"Hélène", "helene@amap.example"};
    m.to = {{"jerome@example.org"}};
    m.subject = "Récolte";
    m.html = "<p>Bonjour</p>";
    m.text = "Bonjour\n";
    m.setHeader("List-Unsubscribe", "<https://amap.example/u/1>");
    m.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    m.setHeader("Feedback-ID", "c1:amap:massmailing");
    return MimeWriter().write(m);
}
} // namespace

class DkimSignerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DkimSignerTest);
    CPPUNIT_TEST(testUnreadableKeyIsRefusedClearly);
    CPPUNIT_TEST(testSignatureHeaderIsFoldedAndListsTheSignedHeaders);
    CPPUNIT_TEST(testEd25519KeySignsWithEd25519Sha256);
    CPPUNIT_TEST(testTraditionalRsaPemIsAccepted);
    CPPUNIT_TEST(testGeneratedKeysSignAsTheirAlgorithm);
    CPPUNIT_TEST_SUITE_END();

public:
    void testUnreadableKeyIsRefusedClearly()
    {
        try
        {
            DkimSigner("amap.example", "mm1",
                       "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            CPPUNIT_FAIL("a broken key was accepted");
        }
        catch (const DkimKeyException& e)
        {
            CPPUNIT_ASSERT(e.message().find("the DKIM private key cannot be read") == 0);
        }
        CPPUNIT_ASSERT_THROW(DkimSigner("amap.example", "mm1", ""), DkimKeyException);
        CPPUNIT_ASSERT_THROW(DkimSigner("amap.example", "mm1", encryptedKey()), DkimKeyException);
        CPPUNIT_ASSERT_THROW(DkimSigner("amap example", "mm1", generateKey("ED25519")),
                             Poco::InvalidArgumentException);
    }

    void testSignatureHeaderIsFoldedAndListsTheSignedHeaders()
    {
        const DkimSigner signer("AMAP.example", "mm2024", generateKey("RSA"));
        CPPUNIT_ASSERT_EQUAL(std::string("rsa-sha256"), signer.algorithm());
        CPPUNIT_ASSERT_EQUAL(std::string("mm2024._domainkey.amap.example"), signer.dnsName());
        CPPUNIT_ASSERT(signer.dnsRecord().find("v=DKIM1; k=rsa; p=MII") == 0);
        const std::string original = message();
        const std::string signed_ = signer.sign(original);
        CPPUNIT_ASSERT(signed_.compare(0, 16, "DKIM-Signature: ") == 0);
        CPPUNIT_ASSERT_EQUAL(original, signed_.substr(signed_.size() - original.size()));
        const std::string header = signer.signatureHeader(original);
        std::string unfolded;
        std::size_t start = 0;
        while (start < header.size())
        {
            const std::size_t end = header.find("\r\n", start);
            CPPUNIT_ASSERT(end - start <= 78);
            unfolded += header.substr(start, end - start);
            start = end + 2;
        }
        CPPUNIT_ASSERT(unfolded.find("a=rsa-sha256; c=relaxed/relaxed; d=amap.example; s=mm2024;") !=
                       std::string::npos);
        std::string tags = unfolded;
        tags.erase(std::remove(tags.begin(), tags.end(), ' '), tags.end());
        CPPUNIT_ASSERT(
            tags.find(";h=from:to:subject:date:message-id:mime-version:content-type:list-unsubscribe:"
                      "list-unsubscribe-post:feedback-id;bh=") != std::string::npos);
        CPPUNIT_ASSERT(unfolded.find("reply-to") == std::string::npos);
    }

    void testEd25519KeySignsWithEd25519Sha256()
    {
        const DkimSigner signer("amap.example", "ed", generateKey("ED25519"));
        CPPUNIT_ASSERT_EQUAL(std::string("ed25519-sha256"), signer.algorithm());
        CPPUNIT_ASSERT(signer.dnsRecord().find("v=DKIM1; k=ed25519; p=") == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(22 + 44), signer.dnsRecord().size());
        CPPUNIT_ASSERT(signer.sign(message()).find("a=ed25519-sha256;") != std::string::npos);
    }

    void testTraditionalRsaPemIsAccepted()
    {
        EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        const std::string text = pem(key, true, false);
        EVP_PKEY_free(key);
        CPPUNIT_ASSERT(text.find("-----BEGIN RSA PRIVATE KEY-----") == 0);
        const DkimSigner signer("amap.example", "old", text);
        CPPUNIT_ASSERT_EQUAL(std::string("rsa-sha256"), signer.algorithm());
    }

    // A sending domain's keys (SenderDomains): RSA-2048 and Ed25519, each new, in PKCS#8.
    void testGeneratedKeysSignAsTheirAlgorithm()
    {
        const std::string rsa = DkimSigner::generateKey("rsa");
        CPPUNIT_ASSERT(rsa.find("-----BEGIN PRIVATE KEY-----") == 0);
        CPPUNIT_ASSERT(rsa != DkimSigner::generateKey("rsa"));
        const DkimSigner rsaSigner("paniers.test", "mm202612r", rsa);
        CPPUNIT_ASSERT_EQUAL(std::string("rsa-sha256"), rsaSigner.algorithm());
        // 2048 bits: a SubjectPublicKeyInfo of 294 bytes, 392 characters of base64.
        CPPUNIT_ASSERT_EQUAL(std::size_t(392),
                             rsaSigner.dnsRecord().size() - std::string("v=DKIM1; k=rsa; p=").size());
        const DkimSigner edSigner("paniers.test", "mm202612e", DkimSigner::generateKey("ed25519"));
        CPPUNIT_ASSERT_EQUAL(std::string("ed25519-sha256"), edSigner.algorithm());
        CPPUNIT_ASSERT_THROW(DkimSigner::generateKey("dsa"), Poco::InvalidArgumentException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DkimSignerTest);
