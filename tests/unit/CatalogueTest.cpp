#include "Catalogue.h"
#include "TempFolder.h"
#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <cppunit/extensions/HelperMacros.h>
#include <set>

using CrmHost::Catalogue;
using CrmHostTests::TempFolder;

namespace
{
void write(const std::string& path, const std::string& text)
{
    Poco::File(path.substr(0, path.rfind('/'))).createDirectories();
    Poco::FileOutputStream out(path);
    out << text;
}

// Every key of a properties file, flattened.
std::set<std::string> keysOf(const std::string& path)
{
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(
        new Poco::Util::PropertyFileConfiguration(path));
    std::set<std::string> keys;
    std::vector<std::string> pending{""};
    while (!pending.empty())
    {
        std::string prefix = pending.back();
        pending.pop_back();
        std::vector<std::string> children;
        file->keys(prefix, children);
        for (const auto& child : children)
        {
            std::string key = prefix.empty() ? child : prefix + "." + child;
            if (file->hasOption(key))
                keys.insert(key);
            pending.push_back(key);
        }
    }
    return keys;
}
} // namespace

class CatalogueTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CatalogueTest);
    CPPUNIT_TEST(testFrenchReaderGetsTheFrenchText);
    CPPUNIT_TEST(testEnglishReaderGetsTheEnglishText);
    CPPUNIT_TEST(testTextMissingInFrenchFallsBackToEnglish);
    CPPUNIT_TEST(testUnknownKeyShowsTheKeyItself);
    CPPUNIT_TEST(testUnknownLocaleFallsBackToEnglish);
    CPPUNIT_TEST(testKeyThatIsAlsoAPrefixOfOthersKeepsItsText);
    CPPUNIT_TEST(testPlaceholdersAreReplacedByTheirValues);
    CPPUNIT_TEST(testComponentWithoutAFrenchFileIsRefused);
    CPPUNIT_TEST(testBrowserPreferringFrenchGetsFrench);
    CPPUNIT_TEST(testBrowserPreferringEnglishOrAnotherLanguageGetsEnglish);
    CPPUNIT_TEST(testEveryShippedTextExistsInEnglishAndFrench);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _folder = std::make_unique<TempFolder>("catalogue");
        write(_folder->file("demo/i18n/en.properties"),
              "demo.hello = Hello {name}, you have {count} messages\n"
              "demo.onlyEnglish = Only in English\n"
              "demo.menu = Menu\n"
              "demo.menu.title = Menu title\n");
        write(_folder->file("demo/i18n/fr.properties"),
              "demo.hello = Bonjour {name}, vous avez {count} messages\n"
              "demo.menu = Menu (fr)\n"
              "demo.menu.title = Titre du menu\n");
        _catalogue.load(_folder->path(), "demo");
    }

    void tearDown() override { _folder.reset(); }

    void testFrenchReaderGetsTheFrenchText()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Bonjour {name}, vous avez {count} messages"),
                             _catalogue.text("demo.hello", "fr"));
    }

    void testEnglishReaderGetsTheEnglishText()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Hello {name}, you have {count} messages"),
                             _catalogue.text("demo.hello", "en"));
    }

    void testTextMissingInFrenchFallsBackToEnglish()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Only in English"), _catalogue.text("demo.onlyEnglish", "fr"));
    }

    void testUnknownKeyShowsTheKeyItself()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("demo.nowhere"), _catalogue.text("demo.nowhere", "fr"));
        CPPUNIT_ASSERT_EQUAL(std::string("demo.nowhere"), _catalogue.text("demo.nowhere", "en"));
    }

    void testUnknownLocaleFallsBackToEnglish()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Only in English"), _catalogue.text("demo.onlyEnglish", "de"));
    }

    void testKeyThatIsAlsoAPrefixOfOthersKeepsItsText()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Menu (fr)"), _catalogue.text("demo.menu", "fr"));
        CPPUNIT_ASSERT_EQUAL(std::string("Titre du menu"), _catalogue.text("demo.menu.title", "fr"));
    }

    void testPlaceholdersAreReplacedByTheirValues()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Bonjour Zoé, vous avez 3 messages"),
                             _catalogue.text("demo.hello", "fr", {{"name", "Zoé"}, {"count", "3"}}));
        // A value is not scanned again for placeholders, and an unknown placeholder stays visible.
        CPPUNIT_ASSERT_EQUAL(std::string("Hello {count}, you have {count} messages"),
                             _catalogue.text("demo.hello", "en", {{"name", "{count}"}}));
    }

    void testComponentWithoutAFrenchFileIsRefused()
    {
        write(_folder->file("half/i18n/en.properties"), "half.a = A\n");
        Catalogue catalogue;
        try
        {
            catalogue.load(_folder->path(), "half");
            CPPUNIT_FAIL("a catalogue without fr.properties was accepted");
        }
        catch (const Poco::FileNotFoundException& error)
        {
            CPPUNIT_ASSERT_MESSAGE(error.message(),
                                   error.message().find("half/i18n/fr.properties") != std::string::npos);
        }
    }

    void testBrowserPreferringFrenchGetsFrench()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), Catalogue::negotiate("fr-FR,fr;q=0.9,en;q=0.8"));
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), Catalogue::negotiate("fr"));
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), Catalogue::negotiate("de-DE, FR-ca;q=0.8, en;q=0.5"));
    }

    void testBrowserPreferringEnglishOrAnotherLanguageGetsEnglish()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("en"), Catalogue::negotiate("en-US,en;q=0.9,fr;q=0.8"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), Catalogue::negotiate("de-DE,de;q=0.9"));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), Catalogue::negotiate(""));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), Catalogue::negotiate("*"));
    }

    void testEveryShippedTextExistsInEnglishAndFrench()
    {
        for (const std::string component : {"host", "massmailing"})
        {
            std::string dir = std::string(CRMHOST_RESOURCE_DIR) + "/templates/" + component + "/i18n/";
            std::set<std::string> en = keysOf(dir + "en.properties"), fr = keysOf(dir + "fr.properties");
            CPPUNIT_ASSERT_MESSAGE(component + " has no texts", !en.empty());
            for (const auto& key : en)
                CPPUNIT_ASSERT_MESSAGE(component + ": no French text for " + key, fr.count(key));
            for (const auto& key : fr)
                CPPUNIT_ASSERT_MESSAGE(component + ": no English text for " + key, en.count(key));
        }
    }

private:
    std::unique_ptr<TempFolder> _folder;
    Catalogue _catalogue;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CatalogueTest);
