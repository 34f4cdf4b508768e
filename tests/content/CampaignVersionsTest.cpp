// Language versions of a campaign (C11) against the database, on SQLite and on MariaDB: stored
// and read with the campaign, refused field by field, and sent to whom they are for, by the
// dispatcher's message maker (CampaignMessages) and by the preview, the forced one to everyone.
// The messages are also parsed by Python's email package (check_versions.py).
#include "SuiteSetup.h"
#include "TempFolder.h"
#include "TestDatabase.h"
#include "audience/RecipientDirectory.h"
#include "content/Attachments.h"
#include "content/Campaigns.h"
#include "content/ContentException.h"
#include "content/HtmlSanitizer.h"
#include "content/MessageSize.h"
#include "content/PreviousMessages.h"
#include "content/Templates.h"
#include "content/TextLine.h"
#include "delivery/CampaignMessages.h"
#include "delivery/TestSend.h"
#include <Poco/Data/Session.h>
#include <Poco/FileStream.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using namespace Poco::Data::Keywords;
using MassMailing::Campaign;
using MassMailing::CampaignVersion;
using MassMailing::FieldException;
using MassMailing::Recipient;
using MassMailing::TextLine;

namespace
{
const long Group = 1;

struct Shared
{
    std::unique_ptr<CrmHost::SqlDatabase> database;
    std::unique_ptr<MassMailing::Campaigns> campaigns;
    std::unique_ptr<MassMailing::RecipientDirectory> directory;
    std::unique_ptr<CrmHostTests::TempFolder> folder;
    std::unique_ptr<MassMailing::Attachments> attachments;
    MassMailing::TestSend::Services services;
};

Shared& shared()
{
    static Shared instance;
    return instance;
}

// A food group with a verified domain and three members: French, English and German.
void seed()
{
    shared().database = CrmHostTests::makeTestDatabase("crmhost_test_content_versions");
    Poco::Data::Session session = shared().database->session();
    session << "INSERT INTO host_groups (id, kind, name) VALUES (1, 'food', 'AMAP des Tilleuls')", now;
    session << "INSERT INTO verified_domains (group_id, domain) VALUES (1, 'example.org')", now;
    session << "INSERT INTO people (id, first_name, last_name, email, locale) VALUES "
               "(1, 'Camille', 'Martin', 'camille@example.net', 'fr'), "
               "(2, 'Jane', 'Smith', 'jane@example.net', 'en'), "
               "(3, 'Hans', 'Weber', 'hans@example.net', 'de')",
        now;
    session << "INSERT INTO memberships (group_id, person_id) VALUES (1, 1), (1, 2), (1, 3)", now;
    shared().campaigns = std::make_unique<MassMailing::Campaigns>(*shared().database);
    shared().directory = std::make_unique<MassMailing::RecipientDirectory>(*shared().database);
    shared().folder = std::make_unique<CrmHostTests::TempFolder>("content-versions");
    shared().attachments =
        std::make_unique<MassMailing::Attachments>(*shared().database, shared().folder->path());
    auto& services = shared().services;
    services.links = [](const Campaign&, const Recipient& recipient)
    {
        return MassMailing::MessageLinks{
            "https://crm.example.org/p/massmailing/u/" + std::to_string(recipient.id),
            "https://crm.example.org/p/massmailing/v/" + std::to_string(recipient.id)};
    };
    // The footer's words say which language the message was made in.
    services.translate = [](const std::string& key, const std::string& locale)
    { return "[" + locale + "]" + key; };
    services.signer = [] { return std::shared_ptr<const MassMailing::DkimSigner>(); };
    services.files = [](const Campaign&) { return MassMailing::MessageFiles(); };
}

void drop()
{
    shared() = Shared();
}

Recipient member(long id)
{
    return *shared().directory->find(Group, "members", "person", id);
}

Campaign draft(const std::string& name)
{
    Campaign c;
    c.groupId = Group;
    c.recipientType = "members";
    c.name = name;
    c.senderName = "AMAP des Tilleuls";
    c.senderEmail = "paniers@example.org";
    c.subject = "Les paniers de jeudi";
    c.html = "<p>Bonjour {{first_name}}, les paniers arrivent jeudi.</p>";
    c.versions = {CampaignVersion{"en", "Thursday baskets",
                                  "<p>Hello {{first_name}}, baskets come on Thursday.</p>", ""}};
    return c;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string subjectOf(const std::string& bytes)
{
    auto at = bytes.find("\r\nSubject: ");
    CPPUNIT_ASSERT_MESSAGE(bytes.substr(0, 2000), at != std::string::npos);
    return bytes.substr(at + 11, bytes.find("\r\n", at + 11) - at - 11);
}
} // namespace

class CampaignVersionsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CampaignVersionsTest);
    CPPUNIT_TEST(testVersionsAreStoredSanitisedAndReadWithTheCampaign);
    CPPUNIT_TEST(testLongBodiesWithEmojiAreReadBackWhole);
    CPPUNIT_TEST(testFrenchAndEnglishRecipientsEachGetTheirVersionAndOthersTheMainOne);
    CPPUNIT_TEST(testForcedVersionGoesToEveryoneInSendsAndPreviews);
    CPPUNIT_TEST(testWrongVersionIsRefusedNamingItsField);
    CPPUNIT_TEST(testVariableOfAVersionIsCheckedLikeTheMainOnes);
    CPPUNIT_TEST(testSizeCheckMeasuresTheLargestVersion);
    CPPUNIT_TEST(testEachVersionsMessageParsesInPython);
    CPPUNIT_TEST(testReusedMessageBringsItsLanguageVersions);
    CPPUNIT_TEST(testControlCharacterInASubjectIsRefusedNamingTheField);
    CPPUNIT_TEST(testLengthLimitsCountCharactersNotBytes);
    CPPUNIT_TEST(testTooDeepBodyIsRefusedNamingItsField);
    CPPUNIT_TEST_SUITE_END();

