#ifndef MassMailing_ResultsChart_INCLUDED
#define MassMailing_ResultsChart_INCLUDED

#include "tracking/Results.h"
#include <string>
#include <vector>

namespace MassMailing
{
/// The results page's chart of opens and clicks per hour, drawn on the server as SVG (no
/// script, no library). Readable without colour: opens are a solid line with round markers,
/// clicks a dashed line with square markers, each named in a legend drawn with its own pattern;
/// the axes carry numbers and hours. The page puts the same numbers in a table beside it.
class ResultsChart
{
public:
    struct Labels
    {
        std::string title;  /// The chart's accessible name.
        std::string opens;  /// "Opens".
        std::string clicks; /// "Clicks".
        std::string hours;  /// The x axis: "Hours since the send began (UTC)".
    };

    static std::string svg(const std::vector<ResultHour>& hours, const Labels& labels);
    /// The <svg> element, every text escaped for XML; "" when there are no hours.

    static const long MAX_STEPS = 5;

    struct Axis
    {
        long step;  /// 1, 2 or 5 times a power of ten.
        long steps; /// How many of them, at most MAX_STEPS.
        long top() const { return step * steps; }
    };

    static Axis axisFor(long largest);
    /// The y axis of a largest value: the smallest round step that reaches it in MAX_STEPS steps
    /// or fewer, so that every label is a multiple of the step (0, 2, 4, 6, 8; never 2.5).
};
} // namespace MassMailing

#endif
