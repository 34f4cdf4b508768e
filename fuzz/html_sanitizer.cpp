// Fuzz target: the HTML sanitiser (content/HtmlSanitizer), over any bytes a composer can post
// as a message body or a template. It never throws for bad HTML, and what it returns is
// already clean: sanitising it again changes nothing that matters (checked loosely: it must
// not grow a <script>). A body nested too deep may be refused with an InvalidArgumentException
// (a FieldException: finding 3's depth limit); nothing else escapes.
#include "FuzzInput.h"
#include "content/HtmlSanitizer.h"
#include <Poco/Exception.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string html = MassMailingFuzz::textOf(data, size);
    MassMailing::HtmlSanitizer sanitizer;
    MassMailing::HtmlSanitizer::isWordProcessorHtml(html);
    std::string clean, again;
    try
    {
        clean = sanitizer.sanitize(html);
        again = sanitizer.sanitize(clean);
    }
    catch (const Poco::InvalidArgumentException&)
    {
        return 0; // refused, naming the field
    }
    if (again.find("<script") != std::string::npos || clean.find("<script") != std::string::npos)
        std::abort(); // a script element survived the sanitiser
    return 0;
}
