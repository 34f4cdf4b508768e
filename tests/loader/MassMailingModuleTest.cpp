#include "LoaderFixture.h"
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::ModuleLoader;
using CrmHostTests::contains;
using CrmHostTests::LoaderFixture;

// The real plugin, build/modules/libmassmailing.so, loaded by the host's ModuleLoader.
class MassMailingModuleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MassMailingModuleTest);
    CPPUNIT_TEST(testMassmailingLoadsAndStartsWithItsVersionAndApi);
    CPPUNIT_TEST(testMassmailingRegistersItsHomePageAndStatusRoute);
    CPPUNIT_TEST(testMassmailingRegistersItsSendTask);
    CPPUNIT_TEST(testMassmailingDeclaresItsThreeRights);
    CPPUNIT_TEST(testMassmailingDeclaresTheDocumentedSettings);
    CPPUNIT_TEST(testStopAllRemovesEveryRegistrationOfMassmailing);
    CPPUNIT_TEST(testHomePageIsRenderedAndTranslatedThroughTheHost);
    CPPUNIT_TEST(testStatusRouteAnswersJsonAboutTheGroup);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _fixture = std::make_unique<LoaderFixture>("crmhost_test_massmailing");
        // As Host::loadModules does: the module's texts join the catalogue.
        _fixture->catalogue().load(std::string(CRMHOST_RESOURCE_DIR) + "/templates", "massmailing");
        _loader = std::make_unique<ModuleLoader>(_fixture->services());
        _loader->load(Poco::Path(MASSMAILING_MODULE_PATH).parent().toString());
        _loader->startAll();
    }

    void tearDown() override
    {
        _loader.reset();
        _fixture.reset();
    }

    void testMassmailingLoadsAndStartsWithItsVersionAndApi()
    {
        const CrmHost::LoadedModule* module = massmailing();
        CPPUNIT_ASSERT_EQUAL(std::string(MASSMAILING_MODULE_PATH), Poco::Path(module->path).toString());
        CPPUNIT_ASSERT(!module->version.empty());
        CPPUNIT_ASSERT_EQUAL(CrmHost::HOST_API_MAJOR, module->apiMajor);
        CPPUNIT_ASSERT(module->apiMinor <= CrmHost::HOST_API_MINOR);
        CPPUNIT_ASSERT_MESSAGE("the module has no data folder of its own",
                               Poco::File(_fixture->dataDir() + "/massmailing").isDirectory());
    }

    void testMassmailingRegistersItsHomePageAndStatusRoute()
    {
        massmailing();
        CrmHost::Screen home, status;
        CPPUNIT_ASSERT(_fixture->extensions().screens.find("page GET /massmailing/", home));
        CPPUNIT_ASSERT(_fixture->extensions().screens.find("json GET /massmailing/status", status));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.menu"), home.menuLabel);
        CPPUNIT_ASSERT_EQUAL(std::string("Mass mailing"), _fixture->catalogue().text(home.menuLabel, "en"));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.compose"), home.requiredRight);
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing.compose"), status.requiredRight);
    }

    void testMassmailingRegistersItsSendTask()
    {
        massmailing();
        CrmHost::ScheduledTask task;
        std::string owner;
        CPPUNIT_ASSERT(_fixture->extensions().tasks.find("massmailing.send", task, &owner));
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing"), owner);
        CPPUNIT_ASSERT(task.run);
        CPPUNIT_ASSERT(!task.description.empty());
    }

    void testMassmailingDeclaresItsThreeRights()
    {
        massmailing();
        for (const char* name : {"massmailing.compose", "massmailing.send", "massmailing.approve"})
        {
            CrmHost::Right right;
            CPPUNIT_ASSERT_MESSAGE(name, _fixture->extensions().rights.find(name, right));
            CPPUNIT_ASSERT_MESSAGE(name, _fixture->catalogue().text(right.label, "en") != right.label);
        }
    }

    void testMassmailingDeclaresTheDocumentedSettings()
    {
        massmailing();
        for (const char* key :
             {"massmailing.transport", "massmailing.smtp.host", "massmailing.smtp.port",
              "massmailing.smtp.tls", "massmailing.smtp.user", "massmailing.smtp.password",
              "massmailing.smtp.connections", "massmailing.outbox.dir", "massmailing.dkim.domain",
              "massmailing.dkim.selector", "massmailing.dkim.key", "massmailing.quota.monthly"})
        {
            CrmHost::Setting setting;
            CPPUNIT_ASSERT_MESSAGE(key, _fixture->extensions().settings.find(key, setting));
            CPPUNIT_ASSERT_MESSAGE(std::string(key) + " has no label text",
                                   _fixture->catalogue().text(setting.label, "en") != setting.label);
        }
        CrmHost::Setting transport;
        _fixture->extensions().settings.find("massmailing.transport", transport);
        CPPUNIT_ASSERT_EQUAL(std::string("outbox"), transport.defaultValue);
    }

    void testStopAllRemovesEveryRegistrationOfMassmailing()
    {
        massmailing();
        CPPUNIT_ASSERT(_fixture->registrationsOf("massmailing") > 0);
        _loader->stopAll();
        CPPUNIT_ASSERT(_loader->find("massmailing") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->registrationsOf("massmailing"));
        CrmHost::Screen screen;
        CPPUNIT_ASSERT(!_fixture->extensions().screens.find("page GET /massmailing/", screen));
        CrmHost::ScheduledTask task;
        CPPUNIT_ASSERT(!_fixture->extensions().tasks.find("massmailing.send", task));
    }

    void testHomePageIsRenderedAndTranslatedThroughTheHost()
    {
        massmailing();
        CrmHost::Screen home;
        _fixture->extensions().screens.find("page GET /massmailing/", home);
        CrmHost::Request request = composer(7);
        request.locale = "en";
        CrmHost::Response english = home.handler(request);
        request.locale = "fr";
        CrmHost::Response french = home.handler(request);

        CPPUNIT_ASSERT_EQUAL(200, english.status);
        CPPUNIT_ASSERT_MESSAGE(english.body, contains(english.body, "Mass mailing"));
        CPPUNIT_ASSERT_MESSAGE(
            english.body, contains(english.body, _fixture->catalogue().text("massmailing.right.send", "en")));
        CPPUNIT_ASSERT_MESSAGE(
            "a right the user lacks is listed",
            !contains(english.body, _fixture->catalogue().text("massmailing.right.approve", "en")));
        CPPUNIT_ASSERT_MESSAGE(english.body, !contains(english.body, "massmailing."));
        CPPUNIT_ASSERT_MESSAGE(french.body, !contains(french.body, "massmailing."));
        CPPUNIT_ASSERT(english.body != french.body);
        CPPUNIT_ASSERT_MESSAGE(
            french.body, contains(french.body, _fixture->catalogue().text("massmailing.home.intro", "fr")));
    }

    void testStatusRouteAnswersJsonAboutTheGroup()
    {
        massmailing();
        CrmHost::Screen status;
        _fixture->extensions().screens.find("json GET /massmailing/status", status);
        CrmHost::Response response = status.handler(composer(7));
        CPPUNIT_ASSERT_EQUAL(200, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), response.contentType);
        auto json = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("massmailing"), json->getValue<std::string>("module"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), json->getValue<Poco::Int64>("group"));
        CPPUNIT_ASSERT_EQUAL(massmailing()->version, json->getValue<std::string>("version"));
    }

private:
    const CrmHost::LoadedModule* massmailing()
    {
        const CrmHost::LoadedModule* module = _loader->find("massmailing");
        if (!module)
        {
            std::string errors;
            for (const auto& loaded : _loader->modules())
                errors += "\n  " + loaded->path + ": " + (loaded->error.empty() ? "loaded" : loaded->error);
            CPPUNIT_FAIL("massmailing did not start:" + errors);
        }
        return module;
    }

    // A user of group 7 who may compose and send, but not approve.
    static CrmHost::Request composer(long groupId)
    {
        CrmHost::Request request;
        request.userId = 1;
        request.groupId = groupId;
        request.hasRight = [groupId](const std::string& right, long group)
        { return group == groupId && (right == "massmailing.compose" || right == "massmailing.send"); };
        return request;
    }

    std::unique_ptr<LoaderFixture> _fixture;
    std::unique_ptr<ModuleLoader> _loader;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MassMailingModuleTest);
