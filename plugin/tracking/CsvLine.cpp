#include "tracking/CsvLine.h"

namespace MassMailing
{
namespace
{
bool startsAFormula(const std::string& value)
{
    if (value.empty())
        return false;
    const char first = value.front();
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
}

void appendCell(std::string& out, const std::string& value)
{
    const bool formula = startsAFormula(value);
    if (!formula && value.find_first_of(",\"\r\n") == std::string::npos)
    {
        out += value;
        return;
    }
    out += '"';
    if (formula)
        out += '\'';
    for (char c : value)
    {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}
} // namespace

std::string CsvLine::cell(const std::string& value)
{
    std::string out;
    appendCell(out, value);
    return out;
}

std::string CsvLine::of(const std::vector<std::string>& values)
{
    std::string out;
    append(out, values);
    return out;
}

void CsvLine::append(std::string& out, const std::vector<std::string>& values)
{
    for (std::size_t i = 0; i < values.size(); ++i)
    {
        if (i > 0)
            out += ',';
        appendCell(out, values[i]);
    }
    out += "\r\n";
}
} // namespace MassMailing
