// Fuzz target: the body Mailjet's event webhook posts (tracking/MailjetEvent::parse): one event
// or an array of them. It is read, or refused with Poco::DataFormatException, nothing else; what
// it keeps is bounded (a known kind with a row, texts cut to their columns).
#include "FuzzInput.h"
#include "tracking/MailjetEvents.h"
#include <Poco/Exception.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<MassMailing::MailjetEvent> events;
    try
    {
        events = MassMailing::MailjetEvent::parse(MassMailingFuzz::textOf(data, size));
    }
    catch (const Poco::DataFormatException&)
    {
        return 0;
    }
    for (const MassMailing::MailjetEvent& event : events)
    {
        if (!event.kind.empty() && event.row <= 0)
            std::abort(); // a kept event names its row
        if (event.email.size() > 320 || event.url.size() > 2048 || event.agent.size() > 300 ||
            event.error.size() > 520 || event.messageId.size() > 40)
            std::abort();
    }
    return 0;
}
