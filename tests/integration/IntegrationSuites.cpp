// Puts the integration suites that are made by a function into the registry TestMain runs.
#include "SuiteSetup.h"

CppUnit::Test* DemoSeederTest_suite();

namespace
{
CrmHostTests::SuiteRegistration demoSeeder(DemoSeederTest_suite);
} // namespace
