#include "inbox/ReplyText.h"
#include <Poco/String.h>
#include <vector>

namespace MassMailing
{
namespace
{
bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool attributionEnd(const std::string& line)
{
    return endsWith(line, "wrote:") || endsWith(line, "a écrit :") || endsWith(line, "a écrit:") ||
           endsWith(line, "schrieb:") || endsWith(line, "escribió:");
}

bool attributionStart(const std::string& line)
{
    return startsWith(line, "On ") || startsWith(line, "Le ") || startsWith(line, "Am ") ||
           startsWith(line, "El ");
}

bool separator(const std::string& line)
{
    return startsWith(line, "-----Original Message-----") || startsWith(line, "----- Original Message") ||
           startsWith(line, "-------- Message d'origine") || startsWith(line, "-------- Original Message") ||
           startsWith(line, "________________________________");
}
} // namespace

FoldedReply ReplyText::fold(const std::string& input)
{
    std::string text = Poco::replace(input, "\r\n", "\n");
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size())
    {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    std::size_t cut = lines.size();
    for (std::size_t i = 0; i < lines.size() && cut == lines.size(); ++i)
    {
        const std::string line = Poco::trim(lines[i]);
        if (startsWith(line, ">") || separator(line))
            cut = i;
        else if (attributionEnd(line))
            cut =
                (!attributionStart(line) && i > 0 && attributionStart(Poco::trim(lines[i - 1]))) ? i - 1 : i;
        else if (startsWith(line, "From:") && i + 1 < lines.size() &&
                 (startsWith(Poco::trim(lines[i + 1]), "Sent:") ||
                  startsWith(Poco::trim(lines[i + 1]), "Date:")))
            cut = i;
    }
    FoldedReply folded;
    for (std::size_t i = 0; i < lines.size(); ++i)
        (i < cut ? folded.own : folded.quoted) += lines[i] + "\n";
    folded.own = Poco::trim(folded.own);
    folded.quoted = Poco::trim(folded.quoted);
    return folded;
}
} // namespace MassMailing
