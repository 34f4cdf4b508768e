#include "content/MessageReader.h"
#include "content/MimeWriter.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace MassMailing;

namespace
{
// A message with everything the outbox screen shows: non-ASCII headers, both bodies, an inline
// image the HTML refers to, and an attachment with a non-ASCII name.
MailMessage newsletter()
{
    MailMessage message;
    message.from = {"AMAP des Capucins — Hélène", "helene@amap-capucins.example"};
    message.to = {{"Jérôme Dupont", "jerome@example.org"}};
    message.subject = "Récolte de l'été : paniers à retirer";
    message.html =
        "<p>Bonjour Jérôme,</p><p><img src=\"cid:logo@amap\"></p><p>" + std::string(200, 'x') + "</p>";
    message.text = "Bonjour Jérôme,\n\nLes paniers sont prêts.\n";
    message.inlineImages.push_back(
        {"logo@amap", "logo.png", "image/png", std::string("\x89PNG\r\n\x1a\n\0\1", 10)});
    message.attachments.push_back({"récapitulatif.pdf", "application/pdf", std::string(5000, '\xC3')});
    return message;
}
} // namespace

class MessageReaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MessageReaderTest);
    CPPUNIT_TEST(testWrittenMessageReadsBackWithDecodedHeadersAndBodies);
    CPPUNIT_TEST(testFilesReadBackWithTheirNamesTypesAndBytes);
    CPPUNIT_TEST(testInlineImagesAreShownAsDataInTheHtml);
    CPPUNIT_TEST(testHeaderIsFoundInAHeadWithEnvelopeLines);
    CPPUNIT_TEST(testBadPercentEscapeInAFileNameIsKeptAsWritten);
    CPPUNIT_TEST(testGarbageIsReadWithoutThrowing);
    CPPUNIT_TEST(testTenThousandNestedMultipartsAreReadWithoutCrashing);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWrittenMessageReadsBackWithDecodedHeadersAndBodies()
    {
        MailMessage message = newsletter();
        ReadMessage read = MessageReader::read(MimeWriter().write(message));
        CPPUNIT_ASSERT_EQUAL(std::string("Récolte de l'été : paniers à retirer"), read.header("Subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("AMAP des Capucins — Hélène <helene@amap-capucins.example>"),
                             read.header("from"));
        CPPUNIT_ASSERT_EQUAL(message.text, read.text);
        CPPUNIT_ASSERT_EQUAL(message.html, read.html);
    }

    void testFilesReadBackWithTheirNamesTypesAndBytes()
    {
        MailMessage message = newsletter();
        ReadMessage read = MessageReader::read(MimeWriter().write(message));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), read.files.size());
        CPPUNIT_ASSERT_EQUAL(std::string("logo@amap"), read.files[0].contentId);
        CPPUNIT_ASSERT_EQUAL(std::string("image/png"), read.files[0].contentType);
        CPPUNIT_ASSERT(read.files[0].bytes == message.inlineImages[0].bytes);
        CPPUNIT_ASSERT_EQUAL(std::string("récapitulatif.pdf"), read.files[1].filename);
        CPPUNIT_ASSERT_EQUAL(std::string(""), read.files[1].contentId);
        CPPUNIT_ASSERT(read.files[1].bytes == message.attachments[0].bytes);
    }

    void testInlineImagesAreShownAsDataInTheHtml()
    {
        MailMessage message = newsletter();
        ReadMessage read = MessageReader::read(MimeWriter().write(message));
        std::string html = read.htmlWithImages();
        CPPUNIT_ASSERT_MESSAGE(html, html.find("src=\"data:image/png;base64,iVBORw0KGgoAAQ==\"") !=
                                         std::string::npos);
        CPPUNIT_ASSERT(html.find("cid:") == std::string::npos);
    }

    void testHeaderIsFoundInAHeadWithEnvelopeLines()
    {
        std::string head =
            "Return-Path: <a@example.org>\r\nX-Outbox-Envelope-To: b@example.org,\r\n c@example.org\r\n"
            "Feedback-ID: 12:3:example.org:massmailing\r\nSubject: x";
        CPPUNIT_ASSERT_EQUAL(std::string("12:3:example.org:massmailing"),
                             MessageReader::header(head, "feedback-id"));
        CPPUNIT_ASSERT_EQUAL(std::string("b@example.org, c@example.org"),
                             MessageReader::header(head, "X-Outbox-Envelope-To"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), MessageReader::header(head, "Date"));
    }

    void testTenThousandNestedMultipartsAreReadWithoutCrashing()
    {
        // Finding 3: parts are read by recursion, which stops at a fixed depth.
        std::string message = "Subject: deep\r\nMIME-Version: 1.0\r\n";
        std::string tail;
        for (int i = 0; i < 10000; ++i)
        {
            const std::string boundary = "b" + std::to_string(i);
            message +=
                "Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n--" + boundary + "\r\n";
            tail = "\r\n--" + boundary + "--\r\n" + tail;
        }
        message += "Content-Type: text/plain\r\n\r\nbottom" + tail;
        ReadMessage read = MessageReader::read(message);
        CPPUNIT_ASSERT_EQUAL(std::string("deep"), read.header("Subject"));
        CPPUNIT_ASSERT(read.text.find("bottom") ==
                       std::string::npos); // too deep to be read, and nothing crashed
    }

    void testBadPercentEscapeInAFileNameIsKeptAsWritten()
    {
        // Found by fuzz/mime_reader: Poco::URI::decode threw out of read().
        ReadMessage read = MessageReader::read("Content-Type: application/pdf\r\n"
                                               "Content-Disposition: attachment; filename*=utf-8''bad%\r\n"
                                               "\r\nbytes");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), read.files.size());
        CPPUNIT_ASSERT_EQUAL(std::string("utf-8''bad%"), read.files[0].filename);
    }

    void testGarbageIsReadWithoutThrowing()
    {
        for (const std::string& bytes :
             {std::string(), std::string("no headers at all"),
              std::string("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nunfinished"),
              std::string("Content-Type: multipart/mixed\r\n\r\nno boundary"),
              std::string("Content-Transfer-Encoding: base64\r\n\r\n%%%not base64%%%")})
            MessageReader::read(bytes);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageReaderTest);
