#ifndef MassMailing_CsvLine_INCLUDED
#define MassMailing_CsvLine_INCLUDED

#include <string>
#include <vector>

namespace MassMailing
{
/// A line of a CSV file the module hands out (RFC 4180), safe to open in a spreadsheet.
class CsvLine
{
public:
    static std::string cell(const std::string& value);
    /// The value as one field: a value that starts with "=", "+", "-", "@", a tab or a carriage
    /// return gets a "'" in front, so that a spreadsheet shows it instead of running it as a
    /// formula; a value holding a comma, a quote, a line feed or a carriage return (or given the
    /// "'") is put in quotes, its quotes doubled. Bytes are kept as they are (UTF-8 in, UTF-8 out).

    static std::string of(const std::vector<std::string>& values);
    /// The cells separated by commas, ended by CRLF.

    static void append(std::string& out, const std::vector<std::string>& values);
    /// of(values), appended to out.
};
} // namespace MassMailing

#endif
