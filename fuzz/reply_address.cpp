// Fuzz target: a reply, as the inbox reads it from outside: the thread's signed Reply-To token
// (content/ReplyAddress) found in any text and verified, and the reply's text folded into the
// member's own words and the quoted original (inbox/ReplyText). A token it accepts names what the
// signer signed: signing it again gives the same token, in lower case; folding loses no line.
#include "FuzzInput.h"
#include "content/ReplyAddress.h"
#include "inbox/ReplyText.h"
#include <Poco/String.h>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const MassMailing::ReplyAddress signer(std::string(32, 'k'));
    const std::string text = MassMailingFuzz::textOf(data, size);
    const std::string token = MassMailing::ReplyAddress::find(text);
    MassMailing::ReplyAddress::claimedGroup(text);
    try
    {
        const MassMailing::ReplyToken read = signer.verify(token.empty() ? text : token);
        const std::string again = signer.token(read);
        if (again != Poco::toLower(token.empty() ? text : token))
            std::abort();
    }
    catch (const MassMailing::InvalidReplyAddressException&)
    {
    }
    catch (const Poco::InvalidArgumentException&) // a token naming group 0 was never signed
    {
    }
    const MassMailing::FoldedReply folded = MassMailing::ReplyText::fold(text);
    if (folded.own.size() + folded.quoted.size() > text.size() + 2)
        std::abort();
    return 0;
}
