#ifndef TrackingTests_ReportSamples_INCLUDED
#define TrackingTests_ReportSamples_INCLUDED

#include <string>

namespace TrackingTests
{
/// A sample report of tests/tracking/reports, with "@TOKEN@" replaced by token.
std::string sampleReport(const std::string& name, const std::string& token);

/// A Postfix DSN for a 550 whose returned message is size bytes long.
std::string largeReport(const std::string& token, std::size_t size);

/// A message of depth multiparts nested in each other.
std::string nestedMultiparts(int depth);
} // namespace TrackingTests

#endif
