// The runner every test executable shares: runs the suites of the CppUnit registry (or the
// tests named on the command line), prints each test's name and result, and exits non-zero
// when one failed.
#include "TestDatabase.h"
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/Message.h>
#include <cppunit/Protector.h>
#include <cppunit/TestResult.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <cppunit/ui/text/TestRunner.h>
#include <iostream>

namespace
{
// Poco's what() is only the exception's name ("Runtime exception"): report its whole text.
class PocoExceptionProtector : public CppUnit::Protector
{
public:
    bool protect(const CppUnit::Functor& functor, const CppUnit::ProtectorContext& context) override
    {
        try
        {
            return functor();
        }
        catch (const Poco::Exception& error)
        {
            reportError(context,
                        CppUnit::Message("uncaught " + std::string(error.className()), error.displayText()));
            return false;
        }
    }
};
} // namespace

int main(int argc, char** argv)
{
    // The host logs through Poco loggers, silent unless asked for.
    if (Poco::Environment::get("CRMHOST_TEST_LOG", "") == "1")
        Poco::Logger::root().setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::ConsoleChannel));

    // A database suite without its database fails here, once and clearly, instead of in every test.
    try
    {
        if (Poco::Environment::has("CRMHOST_TEST_DB"))
        {
            std::string kind = CrmHostTests::testDatabaseKind();
            std::cout << "Database: " << kind << std::endl;
        }
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << argv[0] << ": " << error.message() << std::endl;
        return 2;
    }

    CppUnit::TextUi::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    runner.setOutputter(new CppUnit::CompilerOutputter(&runner.result(), std::cerr));
    CppUnit::BriefTestProgressListener progress;
    runner.eventManager().addListener(&progress);
    runner.eventManager().pushProtector(new PocoExceptionProtector);

    bool passed = true;
    if (argc > 1)
        for (int i = 1; i < argc; ++i)
            passed = runner.run(argv[i], false, true, false) && passed;
    else
        passed = runner.run("", false, true, false);
    return passed ? 0 : 1;
}
