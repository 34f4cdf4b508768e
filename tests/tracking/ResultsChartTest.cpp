#include "screens/ResultsChart.h"
#include <cppunit/extensions/HelperMacros.h>
#include <regex>

using MassMailing::ResultHour;
using MassMailing::ResultsChart;

// The results page's chart: a y axis whose labels a reader can add up in their head.
class ResultsChartTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ResultsChartTest);
    CPPUNIT_TEST(testAxisStepsAreRoundAndReachTheLargest);
    CPPUNIT_TEST(testEveryYLabelIsAMultipleOfTheStep);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAxisStepsAreRoundAndReachTheLargest()
    {
        for (long largest : {0L, 1L, 3L, 5L, 7L, 10L, 11L, 24L, 99L, 101L, 4999L, 123456L})
        {
            const ResultsChart::Axis axis = ResultsChart::axisFor(largest);
            CPPUNIT_ASSERT(axis.top() >= largest);
            CPPUNIT_ASSERT(axis.steps >= 1 && axis.steps <= ResultsChart::MAX_STEPS);
            long power = 1;
            while (axis.step / power >= 10)
                power *= 10;
            const long factor = axis.step / power;
            CPPUNIT_ASSERT_EQUAL(axis.step, factor * power);
            CPPUNIT_ASSERT(factor == 1 || factor == 2 || factor == 5);
        }
        CPPUNIT_ASSERT_EQUAL(2L, ResultsChart::axisFor(10).step); // 0 2 4 6 8 10, not 0 2 5 7 10
        CPPUNIT_ASSERT_EQUAL(8L, ResultsChart::axisFor(7).top());
        CPPUNIT_ASSERT_EQUAL(1L, ResultsChart::axisFor(0).top());
    }

    void testEveryYLabelIsAMultipleOfTheStep()
    {
        std::vector<ResultHour> hours(3);
        hours[0].hour = "2026-12-03 09:00:00";
        hours[1].hour = "2026-12-03 10:00:00";
        hours[2].hour = "2026-12-03 11:00:00";
        hours[1].opens = 10;
        hours[2].clicks = 4;
        const std::string svg = ResultsChart::svg(hours, {"Opens and clicks", "Opens", "Clicks", "Hours"});
        std::vector<long> labels;
        const std::regex label("class=\"y-label\"[^>]*>([0-9]+)<");
        for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator();
             ++it)
            labels.push_back(std::stol((*it)[1]));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), labels.size()); // 0 2 4 6 8 10
        for (std::size_t i = 0; i < labels.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(long(2 * i), labels[i]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResultsChartTest);
