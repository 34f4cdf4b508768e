#include "delivery/OutboxTransport.h"
#include "ScratchFolder.h"
#include "content/MimeWriter.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>
#include <set>
#include <thread>

using DeliveryTests::ScratchFolder;
using MassMailing::Envelope;
using MassMailing::OutboxEntry;
using MassMailing::OutboxTransport;

namespace
{
std::string writeMessage(const std::string& subject)
{
    MassMailing::MailMessage message;
    message.from = MassMailing::MailAddress("Hélène de l'AMAP", "helene@amap.example");
    message.to = {MassMailing::MailAddress("Paul", "paul@example.org")};
    message.subject = subject;
    message.text = "Bonjour,\n.\nÀ jeudi.";
    return MassMailing::MimeWriter().write(message);
}

std::vector<std::string> namesIn(const std::string& dir)
{
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        names.push_back(it.name());
    return names;
}
} // namespace

class OutboxTransportTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OutboxTransportTest);
    CPPUNIT_TEST(testOutboxWritesOneReadableFilePerMessage);
    CPPUNIT_TEST(testEntriesAreNewestFirstWithTheDecodedAccentedSubject);
    CPPUNIT_TEST(testReadRefusesNamesOutsideTheOutbox);
    CPPUNIT_TEST(testConcurrentWritersNeverCollide);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOutboxWritesOneReadableFilePerMessage()
    {
        ScratchFolder folder;
        OutboxTransport outbox(folder.file("data/outbox")); // made with its parents
        const std::string first = writeMessage("Premier");
        const std::string second = writeMessage("Second");
        outbox.send(Envelope{"bounces@amap.example", {"paul@example.org"}}, first);
        outbox.send(Envelope{"", {"a@example.org", "b@example.org"}}, second);

        const std::vector<std::string> names = namesIn(outbox.dir());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), names.size());
        for (const std::string& name : names)
            CPPUNIT_ASSERT_MESSAGE(name, OutboxTransport::isMessageName(name));

        const std::vector<OutboxEntry> entries = outbox.entries(10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), entries.size());
        CPPUNIT_ASSERT_EQUAL("Return-Path: <>\r\nX-Outbox-Envelope-To: a@example.org,\r\n b@example.org\r\n" +
                                 second,
                             outbox.read(entries[0].name));
        CPPUNIT_ASSERT_EQUAL(
            "Return-Path: <bounces@amap.example>\r\nX-Outbox-Envelope-To: paul@example.org\r\n" + first,
            outbox.read(entries[1].name));
        CPPUNIT_ASSERT_EQUAL(std::string("a@example.org, b@example.org"), entries[0].to);
        CPPUNIT_ASSERT_EQUAL(outbox.read(entries[1].name).size(), entries[1].size);
    }

    void testEntriesAreNewestFirstWithTheDecodedAccentedSubject()
    {
        ScratchFolder folder;
        OutboxTransport outbox(folder.path());
        const Poco::Timestamp before;
        outbox.send(Envelope{"b@amap.example", {"paul@example.org"}}, writeMessage("Récolte de l'été"));
        Poco::Thread::sleep(5);
        outbox.send(Envelope{"b@amap.example", {"paul@example.org"}}, writeMessage("Légumes d'automne"));
        Poco::Thread::sleep(5);
        outbox.send(Envelope{"b@amap.example", {"paul@example.org"}}, writeMessage("日本語のニュースレター"));

        const std::vector<OutboxEntry> entries = outbox.entries(2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("日本語のニュースレター"), entries[0].subject);
        CPPUNIT_ASSERT_EQUAL(std::string("Légumes d'automne"), entries[1].subject);
        CPPUNIT_ASSERT(entries[0].time > entries[1].time);
        CPPUNIT_ASSERT(entries[1].time >= before - 1000000); // names hold UTC microseconds
        CPPUNIT_ASSERT_EQUAL(std::string("Hélène de l'AMAP <helene@amap.example>"), entries[0].from);
        CPPUNIT_ASSERT_EQUAL(std::string("paul@example.org"), entries[0].to);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), outbox.entries(100).size());
        CPPUNIT_ASSERT_EQUAL(std::string("Récolte de l'été"), outbox.entries(100)[2].subject);
    }

    void testReadRefusesNamesOutsideTheOutbox()
    {
        ScratchFolder folder;
        OutboxTransport outbox(folder.file("outbox"));
        outbox.send(Envelope{"b@amap.example", {"paul@example.org"}}, writeMessage("x"));
        for (const std::string name :
             {"../etc/passwd", "/etc/passwd", "..", ".", "", "sub/x.eml", "..\\x.eml", ".hidden.eml",
              "x.eml\n", "../outbox/x.eml", "message.txt"})
        {
            try
            {
                outbox.read(name);
                CPPUNIT_FAIL("read(\"" + name + "\") must be refused");
            }
            catch (const Poco::InvalidArgumentException& error)
            {
                CPPUNIT_ASSERT_MESSAGE(error.message(), error.message().compare(0, 5, "name ") == 0);
            }
        }
        CPPUNIT_ASSERT_THROW(outbox.read("20990101-000000-000000-1-000001.eml"), Poco::FileNotFoundException);
    }

    void testConcurrentWritersNeverCollide()
    {
        ScratchFolder folder;
        const std::string message = writeMessage("x");
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back(
                [&folder, &message]()
                {
                    OutboxTransport outbox(folder.path()); // one transport per worker, one folder
                    for (int i = 0; i < 250; ++i)
                        outbox.send(Envelope{"b@amap.example", {"paul@example.org"}}, message);
                });
        for (std::thread& thread : threads)
            thread.join();
        const std::vector<std::string> names = namesIn(folder.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), names.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), std::set<std::string>(names.begin(), names.end()).size());
        for (const std::string& name : names)
            CPPUNIT_ASSERT_MESSAGE(name, OutboxTransport::isMessageName(name)); // no temporary file left
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), OutboxTransport(folder.path()).entries(5000).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxTransportTest);
