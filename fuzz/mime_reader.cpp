// Fuzz target: the MIME reader (content/MessageReader) that the outbox screen uses on message
// files: any bytes, headers and nested multiparts, quoted-printable, base64, RFC 2047 and
// RFC 2231. It never throws for a malformed message.
#include "FuzzInput.h"
#include "content/MessageReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string bytes = MassMailingFuzz::textOf(data, size);
    MassMailing::ReadMessage message = MassMailing::MessageReader::read(bytes);
    message.header("Subject");
    message.header("content-type");
    message.htmlWithImages();
    MassMailing::MessageReader::header(bytes, "From");
    MassMailing::MessageReader::header(bytes, "List-Unsubscribe");
    return 0;
}
