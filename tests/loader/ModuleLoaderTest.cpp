#include "LoaderFixture.h"
#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

using CrmHost::LoadedModule;
using CrmHost::ModuleLoader;
using CrmHostTests::contains;
using CrmHostTests::LoaderFixture;

namespace
{
std::string apiVersion(unsigned major, unsigned minor)
{
    return std::to_string(major) + "." + std::to_string(minor);
}

const std::string HOST_API = apiVersion(CrmHost::HOST_API_MAJOR, CrmHost::HOST_API_MINOR);
} // namespace

class ModuleLoaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ModuleLoaderTest);
    CPPUNIT_TEST(testWrongApiMajorIsRefusedNamingBothVersions);
    CPPUNIT_TEST(testNewerApiMinorIsRefusedNamingBothVersions);
    CPPUNIT_TEST(testSharedObjectWithoutEntryPointIsRefusedNamingTheSymbolAndTheFile);
    CPPUNIT_TEST(testModuleThrowingInStartIsRefusedWithItsErrorAndLosesItsRegistrations);
    CPPUNIT_TEST(testModuleAfterOneThatThrowsStillStartsAndKeepsItsScreen);
    CPPUNIT_TEST(testRouteRegisteredTwiceRefusesTheModuleNamingTheRoute);
    CPPUNIT_TEST(testModuleCallingMstchItselfRendersWithTheHostsMstch);
    CPPUNIT_TEST(testMissingModulesFolderIsReportedWithItsPath);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _fixture = std::make_unique<LoaderFixture>("crmhost_test_loader");
        _loader = std::make_unique<ModuleLoader>(_fixture->services());
    }

    void tearDown() override
    {
        _loader.reset(); // stops the modules before the services they use go away
        _fixture.reset();
    }

    void testWrongApiMajorIsRefusedNamingBothVersions()
    {
        const LoadedModule& module = loadOnly("wrong_major");
        std::string built = apiVersion(CrmHost::HOST_API_MAJOR + 1, CrmHost::HOST_API_MINOR);
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "API " + built));
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "API " + HOST_API));
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "libwrong_major.so"));
        assertNeverStarts("wrong_major");
    }

    void testNewerApiMinorIsRefusedNamingBothVersions()
    {
        const LoadedModule& module = loadOnly("newer_minor");
        std::string built = apiVersion(CrmHost::HOST_API_MAJOR, CrmHost::HOST_API_MINOR + 1);
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "API " + built));
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "API " + HOST_API));
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, "libnewer_minor.so"));
        assertNeverStarts("newer_minor");
    }

    void testSharedObjectWithoutEntryPointIsRefusedNamingTheSymbolAndTheFile()
    {
        const LoadedModule& module = loadOnly("no_entry");
        CPPUNIT_ASSERT_MESSAGE(module.error, contains(module.error, CRMHOST_MODULE_ENTRY_SYMBOL));
        CPPUNIT_ASSERT_MESSAGE(
            module.error, contains(module.error, LoaderFixture::casesDir("no_entry") + "/libno_entry.so"));
        CPPUNIT_ASSERT(module.name.empty());
        assertNeverStarts("");
    }

    void testModuleThrowingInStartIsRefusedWithItsErrorAndLosesItsRegistrations()
    {
        _loader->load(LoaderFixture::casesDir("throws_on_start"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _loader->modules().size());
        _loader->startAll();
        const LoadedModule& thrower = byName("thrower");
        CPPUNIT_ASSERT(!thrower.started);
        CPPUNIT_ASSERT_MESSAGE(thrower.error,
                               contains(thrower.error, "the thrower cannot reach its mail server"));
        CPPUNIT_ASSERT_MESSAGE(thrower.error, contains(thrower.error, "thrower"));
        CPPUNIT_ASSERT(_loader->find("thrower") == nullptr);
        CrmHost::Screen screen;
        CPPUNIT_ASSERT(!_fixture->extensions().screens.find("page GET /thrower/", screen));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _fixture->registrationsOf("thrower"));
    }

    void testModuleAfterOneThatThrowsStillStartsAndKeepsItsScreen()
    {
        _loader->load(LoaderFixture::casesDir("throws_on_start"));
        _loader->startAll();
        const LoadedModule& good = byName("well_behaved");
        CPPUNIT_ASSERT_MESSAGE(good.error, good.error.empty());
        CPPUNIT_ASSERT(good.started);
        CPPUNIT_ASSERT(_loader->find("well_behaved") != nullptr);
        CrmHost::Screen screen;
        CPPUNIT_ASSERT(_fixture->extensions().screens.find("page GET /well_behaved/", screen));
        CPPUNIT_ASSERT_EQUAL(std::string("well behaved"), screen.handler(CrmHost::Request()).body);
    }

    void testRouteRegisteredTwiceRefusesTheModuleNamingTheRoute()
    {
        _loader->load(LoaderFixture::casesDir("duplicate_route"));
        _loader->startAll();
        const LoadedModule& module = byName("duplicate_route");
        CPPUNIT_ASSERT(!module.started);
        CPPUNIT_ASSERT_MESSAGE(module.error,
                               contains(module.error, "json GET /duplicate_route/campaigns/{id}"));
        CPPUNIT_ASSERT_MESSAGE("the first registration must go too",
                               _fixture->registrationsOf("duplicate_route") == 0);
    }

    void testModuleCallingMstchItselfRendersWithTheHostsMstch()
    {
        _loader->load(LoaderFixture::casesDir("mstch_user"));
        _loader->startAll();
        const LoadedModule& module = byName("mstch_user");
        CPPUNIT_ASSERT_MESSAGE(module.error, module.started);
        CrmHost::Screen screen;
        CPPUNIT_ASSERT(_fixture->extensions().screens.find("page GET /mstch_user/", screen));
        CPPUNIT_ASSERT_EQUAL(std::string("Hello, host! [a][b]"), screen.handler(CrmHost::Request()).body);
    }

    void testMissingModulesFolderIsReportedWithItsPath()
    {
        std::string missing = LoaderFixture::casesDir("no_such_case");
        try
        {
            _loader->load(missing);
            CPPUNIT_FAIL("a missing modules folder was accepted");
        }
        catch (const Poco::FileNotFoundException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.displayText(), contains(error.displayText(), missing));
        }
    }

private:
    // Loads the single module of a case, which must be refused at load time.
    const LoadedModule& loadOnly(const std::string& name)
    {
        _loader->load(LoaderFixture::casesDir(name));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _loader->modules().size());
        const LoadedModule& module = *_loader->modules().front();
        CPPUNIT_ASSERT_MESSAGE("module " + name + " was not refused", !module.error.empty());
        CPPUNIT_ASSERT(!module.started);
        return module;
    }

    void assertNeverStarts(const std::string& name)
    {
        _loader->startAll();
        const LoadedModule& module = *_loader->modules().front();
        CPPUNIT_ASSERT(!module.started);
        CPPUNIT_ASSERT(!module.module);
        CPPUNIT_ASSERT(_fixture->extensions().screens.all().empty());
        if (!name.empty())
            CPPUNIT_ASSERT(_loader->find(name) == nullptr);
    }

    const LoadedModule& byName(const std::string& name)
    {
        for (const auto& module : _loader->modules())
            if (module->name == name)
                return *module;
        CPPUNIT_FAIL("no module named " + name + " was loaded");
        throw std::logic_error("unreachable");
    }

    std::unique_ptr<LoaderFixture> _fixture;
    std::unique_ptr<ModuleLoader> _loader;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ModuleLoaderTest);
