#include "screens/ResultsChart.h"
#include "content/HtmlEscape.h"
#include <algorithm>
#include <sstream>

namespace MassMailing
{
namespace
{
const int WIDTH = 720, HEIGHT = 260, LEFT = 48, RIGHT = 16, TOP = 16, BOTTOM = 44;

} // namespace

ResultsChart::Axis ResultsChart::axisFor(long largest)
{
    largest = std::max(1L, largest);
    for (long power = 1;; power *= 10)
        for (long factor : {1L, 2L, 5L})
        {
            const long step = factor * power;
            const long steps = (largest + step - 1) / step;
            if (steps <= MAX_STEPS)
                return {step, steps};
        }
}

std::string ResultsChart::svg(const std::vector<ResultHour>& hours, const Labels& labels)
{
    if (hours.empty())
        return "";
    long largest = 0;
    for (const auto& h : hours)
        largest = std::max({largest, h.opens, h.clicks});
    const Axis axis = axisFor(largest);
    const long top = axis.top();
    const double plotWidth = WIDTH - LEFT - RIGHT, plotHeight = HEIGHT - TOP - BOTTOM;
    const std::size_t n = hours.size();
    auto x = [&](std::size_t i)
    { return LEFT + (n == 1 ? plotWidth / 2 : plotWidth * double(i) / double(n - 1)); };
    auto y = [&](long v) { return TOP + plotHeight * (1.0 - double(v) / double(top)); };

    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mm-chart\" id=\"results-chart\" viewBox=\"0 0 "
        << WIDTH << " " << HEIGHT + 24 << "\" role=\"img\" aria-labelledby=\"results-chart-title\">"
        << "<title id=\"results-chart-title\">" << htmlEscaped(labels.title) << "</title>";
    // The y axis: its round steps, with their numbers and faint grid lines.
    for (long step = 0; step <= axis.steps; ++step)
    {
        const long value = axis.step * step;
        double at = y(value);
        out << "<line class=\"grid\" x1=\"" << LEFT << "\" x2=\"" << WIDTH - RIGHT << "\" y1=\"" << at
            << "\" y2=\"" << at << "\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            << "<text class=\"y-label\" x=\"" << LEFT - 6 << "\" y=\"" << at + 4
            << "\" text-anchor=\"end\" font-size=\"11\">" << value << "</text>";
    }
    // The x axis: the hour of the day, about eight labels, the date where a day begins.
    const std::size_t every = std::max<std::size_t>(1, (n + 7) / 8);
    for (std::size_t i = 0; i < n; i += every)
    {
        const std::string& hour = hours[i].hour; // "YYYY-MM-DD HH:00:00"
        std::string label = hour.size() >= 16 ? hour.substr(11, 5) : hour;
        std::string day = hour.size() >= 10 ? hour.substr(5, 5) : "";
        out << "<text class=\"x-label\" x=\"" << x(i) << "\" y=\"" << HEIGHT - BOTTOM + 16
            << "\" text-anchor=\"middle\" font-size=\"11\">" << htmlEscaped(label) << "</text>";
        if (i == 0 || hour.compare(11, 2, "00") == 0 || every >= 24)
            out << "<text class=\"x-day\" x=\"" << x(i) << "\" y=\"" << HEIGHT - BOTTOM + 30
                << "\" text-anchor=\"middle\" font-size=\"10\">" << htmlEscaped(day) << "</text>";
    }
    out << "<text x=\"" << LEFT + plotWidth / 2 << "\" y=\"" << HEIGHT + 2
        << "\" text-anchor=\"middle\" font-size=\"11\">" << htmlEscaped(labels.hours) << "</text>";
    out << "<line x1=\"" << LEFT << "\" x2=\"" << LEFT << "\" y1=\"" << TOP << "\" y2=\"" << TOP + plotHeight
        << "\" stroke=\"#333\"/><line x1=\"" << LEFT << "\" x2=\"" << WIDTH - RIGHT << "\" y1=\""
        << TOP + plotHeight << "\" y2=\"" << TOP + plotHeight << "\" stroke=\"#333\"/>";

    // The two series: their pattern and their markers tell them apart, colour only helps.
    struct Series
    {
        const char* id;
        const std::string& name;
        long ResultHour::*value;
        const char* colour;
        const char* dash;
        bool square;
    };
    const Series series[] = {{"opens", labels.opens, &ResultHour::opens, "#1f5fa8", "", false},
                             {"clicks", labels.clicks, &ResultHour::clicks, "#b34700", "6 4", true}};
    for (const Series& s : series)
    {
        out << "<g class=\"series\" data-series=\"" << s.id << "\"><polyline fill=\"none\" stroke=\""
            << s.colour << "\" stroke-width=\"2\""
            << (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : "") << " points=\"";
        for (std::size_t i = 0; i < n; ++i)
            out << (i ? " " : "") << x(i) << "," << y(hours[i].*s.value);
        out << "\"/>";
        // Markers on hours with something, each with its number as a tooltip.
        for (std::size_t i = 0; i < n; ++i)
        {
            long v = hours[i].*s.value;
            if (v == 0 && n > 48)
                continue;
            if (s.square)
                out << "<rect class=\"marker\" x=\"" << x(i) - 3.5 << "\" y=\"" << y(v) - 3.5
                    << "\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"" << s.colour
                    << "\" stroke-width=\"1.5\">";
            else
                out << "<circle class=\"marker\" cx=\"" << x(i) << "\" cy=\"" << y(v)
                    << "\" r=\"3.5\" fill=\"" << s.colour << "\">";
            out << "<title>" << htmlEscaped(s.name) << " " << htmlEscaped(hours[i].hour.substr(0, 16)) << ": "
                << v << "</title>" << (s.square ? "</rect>" : "</circle>");
        }
        out << "</g>";
    }
    // The legend, each entry drawn with its series' line and marker.
    double legendX = LEFT + 10;
    for (const Series& s : series)
    {
        out << "<g class=\"legend\" data-legend=\"" << s.id << "\"><line x1=\"" << legendX << "\" x2=\""
            << legendX + 28 << "\" y1=\"" << TOP + 6 << "\" y2=\"" << TOP + 6 << "\" stroke=\"" << s.colour
            << "\" stroke-width=\"2\"" << (*s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : "")
            << "/>";
        if (s.square)
            out << "<rect x=\"" << legendX + 10.5 << "\" y=\"" << TOP + 2.5
                << "\" width=\"7\" height=\"7\" fill=\"#fff\" "
                << "stroke=\"" << s.colour << "\" stroke-width=\"1.5\"/>";
        else
            out << "<circle cx=\"" << legendX + 14 << "\" cy=\"" << TOP + 6 << "\" r=\"3.5\" fill=\""
                << s.colour << "\"/>";
        out << "<text x=\"" << legendX + 34 << "\" y=\"" << TOP + 10 << "\" font-size=\"12\">"
            << htmlEscaped(s.name) << "</text></g>";
        legendX += 40 + 8 * double(s.name.size()) + 20;
    }
    out << "</svg>";
    return out.str();
}
} // namespace MassMailing
