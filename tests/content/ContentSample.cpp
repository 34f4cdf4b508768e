// Writes sample messages for check_messages.py and check_dkim.py:
//   content_sample <folder>
// plain.eml (text + HTML), inline.eml (+ an inline image), full.eml (+ a 300 KB
// attachment holding every byte value), rsa.eml and ed25519.eml (full.eml signed with
// freshly generated keys), the public keys and DNS records, and expected/ with what
// the messages must decode to.
#include "content/DkimSigner.h"
#include "content/HtmlSanitizer.h"
#include "content/MimeWriter.h"
#include "content/TextAlternative.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <iostream>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace MassMailing;

namespace
{
const char* const NEWSLETTER = R"(<h1>Récolte de l'été</h1>
<p><img src="cid:logo@amap-capucins.example" alt="AMAP des Capucins" width="120"></p>
<p>Bonjour {{first_name}},</p>
<p>Les paniers de la semaine sont prêts : tomates, courgettes, haricots verts et œufs.
Vous pouvez les retirer <b>jeudi entre 18 h et 19 h 30</b> à la salle des fêtes.</p>
<ul><li>Pensez à vos sacs</li><li>Le bon de commande est joint</li></ul>
<p style="font-size:11px;color:#777777">Vous recevez ce message car vous êtes adhérent·e.
<a href="{{unsubscribe_url}}">Se désabonner</a></p>)";

void save(const Poco::Path& path, const std::string& bytes)
{
    Poco::FileOutputStream out(path.toString(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

struct KeyPair
{
    std::string privatePem;
    std::string publicPem;
};

KeyPair generate(bool rsa)
{
    EVP_PKEY* key = rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (key == nullptr)
        throw Poco::SystemException("key generation failed");
    KeyPair pair;
    for (int which = 0; which < 2; ++which)
    {
        BIO* bio = BIO_new(BIO_s_mem());
        if (which == 0)
            PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        else
            PEM_write_bio_PUBKEY(bio, key);
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio, &data);
        (which == 0 ? pair.privatePem : pair.publicPem).assign(data, std::size_t(length));
        BIO_free(bio);
    }
    EVP_PKEY_free(key);
    return pair;
}

std::string tinyPng()
{
    // A 1x1 transparent PNG.
    static const unsigned char png[] = {
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
        0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
        0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    return std::string(reinterpret_cast<const char*>(png), sizeof png);
}
} // namespace

int main(int argc, char** argv)
{
    if (argc != 2)
    {
        std::cerr << "usage: content_sample <folder>\n";
        return 2;
    }
    try
    {
        const Poco::Path folder = Poco::Path::forDirectory(argv[1]);
        const Poco::Path expected = Poco::Path(folder).pushDirectory("expected");
        Poco::File(expected).createDirectories();

        MailMessage message;
        message.from = {"AMAP des Capucins — Hélène", "helene@amap-capucins.example"};
        message.replyTo = {"Bureau de l'AMAP", "bureau@amap-capucins.example"};
        message.to = {{"Jérôme Dupont-Lefèvre", "jerome.dupont@example.org"}};
        message.subject = "Récolte de l'été : paniers à retirer";
        message.html = HtmlSanitizer().sanitize(NEWSLETTER);
        message.text = TextAlternative().fromHtml(message.html);
        message.setHeader("List-Unsubscribe", "<https://amap-capucins.example/unsubscribe/3f9a2c71>, "
                                              "<mailto:unsubscribe@amap-capucins.example?subject=3f9a2c71>");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.setHeader("Feedback-ID", "42:amap-capucins:newsletter:massmailing");

        MimeWriter writer;
        save(Poco::Path(folder, "plain.eml"), writer.write(message));

        const std::string logo = tinyPng();
        message.inlineImages.push_back({"logo@amap-capucins.example", "logo.png", "image/png", logo});
        save(Poco::Path(folder, "inline.eml"), writer.write(message));

        std::string attachment;
        attachment.reserve(300 * 1024);
        for (std::size_t i = 0; i < 300 * 1024; ++i)
            attachment.push_back(char((i * 7 + i / 256) & 0xFF));
        message.attachments.push_back({"Bon de commande — été.bin", "application/octet-stream", attachment});
        const std::string full = writer.write(message);
        save(Poco::Path(folder, "full.eml"), full);

        for (const bool rsa : {true, false})
        {
            const std::string name = rsa ? "rsa" : "ed25519";
            const KeyPair keys = generate(rsa);
            const DkimSigner signer("amap-capucins.example", "mm-" + name, keys.privatePem);
            save(Poco::Path(folder, name + ".eml"), signer.sign(full));
            save(Poco::Path(folder, name + ".pub.pem"), keys.publicPem);
            save(Poco::Path(folder, name + ".dns.txt"), signer.dnsRecord() + "\n");
        }

        save(Poco::Path(expected, "subject.txt"), message.subject);
        save(Poco::Path(expected, "from_name.txt"), message.from.name);
        save(Poco::Path(expected, "reply_to_name.txt"), message.replyTo.name);
        save(Poco::Path(expected, "to_name.txt"), message.to[0].name);
        save(Poco::Path(expected, "text.txt"), message.text);
        save(Poco::Path(expected, "html.html"), message.html);
        save(Poco::Path(expected, "attachment.bin"), attachment);
        save(Poco::Path(expected, "attachment_name.txt"), message.attachments[0].filename);
        save(Poco::Path(expected, "logo.png"), logo);
        save(Poco::Path(expected, "list_unsubscribe.txt"), *message.header("List-Unsubscribe"));
        save(Poco::Path(expected, "feedback_id.txt"), *message.header("Feedback-ID"));
        std::cout << "samples written to " << folder.toString() << "\n";
        return 0;
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "content_sample: " << e.displayText() << "\n";
        return 1;
    }
}
