// Fuzz target: the plain-text alternative of an HTML body (content/TextAlternative), over any
// HTML, at the default width and at a narrow one (wrapping without breaking words). It never
// throws for bad HTML and ends with one "\n" unless the text is empty. A body nested too deep
// may be refused with an InvalidArgumentException (a FieldException: finding 3's depth limit).
#include "FuzzInput.h"
#include "content/TextAlternative.h"
#include <Poco/Exception.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string html = MassMailingFuzz::textOf(data, size);
    for (std::size_t width : {std::size_t(76), std::size_t(8)})
    {
        std::string text;
        try
        {
            text = MassMailing::TextAlternative(width).fromHtml(html);
        }
        catch (const Poco::InvalidArgumentException&)
        {
            return 0; // refused, naming the field
        }
        if (!text.empty() && text.back() != '\n')
            std::abort(); // the text must end with a newline
    }
    return 0;
}
