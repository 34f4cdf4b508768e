#include "LoaderFixture.h"
#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::HostModuleContext;
using CrmHostTests::contains;
using CrmHostTests::LoaderFixture;

// The door a module has to the host, as a module author meets it: what it accepts, what it
// refuses and why, and what it gives back.
class HostModuleContextTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HostModuleContextTest);
    CPPUNIT_TEST(testSettingComesFromTheScreenElseTheFileElseItsDefault);
    CPPUNIT_TEST(testUndeclaredSettingIsRefused);
    CPPUNIT_TEST(testSettingValueItsDeclarationRefusesIsRefusedAtStartAndWhenSaved);
    CPPUNIT_TEST(testIdsOutsideTheModulesNamespaceAreRefused);
    CPPUNIT_TEST(testTaskWithABadCronExpressionIsRefusedNamingTheField);
    CPPUNIT_TEST(testScreenWithoutHandlerIsRefused);
    CPPUNIT_TEST(testTwoModulesCannotDeclareTheSameSetting);
    CPPUNIT_TEST(testSubscriberHearsTheEventUntilItsRegistrationsAreRemoved);
    CPPUNIT_TEST(testDataFolderIsTheModulesOwn);
    CPPUNIT_TEST(testPublicUrlPointsAtTheModulesPublicScreens);
    CPPUNIT_TEST(testMemberLinkIsARelativePathHoldingTheAddressAndGoesWithTheModule);
    CPPUNIT_TEST(testSessionLinkIsARelativePathHoldingTheSessionAndGoesWithTheModule);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _fixture = std::make_unique<LoaderFixture>("crmhost_test_context");
        _context = std::make_unique<HostModuleContext>(_fixture->services(), "massmailing");
    }

    void tearDown() override
    {
        _context->removeRegistrations();
        _context.reset();
        _fixture.reset();
    }

    void testSettingComesFromTheScreenElseTheFileElseItsDefault()
    {
        _context->declareSetting({"massmailing.transport", "outbox", "massmailing.transport.label"});
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), _context->setting("massmailing.transport"));
        _fixture->configuration().setString("massmailing.transport", "smtp");
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), _context->setting("massmailing.transport"));
        _fixture->services().settings.save("massmailing.transport", "mailjet");
        CPPUNIT_ASSERT_EQUAL(std::string("mailjet"), _context->setting("massmailing.transport"));
        _fixture->services().settings.clear("massmailing.transport");
    }

    void testSettingValueItsDeclarationRefusesIsRefusedAtStartAndWhenSaved()
    {
        CrmHost::Setting transport{"massmailing.transport", "outbox", "label", {"outbox", "smtp"}};
        _fixture->configuration().setString("massmailing.transport", "mailjet");
        try
        {
            _context->declareSetting(transport);
            CPPUNIT_FAIL("a module started with a transport it does not have");
        }
        catch (const CrmHost::SettingException& error)
        {
            for (const char* part : {"massmailing.transport", "mailjet", "outbox, smtp"})
                CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), part));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->registrationsOf("massmailing"));

        _fixture->configuration().setString("massmailing.transport", "smtp");
        _context->declareSetting(transport);
        CPPUNIT_ASSERT_THROW(_fixture->services().settings.save("massmailing.transport", "mailjet"),
                             CrmHost::SettingException);
        CPPUNIT_ASSERT_EQUAL(std::string("smtp"), _context->setting("massmailing.transport"));

        CrmHost::Setting port{"massmailing.smtp.port",
                              "25",
                              "label",
                              {},
                              [](const std::string& value)
                              {
                                  if (value.find_first_not_of("0123456789") != std::string::npos)
                                      throw Poco::InvalidArgumentException("it must be a number");
                              }};
        _context->declareSetting(port);
        try
        {
            _fixture->services().settings.save("massmailing.smtp.port", "twenty-five");
            CPPUNIT_FAIL("a port that is no number was saved");
        }
        catch (const CrmHost::SettingException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "massmailing.smtp.port"));
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "it must be a number"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("25"), _context->setting("massmailing.smtp.port"));
    }

    void testUndeclaredSettingIsRefused()
    {
        _fixture->configuration().setString("massmailing.secret", "in the file");
        try
        {
            _context->setting("massmailing.secret");
            CPPUNIT_FAIL("an undeclared setting was read");
        }
        catch (const Poco::NotFoundException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "massmailing.secret"));
        }
    }

    void testIdsOutsideTheModulesNamespaceAreRefused()
    {
        auto refusedNaming = [](const std::function<void()>& registration, const std::string& id)
        {
            try
            {
                registration();
                CPPUNIT_FAIL(id + " was accepted");
            }
            catch (const Poco::InvalidArgumentException& error)
            {
                CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), id));
                CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "massmailing."));
            }
        };
        refusedNaming([this] { _context->declareSetting({"smtp.host", "", "label"}); }, "smtp.host");
        refusedNaming([this] { _context->declareRight({"host.admin", "label"}); }, "host.admin");
        refusedNaming(
            [this] {
                _context->addTask({"send", "", CrmHost::Schedule::every(10), [] { return false; }});
            },
            "send");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->registrationsOf("massmailing"));
    }

    void testTaskWithABadCronExpressionIsRefusedNamingTheField()
    {
        try
        {
            _context->addTask({"massmailing.report", "", CrmHost::Schedule::cronExpression("0 25 * * *"),
                               [] { return false; }});
            CPPUNIT_FAIL("a task firing at 25 o'clock was accepted");
        }
        catch (const Poco::SyntaxException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "hour"));
        }
        CPPUNIT_ASSERT_THROW(
            _context->addTask({"massmailing.never", "", CrmHost::Schedule(), [] { return false; }}),
            Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->registrationsOf("massmailing"));
    }

    void testScreenWithoutHandlerIsRefused()
    {
        CPPUNIT_ASSERT_THROW(
            _context->addScreen({CrmHost::ScreenKind::Page, "GET", "campaigns", "", "", nullptr}),
            Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(_context->addRecipientLoader(nullptr), Poco::InvalidArgumentException);
    }

    void testTwoModulesCannotDeclareTheSameSetting()
    {
        _context->declareSetting({"massmailing.transport", "outbox", "label"});
        HostModuleContext other(_fixture->services(), "massmailing");
        try
        {
            other.declareSetting({"massmailing.transport", "smtp", "label"});
            CPPUNIT_FAIL("a setting was declared twice");
        }
        catch (const CrmHost::DuplicateRegistrationException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(), contains(error.message(), "massmailing.transport"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), _context->setting("massmailing.transport"));
    }

    void testSubscriberHearsTheEventUntilItsRegistrationsAreRemoved()
    {
        std::vector<std::string> groups;
        _context->subscribe("module.enabled", [&groups](const CrmHost::HostEvent& event)
                            { groups.push_back(event.data.at("group")); });
        _context->subscribe("module.enabled", [&groups](const CrmHost::HostEvent& event)
                            { groups.push_back(event.data.at("module")); });
        _fixture->extensions().publish({"module.enabled", {{"module", "massmailing"}, {"group", "4"}}});
        _fixture->extensions().publish({"module.disabled", {{"module", "massmailing"}, {"group", "5"}}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), groups.size());
        _context->removeRegistrations();
        _fixture->extensions().publish({"module.enabled", {{"module", "massmailing"}, {"group", "6"}}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), groups.size());
    }

    void testDataFolderIsTheModulesOwn()
    {
        std::string dir = _context->dataDir();
        CPPUNIT_ASSERT_EQUAL(_fixture->dataDir() + "/massmailing", dir);
        CPPUNIT_ASSERT(Poco::File(dir).isDirectory());
    }

    void testPublicUrlPointsAtTheModulesPublicScreens()
    {
        CPPUNIT_ASSERT_EQUAL(_fixture->services().publicUrl + "/p/massmailing/u/abc123",
                             _context->publicUrl("u/abc123"));
    }

    void testMemberLinkIsARelativePathHoldingTheAddressAndGoesWithTheModule()
    {
        _context->addMemberLink({"massmailing.log", "massmailing.log.memberLink",
                                 "addresses/log?address={email}", "massmailing.compose"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _fixture->extensions().memberLinks.all().size());
        CPPUNIT_ASSERT_THROW(_context->addMemberLink({"massmailing.log", "label", "again?a={email}", ""}),
                             CrmHost::DuplicateRegistrationException);
        // Never another site, another module's pages, or a link that does not say whose it is.
        for (const char* path :
             {"https://evil.example/?a={email}", "//evil.example/{email}", "../host/{email}",
              "/admin/{email}", "addresses\\{email}", "addresses/log", ""})
            CPPUNIT_ASSERT_THROW_MESSAGE(path,
                                         _context->addMemberLink({"massmailing.other", "label", path, ""}),
                                         Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(_context->addMemberLink({"massmailing.nolabel", "", "log?a={email}", ""}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(_context->addMemberLink({"other.log", "label", "log?a={email}", ""}),
                             Poco::InvalidArgumentException);
        _context->removeRegistrations();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->extensions().memberLinks.all().size());
    }

    void testSessionLinkIsARelativePathHoldingTheSessionAndGoesWithTheModule()
    {
        _context->addSessionLink({"massmailing.inbox", "massmailing.inbox.communication",
                                  "inbox/open?kind=session&subject={session}", "massmailing.compose"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _fixture->extensions().sessionLinks.all().size());
        CPPUNIT_ASSERT_THROW(_context->addSessionLink({"massmailing.inbox", "label", "again/{session}", ""}),
                             CrmHost::DuplicateRegistrationException);
        for (const char* path :
             {"https://evil.example/{session}", "//evil.example/{session}", "../host/{session}",
              "/admin/{session}", "inbox\\{session}", "inbox/open", ""})
            CPPUNIT_ASSERT_THROW_MESSAGE(path,
                                         _context->addSessionLink({"massmailing.other", "label", path, ""}),
                                         Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(_context->addSessionLink({"massmailing.nolabel", "", "inbox/{session}", ""}),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(_context->addSessionLink({"other.inbox", "label", "inbox/{session}", ""}),
                             Poco::InvalidArgumentException);
        _context->removeRegistrations();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->extensions().sessionLinks.all().size());
    }

private:
    std::unique_ptr<LoaderFixture> _fixture;
    std::unique_ptr<HostModuleContext> _context;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostModuleContextTest);
