#include "content/MimeWriter.h"
#include "content/ContentException.h"
#include "content/EncodedWord.h"
#include <cppunit/extensions/HelperMacros.h>
#include <functional>

using namespace MassMailing;

namespace
{
MailMessage newsletter()
{
    MailMessage message;
    message.from = {"AMAP des Capucins — Hélène", "helene@amap-capucins.example"};
    message.to = {{"Jérôme Dupont", "jerome@example.org"}};
    message.subject = "Récolte de l'été : paniers à retirer";
    message.html = "<p>Bonjour {{first_name}},</p><p>Les paniers sont prêts.</p>";
    message.text = "Bonjour {{first_name}},\n\nLes paniers sont prêts.\n";
    message.setHeader("List-Unsubscribe", "<https://amap-capucins.example/u/abc>");
    message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    return message;
}

std::string headerBlock(const std::string& message)
{
    return message.substr(0, message.find("\r\n\r\n") + 2);
}

// The unfolded value of the first header of that name.
std::string headerValue(const std::string& message, const std::string& name)
{
    const std::string headers = headerBlock(message);
    std::size_t at = headers.find(name + ": ");
    if (at == std::string::npos)
        return std::string();
    std::string value;
    at += name.size() + 2;
    while (true)
    {
        std::size_t end = headers.find("\r\n", at);
        value += headers.substr(at, end - at);
        if (headers[end + 2] != ' ' && headers[end + 2] != '\t')
            break;
        at = end + 2;
    }
    return value;
}

std::string injectionMessage(const std::function<void(MailMessage&)>& change)
{
    MailMessage message = newsletter();
    change(message);
    MimeWriter writer;
    try
    {
        writer.write(message);
    }
    catch (const HeaderInjectionException& e)
    {
        return e.message();
    }
    return "no exception";
}
} // namespace

class MimeWriterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MimeWriterTest);
    CPPUNIT_TEST(testHeaderInjectionIsRefusedNamingTheField);
    CPPUNIT_TEST(testMessageOver25MegabytesIsRefusedWithSizeAndLimit);
    CPPUNIT_TEST(testSizeIsKnownBeforeSending);
    CPPUNIT_TEST(testAccentedSubjectAndNamesAreEncodedWordsThatRoundTrip);
    CPPUNIT_TEST(testHeaderLinesAreFoldedTo78Characters);
    CPPUNIT_TEST(testQuotedPrintableBodyLinesAreAtMost76Characters);
    CPPUNIT_TEST(testOnlyTheNeededMultipartLevelsAreWritten);
    CPPUNIT_TEST(testMessageIdAndDateAreSetByTheWriter);
    CPPUNIT_TEST(testDisplayNamesWithSpecialCharactersAreQuoted);
    CPPUNIT_TEST(testInvalidAddressIsRefused);
    CPPUNIT_TEST(testHeadersTheWriterOwnsCannotBeAdded);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHeaderInjectionIsRefusedNamingTheField()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("subject contains a line break"),
            injectionMessage([](MailMessage& m) { m.subject = "Hello\r\nBcc: victim@example.org"; }));
        CPPUNIT_ASSERT_EQUAL(
            std::string("sender name contains a line break"),
            injectionMessage([](MailMessage& m) { m.from.name = "Hélène\nBcc: x@example.org"; }));
        CPPUNIT_ASSERT_EQUAL(
            std::string("recipient address contains a line break"),
            injectionMessage([](MailMessage& m) { m.to[0].address = "a@example.org\r\nX: y"; }));
        CPPUNIT_ASSERT_EQUAL(std::string("recipient name contains a line break"),
                             injectionMessage([](MailMessage& m) { m.to[0].name = "Jérôme\r"; }));
        CPPUNIT_ASSERT_EQUAL(std::string("reply-to address contains a line break"),
                             injectionMessage(
                                 [](MailMessage& m) {
                                     m.replyTo = {"", "r@example.org\n"};
                                 }));
        CPPUNIT_ASSERT_EQUAL(
            std::string("header List-Unsubscribe contains a line break"),
            injectionMessage(
                [](MailMessage& m)
                { m.setHeader("List-Unsubscribe", "<https://x.example/u>\r\nBcc: y@example.org"); }));
        CPPUNIT_ASSERT_EQUAL(
            std::string("attachment filename contains a line break"),
            injectionMessage(
                [](MailMessage& m) {
                    m.attachments.push_back({"a.pdf\r\nContent-Type: text/html", "application/pdf", "x"});
                }));
        CPPUNIT_ASSERT_EQUAL(std::string("header name contains a line break"),
                             injectionMessage(
                                 [](MailMessage& m) {
                                     m.headers.push_back({"X-A\r\nBcc", "v"});
                                 }));
    }

    void testMessageOver25MegabytesIsRefusedWithSizeAndLimit()
    {
        MailMessage message = newsletter();
        // 20 MB of bytes become 27.4 MB of base64.
        message.attachments.push_back({"photos.zip", "application/zip", std::string(20 * 1024 * 1024, 'x')});
        MimeWriter writer;
        try
        {
            writer.write(message);
            CPPUNIT_FAIL("a 27.4 MB message was written");
        }
        catch (const MessageTooLargeException& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("the message is 27.4 MB; the limit is 25 MB"), e.message());
            CPPUNIT_ASSERT(e.size() > MimeWriter::DEFAULT_SIZE_LIMIT);
            CPPUNIT_ASSERT_EQUAL(std::size_t(26214400), e.limit());
        }
        CPPUNIT_ASSERT_THROW(writer.checkSize(message), MessageTooLargeException);
        message.attachments[0].bytes.resize(18 * 1024 * 1024);
        CPPUNIT_ASSERT_NO_THROW(writer.checkSize(message));
    }

    void testSizeIsKnownBeforeSending()
    {
        MailMessage message = newsletter();
        message.attachments.push_back({"bon de commande.pdf", "application/pdf", std::string(10000, '\x01')});
        MimeWriter writer;
        const std::size_t predicted = writer.size(message);
        CPPUNIT_ASSERT_EQUAL(predicted, writer.write(message).size());
    }

    void testAccentedSubjectAndNamesAreEncodedWordsThatRoundTrip()
    {
        MailMessage message = newsletter();
        const std::string written = MimeWriter().write(message);
        const std::string headers = headerBlock(written);
        CPPUNIT_ASSERT(headers.find("Récolte") == std::string::npos);
        CPPUNIT_ASSERT(headers.find("=?utf-8?") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(message.subject, EncodedWord::decode(headerValue(written, "Subject")));
        CPPUNIT_ASSERT_EQUAL(std::string("AMAP des Capucins — Hélène <helene@amap-capucins.example>"),
                             EncodedWord::decode(headerValue(written, "From")));
        CPPUNIT_ASSERT_EQUAL(std::string("Jérôme Dupont <jerome@example.org>"),
                             EncodedWord::decode(headerValue(written, "To")));
        for (unsigned char c : headers)
            CPPUNIT_ASSERT(c < 0x80);
    }

    void testHeaderLinesAreFoldedTo78Characters()
    {
        MailMessage message = newsletter();
        message.subject.clear();
        for (int i = 0; i < 12; ++i)
            message.subject += "Récolte de l'été : paniers à retirer ";
        message.to.clear();
        for (int i = 0; i < 8; ++i)
            message.to.push_back(
                {"Adhérent numéro " + std::to_string(i), "adherent" + std::to_string(i) + "@example.org"});
        message.setHeader("Feedback-ID", "campaign-42:group-7:massmailing:amap-capucins");
        message.attachments.push_back(
            {"Bon de commande de l'été — légumes, fruits et fromages.pdf", "application/pdf", "x"});
        const std::string written = MimeWriter().write(message);
        const std::string headers = headerBlock(written);
        std::size_t start = 0;
        while (start < headers.size())
        {
            const std::size_t end = headers.find("\r\n", start);
            CPPUNIT_ASSERT_MESSAGE(headers.substr(start, end - start), end - start <= 78);
            start = end + 2;
        }
        CPPUNIT_ASSERT_EQUAL(message.subject, EncodedWord::decode(headerValue(written, "Subject")));
        for (std::size_t line = 0, at = 0; at < written.size(); at = line + 2)
        {
            line = written.find("\r\n", at);
            if (line == std::string::npos)
                break;
            CPPUNIT_ASSERT_MESSAGE(written.substr(at, line - at), line - at <= 78);
        }
    }

    void testQuotedPrintableBodyLinesAreAtMost76Characters()
    {
        MailMessage message = newsletter();
        message.html = "<table><tr><td>";
        for (int i = 0; i < 500; ++i)
            message.html +=
                "<p style=\"color:#336699\">Légumes d'été n°" + std::to_string(i) + " = prêts</p>";
        message.html += "</td></tr></table>";
        const std::string written = MimeWriter().write(message);
        const std::string body = written.substr(written.find("\r\n\r\n") + 4);
        std::size_t start = 0;
        while (start < body.size())
        {
            std::size_t end = body.find("\r\n", start);
            if (end == std::string::npos)
                end = body.size();
            CPPUNIT_ASSERT_MESSAGE(body.substr(start, end - start), end - start <= 76);
            start = end + 2;
        }
        CPPUNIT_ASSERT(body.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
        CPPUNIT_ASSERT(body.find("L=C3=A9gumes") != std::string::npos);
    }

    void testOnlyTheNeededMultipartLevelsAreWritten()
    {
        MailMessage message = newsletter();
        std::string written = MimeWriter().write(message);
        CPPUNIT_ASSERT(headerValue(written, "Content-Type").find("multipart/alternative") == 0);
        CPPUNIT_ASSERT(written.find("multipart/mixed") == std::string::npos);
        CPPUNIT_ASSERT(written.find("multipart/related") == std::string::npos);

        message.text.clear();
        written = MimeWriter().write(message);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), headerValue(written, "Content-Type"));

        message.text = "texte";
        message.inlineImages.push_back({"logo@amap", "logo.png", "image/png", "\x89PNG"});
        written = MimeWriter().write(message);
        CPPUNIT_ASSERT(headerValue(written, "Content-Type").find("multipart/related") == 0);
        CPPUNIT_ASSERT(written.find("multipart/alternative") != std::string::npos);
        CPPUNIT_ASSERT(written.find("Content-ID: <logo@amap>") != std::string::npos);
        CPPUNIT_ASSERT(written.find("multipart/mixed") == std::string::npos);

        message.attachments.push_back({"été.pdf", "application/pdf", "%PDF"});
        written = MimeWriter().write(message);
        CPPUNIT_ASSERT(headerValue(written, "Content-Type").find("multipart/mixed") == 0);
        CPPUNIT_ASSERT(written.find("filename*=utf-8''%C3%A9t%C3%A9.pdf") != std::string::npos);
        CPPUNIT_ASSERT(written.find("multipart/related") < written.find("multipart/alternative"));
        CPPUNIT_ASSERT(written.find("multipart/alternative") < written.find("text/plain"));
        CPPUNIT_ASSERT(written.find("text/plain") < written.find("text/html"));
    }

    void testMessageIdAndDateAreSetByTheWriter()
    {
        MailMessage message = newsletter();
        MimeWriter writer;
        const std::string first = writer.write(message);
        const std::string firstId = message.messageId;
        CPPUNIT_ASSERT(firstId.front() == '<');
        CPPUNIT_ASSERT(firstId.find("@amap-capucins.example>") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(firstId, headerValue(first, "Message-ID"));
        CPPUNIT_ASSERT_EQUAL(message.date, headerValue(first, "Date"));
        CPPUNIT_ASSERT(message.date.find("+0000") == message.date.size() - 5);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0"), headerValue(first, "MIME-Version"));
        writer.write(message);
        CPPUNIT_ASSERT(message.messageId != firstId);
    }

    void testDisplayNamesWithSpecialCharactersAreQuoted()
    {
        MailMessage message = newsletter();
        message.to = {{"Dupont, Jean \"JD\"", "jean@example.org"},
                      {"Marie", "marie@example.org"},
                      {"", "paul@example.org"}};
        const std::string written = MimeWriter().write(message);
        CPPUNIT_ASSERT_EQUAL(
            std::string("\"Dupont, Jean \\\"JD\\\"\" <jean@example.org>, Marie <marie@example.org>, "
                        "paul@example.org"),
            headerValue(written, "To"));
    }

    void testInvalidAddressIsRefused()
    {
        MailMessage message = newsletter();
        message.to[0].address = "not an address";
        CPPUNIT_ASSERT_THROW(MimeWriter().write(message), InvalidAddressException);
        message.to[0].address = "jérôme@example.org";
        CPPUNIT_ASSERT_THROW(MimeWriter().write(message), InvalidAddressException);
        message.to.clear();
        CPPUNIT_ASSERT_THROW(MimeWriter().write(message), Poco::InvalidArgumentException);
    }

    void testHeadersTheWriterOwnsCannotBeAdded()
    {
        MailMessage message = newsletter();
        message.setHeader("Bcc", "hidden@example.org");
        CPPUNIT_ASSERT_THROW(MimeWriter().write(message), Poco::InvalidArgumentException);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MimeWriterTest);
