// Fuzz target: what an SMS gateway sends us (issue 15): a webhook's delivery reports
// (tracking/SmsReports::parse, JSON or form) and replies (isStop), the gateway's answer read for
// the message's id (SmsGatewayTransport::idFrom, a JSON pointer and a regular expression), a
// phone number as written (audience/PhoneNumber) and an SMS's text counted (content/SmsText).
// The fields: the pointer, then the body. Only Poco::SyntaxException may come out of parse();
// the counts must hold together.
#include "FuzzInput.h"
#include "audience/PhoneNumber.h"
#include "content/SmsText.h"
#include "delivery/SmsGatewayTransport.h"
#include "tracking/SmsReports.h"
#include <Poco/Exception.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto fields = MassMailingFuzz::fieldsOf(data, size, 2);
    try
    {
        auto reports = MassMailing::SmsReports::parse(fields[1], {{"status", fields[0]}});
        for (const auto& report : reports)
            MassMailing::SmsReports::outcomeOf(report.status);
    }
    catch (const Poco::SyntaxException&)
    {
    }
    MassMailing::SmsReports::isStop(fields[1]);
    MassMailing::SmsGatewayTransport::idFrom("/" + fields[0], fields[1]);
    MassMailing::SmsGatewayTransport::idFrom("/messages/0/id", fields[1]);
    const std::string e164 = MassMailing::PhoneNumber::toE164(fields[0], "FR");
    if (!e164.empty() && !MassMailing::PhoneNumber::isE164(e164))
        std::abort();
    const MassMailing::SmsCount count = MassMailing::SmsText::count(fields[1]);
    if (count.units < count.characters || count.left > count.perSegment ||
        (count.characters > 0) != (count.segments > 0) || count.characters > fields[1].size())
        std::abort();
    return 0;
}
