// Fuzz target: the reading of received mail as a bounce, a delay, a complaint or an auto-reply
// (tracking/DeliveryReport, over content/MessageReader): the first line is the envelope
// recipient, the rest the message. It never throws, whatever the message holds, and what it
// finds is bounded (the recipients, their texts, the token).
#include "FuzzInput.h"
#include "content/BounceAddress.h"
#include "tracking/DeliveryReport.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const MassMailing::BounceAddress signer(std::string(32, 'k'));
    const auto fields = MassMailingFuzz::fieldsOf(data, size, 2);
    const MassMailing::DeliveryReport report =
        MassMailing::DeliveryReport::read(fields[1], {fields[0]}, Poco::DateTime(2026, 12, 3, 12, 0, 0));
    if (report.recipients.size() > 100 || report.token.size() > MassMailing::BounceAddress::MAX_TOKEN_SIZE)
        std::abort();
    for (const auto& recipient : report.recipients)
        if (recipient.detail().size() > 500 || recipient.finalRecipient.size() > 500)
            std::abort();
    if (report.kind == MassMailing::DeliveryReport::Kind::NotUnderstood && report.reason.empty())
        std::abort(); // a refusal always says why
    try
    {
        signer.verify(report.token);
    }
    catch (const MassMailing::InvalidBounceAddressException&)
    {
    }
    return 0;
}
