#include "DkimSigner.h"
#include "ContentException.h"
#include <Poco/String.h>
#include <ctime>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string_view>
#include <vector>

namespace MassMailing
{
namespace
{
const std::size_t LINE = 78;

// In the order they are listed in h=; the verifier takes the last instance of each.
const char* const SIGNED_HEADERS[] = {"from",
                                      "to",
                                      "subject",
                                      "date",
                                      "message-id",
                                      "reply-to",
                                      "mime-version",
                                      "content-type",
                                      "list-unsubscribe",
                                      "list-unsubscribe-post",
                                      "feedback-id"};

struct MdContextFree
{
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextFree>;

std::string openSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

std::string base64(const unsigned char* data, std::size_t length)
{
    std::string out(4 * ((length + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), data, int(length));
    out.resize(std::size_t(written));
    return out;
}

inline bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// RFC 6376 3.4.2: lower-case name; unfold; runs of white space become one space; none at
// the ends of the value or around the colon.
void appendRelaxedHeader(std::string& out, std::string_view field)
{
    const std::size_t colon = field.find(':');
    std::string_view name = field.substr(0, colon);
    while (!name.empty() && isWsp(name.back()))
        name.remove_suffix(1);
    for (char c : name)
        out.push_back(char(Poco::Ascii::toLower(c)));
    out.push_back(':');
    bool space = false;
    bool started = false;
    for (std::size_t i = colon + 1; i < field.size(); ++i)
    {
        const char c = field[i];
        if (c == '\r' || c == '\n')
            continue;
        if (isWsp(c))
        {
            space = true;
            continue;
        }
        if (space && started)
            out.push_back(' ');
        space = false;
        started = true;
        out.push_back(c);
    }
}

struct HeaderField
{
    std::string name; // lower-case
    std::string_view text;
};

// The header fields, each with its continuation lines and without its final CRLF.
std::vector<HeaderField> headerFields(std::string_view headers)
{
    std::vector<HeaderField> fields;
    std::size_t start = 0;
    while (start < headers.size())
    {
        std::size_t end = headers.find("\r\n", start);
        if (end == std::string::npos)
            end = headers.size();
        if (isWsp(headers[start]) && !fields.empty())
        {
            const char* first = fields.back().text.data();
            fields.back().text = std::string_view(first, std::size_t(headers.data() + end - first));
        }
        else
        {
            const std::string_view line = headers.substr(start, end - start);
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos)
            {
                std::string_view name = line.substr(0, colon);
                while (!name.empty() && isWsp(name.back()))
                    name.remove_suffix(1);
                fields.push_back({Poco::toLower(std::string(name)), line});
            }
        }
        start = end + 2;
    }
    return fields;
}

// RFC 6376 3.4.4, fed straight to the hash: white space at line ends removed, runs of it
// made one space, empty lines at the end dropped, a last CRLF added when missing.
void hashRelaxedBody(EVP_MD_CTX* context, std::string_view body)
{
    std::size_t emptyLines = 0;
    std::string line;
    std::size_t position = 0;
    while (position < body.size())
    {
        std::size_t end = body.find('\n', position);
        std::size_t next = end == std::string::npos ? body.size() : end + 1;
        if (end == std::string::npos)
            end = body.size();
        else if (end > position && body[end - 1] == '\r')
            --end;
        std::string_view text = body.substr(position, end - position);
        position = next;
        while (!text.empty() && isWsp(text.back()))
            text.remove_suffix(1);
        if (text.empty())
        {
            ++emptyLines;
            continue;
        }
        for (; emptyLines > 0; --emptyLines)
            EVP_DigestUpdate(context, "\r\n", 2);
        if (text.find('\t') == std::string::npos && text.find("  ") == std::string::npos)
            EVP_DigestUpdate(context, text.data(), text.size());
        else
        {
            line.clear();
            for (std::size_t i = 0; i < text.size(); ++i)
            {
                if (isWsp(text[i]))
                {
                    while (i + 1 < text.size() && isWsp(text[i + 1]))
                        ++i;
                    line.push_back(' ');
                }
                else
                    line.push_back(text[i]);
            }
            EVP_DigestUpdate(context, line.data(), line.size());
        }
        EVP_DigestUpdate(context, "\r\n", 2);
    }
}

void checkDnsLabel(const std::string& text, const char* what)
{
    bool valid = !text.empty() && text.size() <= 253 && text.front() != '.' && text.back() != '.';
    for (char c : text)
    {
        valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '-' || c == '_' || c == '.');
    }
    if (!valid)
        throw Poco::InvalidArgumentException(std::string("DKIM ") + what + " \"" + text +
                                             "\" is not a DNS name");
}

// Encrypted keys are refused rather than prompting on the terminal.
int noPassword(char*, int, int, void*)
{
    return -1;
}
} // namespace

DkimSigner::DkimSigner(const std::string& domain, const std::string& selector,
                       const std::string& privateKeyPem)
    : _domain(Poco::toLower(domain)), _selector(selector)
{
    checkDnsLabel(_domain, "domain");
    checkDnsLabel(_selector, "selector");
    BIO* bio = BIO_new_mem_buf(privateKeyPem.data(), int(privateKeyPem.size()));
    if (bio == nullptr)
        throw Poco::OutOfMemoryException("DKIM key buffer");
    _key = PEM_read_bio_PrivateKey(bio, nullptr, noPassword, nullptr);
    BIO_free(bio);
    if (_key == nullptr)
        throw DkimKeyException(
            "the DKIM private key cannot be read (an unencrypted PEM private key is expected): " +
            openSslError());
    const int type = EVP_PKEY_get_base_id(_key);
    if (type == EVP_PKEY_RSA)
    {
        if (EVP_PKEY_get_bits(_key) < 1024)
        {
            EVP_PKEY_free(_key);
            throw DkimKeyException(
                "the DKIM RSA key is shorter than 1024 bits; verifiers ignore it (use 2048)");
        }
        _algorithm = "rsa-sha256";
    }
    else if (type == EVP_PKEY_ED25519)
    {
        _algorithm = "ed25519-sha256";
        _ed25519 = true;
    }
    else
    {
        EVP_PKEY_free(_key);
        throw DkimKeyException("the DKIM private key is neither RSA nor Ed25519");
    }
}

DkimSigner::~DkimSigner()
{
    EVP_PKEY_free(_key);
}

std::string DkimSigner::sign(const std::string& message) const
{
    const std::string header = signatureHeader(message);
    std::string out;
    out.reserve(header.size() + message.size());
    out += header;
    out += message;
    return out;
}

std::string DkimSigner::signatureHeader(const std::string& message) const
{
    const std::string_view whole(message);
    std::size_t headerEnd = whole.find("\r\n\r\n");
    const std::string_view headers =
        whole.substr(0, headerEnd == std::string::npos ? whole.size() : headerEnd + 2);
    const std::string_view body =
        headerEnd == std::string::npos ? std::string_view() : whole.substr(headerEnd + 4);

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    MdContext context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        throw Poco::SystemException("DKIM body hash: " + openSslError());
    hashRelaxedBody(context.get(), body);
    EVP_DigestFinal_ex(context.get(), digest, &digestLength);
    const std::string bodyHash = base64(digest, digestLength);

    const std::vector<HeaderField> fields = headerFields(headers);
    std::string signedData;
    signedData.reserve(headers.size() + 1024);
    std::vector<std::string> names;
    for (const char* name : SIGNED_HEADERS)
    {
        for (auto field = fields.rbegin(); field != fields.rend(); ++field)
        {
            if (field->name == name)
            {
                appendRelaxedHeader(signedData, field->text);
                signedData.append("\r\n", 2);
                names.emplace_back(name);
                break;
            }
        }
    }
    if (names.empty() || names.front() != "from")
        throw Poco::DataFormatException("the message has no From header to sign");

    std::string header = "DKIM-Signature:";
    std::size_t column = header.size();
    auto add = [&](const std::string& token, bool spaced)
    {
        if (column + (spaced ? 1 : 0) + token.size() > LINE)
        {
            header.append("\r\n ", 3);
            column = 1;
        }
        else if (spaced)
        {
            header.push_back(' ');
            ++column;
        }
        header += token;
        column += token.size();
    };
    add("v=1;", true);
    add("a=" + _algorithm + ";", true);
    add("c=relaxed/relaxed;", true);
    add("d=" + _domain + ";", true);
    add("s=" + _selector + ";", true);
    add("t=" + std::to_string(std::time(nullptr)) + ";", true);
    for (std::size_t i = 0; i < names.size(); ++i)
        add((i == 0 ? "h=" : "") + names[i] + (i + 1 < names.size() ? ":" : ";"), i == 0);
    add("bh=" + bodyHash + ";", true);
    add("b=", true);
    // The signature covers this header with an empty b=, without its final CRLF.
    appendRelaxedHeader(signedData, header);

    std::string signature;
    context.reset(EVP_MD_CTX_new());
    if (!context)
        throw Poco::OutOfMemoryException("DKIM signature");
    std::size_t signatureLength = 0;
    if (_ed25519)
    {
        // RFC 8463: Ed25519 (pure) over the SHA-256 of the data.
        unsigned char hash[EVP_MAX_MD_SIZE];
        unsigned int hashLength = 0;
        EVP_Digest(signedData.data(), signedData.size(), hash, &hashLength, EVP_sha256(), nullptr);
        unsigned char raw[64];
        signatureLength = sizeof raw;
        if (EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, _key) != 1 ||
            EVP_DigestSign(context.get(), raw, &signatureLength, hash, hashLength) != 1)
            throw Poco::SystemException("DKIM Ed25519 signature: " + openSslError());
        signature = base64(raw, signatureLength);
    }
    else
    {
        const auto* data = reinterpret_cast<const unsigned char*>(signedData.data());
        if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, _key) != 1 ||
            EVP_DigestSign(context.get(), nullptr, &signatureLength, data, signedData.size()) != 1)
            throw Poco::SystemException("DKIM RSA signature: " + openSslError());
        std::vector<unsigned char> raw(signatureLength);
        if (EVP_DigestSign(context.get(), raw.data(), &signatureLength, data, signedData.size()) != 1)
            throw Poco::SystemException("DKIM RSA signature: " + openSslError());
        signature = base64(raw.data(), signatureLength);
    }

    for (std::size_t done = 0; done < signature.size();)
    {
        if (column >= LINE)
        {
            header.append("\r\n ", 3);
            column = 1;
        }
        const std::size_t chunk = std::min(LINE - column, signature.size() - done);
        header.append(signature, done, chunk);
        column += chunk;
        done += chunk;
    }
    header.append("\r\n", 2);
    return header;
}

