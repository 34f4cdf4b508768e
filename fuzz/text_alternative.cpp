// Fuzz target: the plain-text alternative of an HTML body (content/TextAlternative), over any
// HTML, at the default width and at a narrow one (wrapping without breaking words). It never
// throws for bad HTML and ends with one "\n" unless the text is empty.
#include "FuzzInput.h"
#include "content/TextAlternative.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string html = MassMailingFuzz::textOf(data, size);
    for (std::size_t width : {std::size_t(76), std::size_t(8)})
    {
        std::string text = MassMailing::TextAlternative(width).fromHtml(html);
        if (!text.empty() && text.back() != '\n')
            std::abort(); // the text must end with a newline
    }
    return 0;
}
