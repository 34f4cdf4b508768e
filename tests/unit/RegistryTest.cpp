#include "Registry.h"
#include "Extensions.h"
#include <cppunit/extensions/HelperMacros.h>
#include <stdexcept>

using CrmHost::DuplicateRegistrationException;
using CrmHost::Extensions;
using CrmHost::Registry;

namespace
{
CrmHost::Screen page(const std::string& path)
{
    return {CrmHost::ScreenKind::Page,
            "GET",
            path,
            "",
            "",
            [](const CrmHost::Request&) { return CrmHost::Response(); }};
}

CrmHost::ScheduledTask task(const std::string& name)
{
    return {name, "", CrmHost::Schedule::every(60), []() { return false; }};
}
} // namespace

class RegistryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RegistryTest);
    CPPUNIT_TEST(testEntryIsFoundWithItsOwner);
    CPPUNIT_TEST(testDuplicateIdIsRefusedWithAMessageNamingBothModules);
    CPPUNIT_TEST(testRefusedDuplicateLeavesTheFirstEntryInPlace);
    CPPUNIT_TEST(testRemoveOwnedByRemovesOnlyThatModulesEntries);
    CPPUNIT_TEST(testIdFreedByRemovalCanBeRegisteredAgain);
    CPPUNIT_TEST(testScreenIdNamesKindMethodModuleAndPath);
    CPPUNIT_TEST(testPublicScreenAndJsonRouteOfOnePathHaveDistinctIds);
    CPPUNIT_TEST(testExtensionsRemoveOwnedByClearsEveryExtensionPointOfTheModule);
    CPPUNIT_TEST(testEventReachesItsSubscribersEvenWhenOneThrows);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEntryIsFoundWithItsOwner()
    {
        Registry<int> registry("number");
        registry.add("alpha", "one", 1);
        int value = 0;
        std::string owner;
        CPPUNIT_ASSERT(registry.find("one", value, &owner));
        CPPUNIT_ASSERT_EQUAL(1, value);
        CPPUNIT_ASSERT_EQUAL(std::string("alpha"), owner);
        CPPUNIT_ASSERT(!registry.find("two", value));
    }

    void testDuplicateIdIsRefusedWithAMessageNamingBothModules()
    {
        Registry<int> registry("task");
        registry.add("massmailing", "massmailing.send", 1);
        try
        {
            registry.add("impostor", "massmailing.send", 2);
            CPPUNIT_FAIL("a duplicate id was accepted");
        }
        catch (const DuplicateRegistrationException& error)
        {
            const std::string& message = error.message();
            CPPUNIT_ASSERT_MESSAGE(message, message.find("massmailing.send") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(message, message.find("impostor") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(message, message.find("module massmailing") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(message, message.find("task") != std::string::npos);
        }
    }

    void testRefusedDuplicateLeavesTheFirstEntryInPlace()
    {
        Registry<int> registry("number");
        registry.add("alpha", "one", 1);
        CPPUNIT_ASSERT_THROW(registry.add("beta", "one", 2), DuplicateRegistrationException);
        CPPUNIT_ASSERT_THROW(registry.add("alpha", "one", 3), DuplicateRegistrationException);
        int value = 0;
        std::string owner;
        CPPUNIT_ASSERT(registry.find("one", value, &owner));
        CPPUNIT_ASSERT_EQUAL(1, value);
        CPPUNIT_ASSERT_EQUAL(std::string("alpha"), owner);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.all().size());
    }

    void testRemoveOwnedByRemovesOnlyThatModulesEntries()
    {
        Registry<int> registry("number");
        registry.add("alpha", "a1", 1);
        registry.add("beta", "b1", 2);
        registry.add("alpha", "a2", 3);
        registry.add("beta", "b2", 4);
        registry.removeOwnedBy("alpha");
        auto left = registry.all();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), left.size());
        for (const auto& [id, owned] : left)
            CPPUNIT_ASSERT_EQUAL(std::string("beta"), owned.owner);
        registry.removeOwnedBy("nobody");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.all().size());
    }

    void testIdFreedByRemovalCanBeRegisteredAgain()
    {
        Registry<int> registry("number");
        registry.add("alpha", "shared", 1);
        registry.removeOwnedBy("alpha");
        registry.add("beta", "shared", 2);
        int value = 0;
        CPPUNIT_ASSERT(registry.find("shared", value));
        CPPUNIT_ASSERT_EQUAL(2, value);
    }

    void testScreenIdNamesKindMethodModuleAndPath()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("page GET /massmailing/"),
                             Extensions::screenId("massmailing", page("")));
        CrmHost::Screen json{CrmHost::ScreenKind::Json, "POST", "campaigns/{id}/approve", "", "", nullptr};
        CPPUNIT_ASSERT_EQUAL(std::string("json POST /massmailing/campaigns/{id}/approve"),
                             Extensions::screenId("massmailing", json));
    }

    void testPublicScreenAndJsonRouteOfOnePathHaveDistinctIds()
    {
        // An unsubscribe link (public) and the API route of the same path are two screens.
        CrmHost::Screen json{CrmHost::ScreenKind::Json, "GET", "u/{token}", "", "", nullptr};
        CrmHost::Screen open{CrmHost::ScreenKind::Public, "GET", "u/{token}", "", "", nullptr};
        CPPUNIT_ASSERT_EQUAL(std::string("public GET /massmailing/u/{token}"),
                             Extensions::screenId("massmailing", open));
        CPPUNIT_ASSERT(Extensions::screenId("massmailing", open) !=
                       Extensions::screenId("massmailing", json));
    }

    void testExtensionsRemoveOwnedByClearsEveryExtensionPointOfTheModule()
    {
        Extensions extensions;
        for (const std::string module : {"alpha", "beta"})
        {
            extensions.screens.add(module, Extensions::screenId(module, page("")), page(""));
            extensions.tasks.add(module, module + ".task", task(module + ".task"));
            extensions.settings.add(module, module + ".key", {module + ".key", "x", "label"});
            extensions.rights.add(module, module + ".right", {module + ".right", "label"});
            extensions.subscriptions.add(module, module + "#1",
                                         {"module.enabled", [](const CrmHost::HostEvent&) {}});
        }
        extensions.removeOwnedBy("alpha");
        auto ownedBy = [](const auto& registry, const std::string& module)
        {
            std::size_t count = 0;
            for (const auto& [id, owned] : registry.all())
                count += owned.owner == module;
            return count;
        };
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             ownedBy(extensions.screens, "alpha") + ownedBy(extensions.tasks, "alpha") +
                                 ownedBy(extensions.settings, "alpha") + ownedBy(extensions.rights, "alpha") +
                                 ownedBy(extensions.subscriptions, "alpha"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5),
                             ownedBy(extensions.screens, "beta") + ownedBy(extensions.tasks, "beta") +
                                 ownedBy(extensions.settings, "beta") + ownedBy(extensions.rights, "beta") +
                                 ownedBy(extensions.subscriptions, "beta"));
    }

    void testEventReachesItsSubscribersEvenWhenOneThrows()
    {
        Extensions extensions;
        std::vector<std::string> heard;
        extensions.subscriptions.add("alpha", "alpha#1", {"module.enabled", [](const CrmHost::HostEvent&) {
                                                              throw std::runtime_error("alpha is broken");
                                                          }});
        extensions.subscriptions.add("beta", "beta#1",
                                     {"module.enabled", [&heard](const CrmHost::HostEvent& event)
                                      { heard.push_back("beta " + event.data.at("group")); }});
        extensions.subscriptions.add(
            "gamma", "gamma#1",
            {"person.updated", [&heard](const CrmHost::HostEvent&) { heard.push_back("gamma"); }});
        CPPUNIT_ASSERT_NO_THROW(
            extensions.publish({"module.enabled", {{"module", "massmailing"}, {"group", "3"}}}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), heard.size());
        CPPUNIT_ASSERT_EQUAL(std::string("beta 3"), heard.front());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RegistryTest);