std::string DkimSigner::dnsName() const
{
    return _selector + "._domainkey." + _domain;
}

std::string DkimSigner::dnsRecord() const
{
    if (_ed25519)
    {
        unsigned char raw[32];
        std::size_t length = sizeof raw;
        if (EVP_PKEY_get_raw_public_key(_key, raw, &length) != 1)
            throw Poco::SystemException("DKIM public key: " + openSslError());
        return "v=DKIM1; k=ed25519; p=" + base64(raw, length);
    }
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(_key, &der);
    if (length <= 0)
        throw Poco::SystemException("DKIM public key: " + openSslError());
    std::string record = "v=DKIM1; k=rsa; p=" + base64(der, std::size_t(length));
    OPENSSL_free(der);
    return record;
}
std::string DkimSigner::generateKey(const std::string& algorithm)
{
    if (algorithm != "rsa" && algorithm != "ed25519")
        throw Poco::InvalidArgumentException("a DKIM key is rsa or ed25519, not " + algorithm);
    EVP_PKEY* key = algorithm == "rsa" ? EVP_RSA_gen(2048) : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        throw Poco::SystemException("OpenSSL could not make a DKIM key");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    const bool written =
        bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    EVP_PKEY_free(key);
    if (!written)
        throw Poco::SystemException("OpenSSL could not write a DKIM key");
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, std::size_t(length));
}
} // namespace MassMailing