public:
    void testVersionsAreStoredSanitisedAndReadWithTheCampaign()
    {
        Campaign c = draft("stored");
        c.versions.push_back(CampaignVersion{
            " DE ", "Körbe am Donnerstag", "<p onclick=\"x()\">Hallo</p><script>alert(1)</script>", "Hallo"});
        long id = campaigns().create(c);
        Campaign stored = *campaigns().find(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stored.versions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("de"), stored.versions[0].locale); // in the order of locales
        CPPUNIT_ASSERT_EQUAL(std::string("Körbe am Donnerstag"), stored.versions[0].subject);
        CPPUNIT_ASSERT_MESSAGE(stored.versions[0].html, !contains(stored.versions[0].html, "script"));
        CPPUNIT_ASSERT_MESSAGE(stored.versions[0].html, !contains(stored.versions[0].html, "onclick"));
        CPPUNIT_ASSERT_MESSAGE(stored.versions[0].html, contains(stored.versions[0].html, "Hallo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Hallo"), stored.versions[0].text);
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), stored.versions[1].subject);

        stored.versions.erase(stored.versions.begin());
        stored.versions[0].subject = "Baskets on Thursday";
        campaigns().update(stored);
        Campaign updated = *campaigns().find(id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), updated.versions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Baskets on Thursday"), updated.versions[0].subject);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), campaigns().ofGroup(Group).front().versions.size());
    }

    // MariaDB: bodies longer than the first bound the campaign store reads MEDIUMTEXT with
    // (SqlDialect::USUAL_TEXT characters), and four-byte characters, come back byte for byte.
    void testLongBodiesWithEmojiAreReadBackWhole()
    {
        std::string tomatoes;
        while (tomatoes.size() < 300000)
            tomatoes += "\xF0\x9F\x8D\x85 tomates ";
        Campaign c = draft("long \xF0\x9F\x8D\x85");
        c.subject = "Les tomates \xF0\x9F\x8D\x85 sont l\xC3\xA0";
        c.html = "<p>" + tomatoes + "FIN</p>";
        c.text = tomatoes + "FIN";
        c.versions[0].html = "<p>" + tomatoes + "END</p>";
        const Campaign stored = *campaigns().find(campaigns().create(c));
        CPPUNIT_ASSERT_EQUAL(c.subject, stored.subject);
        CPPUNIT_ASSERT_EQUAL(c.name, stored.name);
        const MassMailing::HtmlSanitizer sanitizer;
        CPPUNIT_ASSERT(stored.html.size() > 300000);
        CPPUNIT_ASSERT_EQUAL(sanitizer.sanitize(c.html), stored.html);
        CPPUNIT_ASSERT_EQUAL(c.text, stored.text);
        CPPUNIT_ASSERT_EQUAL(sanitizer.sanitize(c.versions[0].html), stored.versions.at(0).html);

        MassMailing::Templates templates(*shared().database);
        MassMailing::MessageTemplate kept;
        kept.groupId = Group;
        kept.name = "tomatoes";
        kept.subject = c.subject;
        kept.html = c.html;
        const long id = templates.save(kept);
        CPPUNIT_ASSERT_EQUAL(sanitizer.sanitize(c.html), templates.find(Group, id)->html);
    }

    void testFrenchAndEnglishRecipientsEachGetTheirVersionAndOthersTheMainOne()
    {
        Campaign c = *campaigns().find(campaigns().create(draft("each their own")));
        MassMailing::CampaignMessages messages(c, campaigns(), shared().services);
        std::string french = messages.bytesFor(member(1));
        std::string english = messages.bytesFor(member(2));
        std::string german = messages.bytesFor(member(3));
        CPPUNIT_ASSERT_EQUAL(std::string("Les paniers de jeudi"), subjectOf(french));
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, "Bonjour Camille"));
        CPPUNIT_ASSERT_MESSAGE(french, contains(french, "[fr]massmailing.footer"));
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), subjectOf(english));
        CPPUNIT_ASSERT_MESSAGE(english, contains(english, "Hello Jane"));
        CPPUNIT_ASSERT_MESSAGE(english, !contains(english, "Bonjour"));
        CPPUNIT_ASSERT_MESSAGE(english, contains(english, "[en]massmailing.footer"));
        // No German version: the main one.
        CPPUNIT_ASSERT_EQUAL(std::string("Les paniers de jeudi"), subjectOf(german));
        CPPUNIT_ASSERT_MESSAGE(german, contains(german, "Bonjour Hans"));

        // The preview and the test send show each recipient theirs too.
        MassMailing::TestSend testSend(campaigns(), *shared().directory, shared().services);
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), testSend.preview(c, member(2)).subject);
        CPPUNIT_ASSERT_EQUAL(std::string("Les paniers de jeudi"), testSend.preview(c, member(1)).subject);
    }

    void testForcedVersionGoesToEveryoneInSendsAndPreviews()
    {
        Campaign c = draft("forced");
        c.forcedLocale = "en";
        c = *campaigns().find(campaigns().create(c));
        MassMailing::CampaignMessages messages(c, campaigns(), shared().services);
        MassMailing::TestSend testSend(campaigns(), *shared().directory, shared().services);
        for (long id : {1L, 2L, 3L})
        {
            std::string bytes = messages.bytesFor(member(id));
            CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), subjectOf(bytes));
            CPPUNIT_ASSERT_MESSAGE(bytes, contains(bytes, "Hello " + member(id).firstName));
            CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), testSend.preview(c, member(id)).subject);
        }

        // Forcing French, which has no version: the main version, to the English recipient too.
        c.forcedLocale = "fr";
        campaigns().update(c);
        c = *campaigns().find(c.id);
        MassMailing::CampaignMessages french(c, campaigns(), shared().services);
        CPPUNIT_ASSERT_EQUAL(std::string("Les paniers de jeudi"), subjectOf(french.bytesFor(member(2))));
    }

    void testControlCharacterInASubjectIsRefusedNamingTheField()
    {
        // Finding 11: a NUL cut the subject where it was stored, silently.
        Campaign c = draft("control");
        c.subject = std::string("Les paniers\0 de jeudi", 22);
        CPPUNIT_ASSERT_EQUAL(std::string("subject control_character"), refusalOf(c));
        c.subject = "Les paniers \x1B[31m";
        CPPUNIT_ASSERT_EQUAL(std::string("subject control_character"), refusalOf(c));
        c = draft("control");
        c.senderName = std::string("AMAP\0", 5);
        CPPUNIT_ASSERT_EQUAL(std::string("sender_name control_character"), refusalOf(c));
        c = draft("control");
        c.versions[0].subject = "Thursday\x7F";
        CPPUNIT_ASSERT_EQUAL(std::string("versions[0].subject control_character"), refusalOf(c));
        c = draft("control");
        c.text = std::string("Bonjour\0", 8);
        CPPUNIT_ASSERT_EQUAL(std::string("text control_character"), refusalOf(c));
        // A tab, and line breaks in a body, make sense.
        c.subject = "Les paniers\tde jeudi";
        c.text = "Bonjour,\r\n\tles paniers arrivent.\n";
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusalOf(c));
    }

    void testLengthLimitsCountCharactersNotBytes()
    {
        // 500 characters of "é" are 1,000 bytes: a French subject was refused at half its length.
        std::string subject;
        for (int i = 0; i < 500; ++i)
            subject += "\xC3\xA9";
        Campaign c = draft("é");
        c.subject = subject;
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusalOf(c));
        c.subject += "e";
        CPPUNIT_ASSERT_EQUAL(std::string("subject too_long"), refusalOf(c));
        c = draft("name");
        c.name.clear();
        for (int i = 0; i < 200; ++i)
            c.name += "\xE2\x82\xAC"; // €
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusalOf(c));
        c.name += "\xE2\x82\xAC";
        CPPUNIT_ASSERT_EQUAL(std::string("name too_long"), refusalOf(c));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), TextLine::characters("R\xC3\xA9union"));
    }

    void testTooDeepBodyIsRefusedNamingItsField()
    {
        std::string deep;
        for (int i = 0; i < 10000; ++i)
            deep += "<div>";
        Campaign c = draft("deep");
        c.versions[0].html = deep;
        CPPUNIT_ASSERT_EQUAL(std::string("versions[0].html too_deep"), refusalOf(c));
        c = draft("deep");
        c.html = deep;
        CPPUNIT_ASSERT_EQUAL(std::string("html too_deep"), refusalOf(c));
        c = draft("deep");
        for (int i = 0; i < 100; ++i)
            c.text = "{{#first_name}}" + c.text + "{{/first_name}}";
        CPPUNIT_ASSERT_EQUAL(std::string("text too_deep"), refusalOf(c));
    }

    void testWrongVersionIsRefusedNamingItsField()
    {
        auto refusal = [](Campaign c)
        {
            try
            {
                campaigns().create(c);
            }
            catch (const FieldException& error)
            {
                return error.field() + " " + error.code();
            }
            return std::string("accepted");
        };
        Campaign c = draft("refused");
        c.versions.push_back(CampaignVersion{"english", "Subject", "<p>x</p>", ""});
        CPPUNIT_ASSERT_EQUAL(std::string("versions[1].locale bad_locale"), refusal(c));
        c.versions[1].locale = "en";
        CPPUNIT_ASSERT_EQUAL(std::string("versions[1].locale duplicate_locale"), refusal(c));
        c.versions[1] = CampaignVersion{"de", "  ", "<p>x</p>", ""};
        CPPUNIT_ASSERT_EQUAL(std::string("versions[1].subject required"), refusal(c));
        c.versions[1].subject = "Zeile\r\nBcc: someone@example.com";
        CPPUNIT_ASSERT_EQUAL(std::string("versions[1].subject line_break"), refusal(c));
        c.versions.pop_back();
        c.forcedLocale = "de";
        CPPUNIT_ASSERT_EQUAL(std::string("forced_locale bad_locale"), refusal(c));
        c.forcedLocale = "en";
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), refusal(c));
    }

    void testVariableOfAVersionIsCheckedLikeTheMainOnes()
    {
        Campaign c = draft("variables");
        c.versions[0].html = "<p>Hello {{no_such_variable}}</p>";
        MassMailing::TestSend testSend(campaigns(), *shared().directory, shared().services);
        try
        {
            testSend.check(c);
            CPPUNIT_FAIL("a version's unknown variable passed the check");
        }
        catch (const MassMailing::VariablesException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), error.problems().size());
            CPPUNIT_ASSERT_EQUAL(std::string("no_such_variable"), error.problems().front().variable);
        }
    }

    void testSizeCheckMeasuresTheLargestVersion()
    {
        Campaign c = draft("size");
        MassMailing::MessageSize size(campaigns(), *shared().attachments);
        std::size_t small = size.of(c);
        c.versions[0].html = "<p>" + std::string(200000, 'x') + "</p>";
        CPPUNIT_ASSERT(size.of(c) > small + 200000);
    }

    void testEachVersionsMessageParsesInPython()
    {
        Campaign c = draft("python");
        c.subject = "Les paniers de l'été";
        c.versions.push_back(
            CampaignVersion{"de", "Körbe für den Sommer", "<p>Grüße, {{first_name}}!</p>", ""});
        c = *campaigns().find(campaigns().create(c));
        MassMailing::CampaignMessages messages(c, campaigns(), shared().services);
        // Each file, with the subject and the words of the body its reader must find in it.
        std::vector<std::string> args{VERSIONS_CHECK_SCRIPT};
        const std::vector<std::vector<std::string>> expected{{"Les paniers de l'été", "Bonjour Camille"},
                                                             {"Thursday baskets", "Hello Jane"},
                                                             {"Körbe für den Sommer", "Grüße, Hans!"}};
        for (long id : {1L, 2L, 3L})
        {
            std::string path = shared().folder->file("person" + std::to_string(id) + ".eml");
            Poco::FileOutputStream out(path);
            out << messages.bytesFor(member(id));
            out.close();
            args.insert(args.end(),
                        {path, expected[std::size_t(id - 1)][0], expected[std::size_t(id - 1)][1]});
        }
        Poco::Pipe output;
        Poco::ProcessHandle process =
            Poco::Process::launch("/usr/bin/python3", args, nullptr, &output, &output);
        Poco::PipeInputStream in(output);
        std::string said;
        Poco::StreamCopier::copyToString(in, said);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(said, 0, process.wait());
    }

    void testReusedMessageBringsItsLanguageVersions()
    {
        Campaign earlier = *campaigns().find(campaigns().create(draft("earlier")));
        Campaign next = draft("next");
        next.versions.clear();
        next = *campaigns().find(campaigns().create(next));
        MassMailing::PreviousMessages previous(*shared().database, campaigns(), *shared().attachments);
        previous.reuse(earlier.id, next, [](long) { return true; });
        campaigns().update(next);
        Campaign stored = *campaigns().find(next.id);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stored.versions.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), stored.versions[0].subject);
    }

private:
    static MassMailing::Campaigns& campaigns() { return *shared().campaigns; }

    /// "field code" of the refusal of a new campaign, or "accepted".
    static std::string refusalOf(const Campaign& c)
    {
        try
        {
            campaigns().create(c);
        }
        catch (const FieldException& error)
        {
            return error.field() + " " + error.code();
        }
        return "accepted";
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(CampaignVersionsTest::suite(), seed, drop); });
} // namespace
