#ifndef CrmHostTests_SuiteSetup_INCLUDED
#define CrmHostTests_SuiteSetup_INCLUDED

#include <cppunit/Protector.h>
#include <cppunit/TestResult.h>
#include <cppunit/extensions/TestDecorator.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <functional>

namespace CrmHostTests
{
/// A suite with a set-up and a tear-down around all its tests, for what is too slow to make
/// for every test (a seeded server). Debian's CppUnit ships no TestSetup, hence this one.
/// A failing set-up is reported as an error of the suite, and its tests do not run; the
/// tear-down runs in any case.
class SuiteSetup : public CppUnit::TestDecorator
{
public:
    SuiteSetup(CppUnit::Test* suite, std::function<void()> setUp, std::function<void()> tearDown)
        : CppUnit::TestDecorator(suite), _setUp(std::move(setUp)), _tearDown(std::move(tearDown))
    {
    }

    void run(CppUnit::TestResult* result) override
    {
        if (result->protect(Call(_setUp), this, "suite set-up failed"))
            CppUnit::TestDecorator::run(result);
        result->protect(Call(_tearDown), this, "suite tear-down failed");
    }

private:
    class Call : public CppUnit::Functor
    {
    public:
        explicit Call(const std::function<void()>& function) : _function(function) {}
        bool operator()() const override
        {
            _function();
            return true;
        }

    private:
        const std::function<void()>& _function;
    };

    std::function<void()> _setUp;
    std::function<void()> _tearDown;
};

/// Registers, in the registry TestMain runs, a suite made by a function.
class SuiteRegistration
{
public:
    explicit SuiteRegistration(std::function<CppUnit::Test*()> make)
    {
        CppUnit::TestFactoryRegistry::getRegistry().registerFactory(new Factory(std::move(make)));
    }

private:
    class Factory : public CppUnit::TestFactory
    {
    public:
        explicit Factory(std::function<CppUnit::Test*()> make) : _make(std::move(make)) {}
        CppUnit::Test* makeTest() override { return _make(); }

    private:
        std::function<CppUnit::Test*()> _make;
    };
};
} // namespace CrmHostTests

#endif
