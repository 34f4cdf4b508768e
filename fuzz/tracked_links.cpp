// Fuzz target: the links of a message put through the redirect (content/TrackedLinks), over the
// HTML and the text a campaign's author and its recipients' values make. Whatever the input: no
// crash, every link handed to the redirect is one isTracked() takes, the image and the trap link
// are in the HTML, and tracking off leaves both texts as they were.
#include "FuzzInput.h"
#include "content/TrackedLinks.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input = MassMailingFuzz::textOf(data, size);
    const std::vector<std::string> untracked{"https://crm.example/p/massmailing/unsubscribe/U"};
    MassMailing::TrackingLinks links;
    links.click = [&](const std::string& url)
    {
        if (!MassMailing::TrackedLinks::isTracked(url, untracked))
            std::abort(); // a link the redirect must not take was handed to it
        return std::string("https://crm.example/p/massmailing/c/TOKEN");
    };
    links.open = "https://crm.example/p/massmailing/o/OPEN";
    links.trap = "https://crm.example/p/massmailing/c/TRAP";
    const std::string html = MassMailing::TrackedLinks::html(input, links, untracked);
    if (html.find("/o/OPEN\" width=\"1\" height=\"1\"") == std::string::npos ||
        html.find("/c/TRAP\"") == std::string::npos)
        std::abort(); // the image or the trap link is missing
    MassMailing::TrackedLinks::text(input, links, untracked);
    const MassMailing::TrackingLinks off;
    if (MassMailing::TrackedLinks::html(input, off, untracked) != input ||
        MassMailing::TrackedLinks::text(input, off, untracked) != input)
        std::abort(); // tracking off changed the message
    return 0;
}
