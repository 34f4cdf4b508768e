// The runner every test executable shares: runs the suites of the CppUnit registry (or the
// tests named on the command line), prints each test's name and result (OK, skipped: why, or
// the failure), lists the skipped tests at the end, and exits non-zero when one failed.
#include "Skip.h"
#include "TestDatabase.h"
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/Message.h>
#include <cppunit/Protector.h>
#include <cppunit/Test.h>
#include <cppunit/TestFailure.h>
#include <cppunit/TestListener.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <cppunit/ui/text/TestRunner.h>
#include <iostream>
#include <utility>
#include <vector>

namespace
{
/// The tests that called CrmHostTests::skip, in the order they ran, with their reasons.
std::vector<std::pair<std::string, std::string>> skipped;
std::string runningTest; // set by the progress listener (CppUnit keeps ProtectorContext private)

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
        catch (const CrmHostTests::SkippedTest& skip)
        {
            // Not a failure, and not OK either: the progress listener prints the reason.
            skipped.emplace_back(runningTest, skip.what());
            return true;
        }
        catch (const Poco::Exception& error)
        {
            reportError(context,
                        CppUnit::Message("uncaught " + std::string(error.className()), error.displayText()));
            return false;
        }
    }
};

// "OK (n)" would count the skipped tests as passed: "OK (n run, k skipped)".
class Outputter : public CppUnit::CompilerOutputter
{
public:
    Outputter(CppUnit::TestResultCollector* result, std::ostream& out)
        : CppUnit::CompilerOutputter(result, out), _result(result), _out(out)
    {
    }

    void printSuccess() override
    {
        if (skipped.empty())
            return CppUnit::CompilerOutputter::printSuccess();
        _out << "OK (" << (_result->runTests() - int(skipped.size())) << " run, " << skipped.size()
             << " skipped)" << std::endl;
    }

    void printStatistics() override
    {
        CppUnit::CompilerOutputter::printStatistics();
        if (!skipped.empty())
            _out << "Skipped: " << skipped.size() << std::endl;
    }

private:
    CppUnit::TestResultCollector* _result;
    std::ostream& _out;
};

// CppUnit's BriefTestProgressListener, which would print OK for a skipped test.
class ProgressListener : public CppUnit::TestListener
{
public:
    void startTest(CppUnit::Test* test) override
    {
        runningTest = test->getName();
        std::cout << runningTest << std::flush;
        _failed = false;
        _skippedBefore = skipped.size();
    }

    void addFailure(const CppUnit::TestFailure& failure) override
    {
        std::cout << " : " << (failure.isError() ? "error" : "assertion");
        _failed = true;
    }

    void endTest(CppUnit::Test*) override
    {
        if (!_failed && skipped.size() > _skippedBefore)
            std::cout << " : skipped: " << skipped.back().second;
        else if (!_failed)
            std::cout << " : OK";
        std::cout << std::endl;
    }

private:
    bool _failed = false;
    std::size_t _skippedBefore = 0;
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
    runner.setOutputter(new Outputter(&runner.result(), std::cerr));
    ProgressListener progress;
    runner.eventManager().addListener(&progress);
    runner.eventManager().pushProtector(new PocoExceptionProtector);

    bool passed = true;
    if (argc > 1)
        for (int i = 1; i < argc; ++i)
            passed = runner.run(argv[i], false, true, false) && passed;
    else
        passed = runner.run("", false, true, false);
    // The outputter's "OK (n)" counts the skipped tests among n: say which did not run.
    if (!skipped.empty())
    {
        std::cout << "Skipped " << skipped.size() << " test" << (skipped.size() == 1 ? "" : "s")
                  << " (not run, not counted as failed):" << std::endl;
        for (const auto& [name, reason] : skipped)
            std::cout << "  " << name << ": " << reason << std::endl;
    }
    return passed ? 0 : 1;
}
