// Fuzz target: the inbound SMTP conversation (host-sdk/src/SmtpSession), as the listener feeds
// it with what a client sends. The first byte chooses how the rest is cut into reads (1 to 256
// bytes at a time), so that lines, commands and the final dot fall across reads. Checked: every
// reply is whole lines of a 3-digit code; a stored message is never over the size limit and
// never has more recipients than allowed; nothing is answered once the session closed; and
// every 4th message the store fails, which must be answered 451.
#include "FuzzInput.h"
#include "SmtpSession.h"
#include <Poco/Exception.h>
#include <cctype>
#include <cstdlib>

namespace
{
void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkReplies(const std::string& replies)
{
    std::size_t start = 0;
    while (start < replies.size())
    {
        std::size_t end = replies.find("\r\n", start);
        check(end != std::string::npos);
        std::string line = replies.substr(start, end - start);
        check(line.size() >= 4);
        check(line[0] >= '2' && line[0] <= '5');
        check(std::isdigit(static_cast<unsigned char>(line[1])) &&
              std::isdigit(static_cast<unsigned char>(line[2])));
        check(line[3] == ' ' || line[3] == '-');
        start = end + 2;
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    CrmHost::SmtpSession::Limits limits;
    limits.maxSize = 2048;
    limits.maxRecipients = 5;
    limits.maxLine = 256;
    limits.maxErrors = 50;
    std::size_t offered = 0;
    CrmHost::SmtpSession session(
        "fuzz.test", limits,
        [&](const std::string& raw, const std::string& sender, const std::vector<std::string>& recipients)
        {
            check(raw.size() <= limits.maxSize);
            check(!recipients.empty() && recipients.size() <= limits.maxRecipients);
            check(sender.size() <= 320);
            if (++offered % 4 == 0)
                throw Poco::IOException("the database is down");
            return long(offered);
        });
    const std::size_t step = std::size_t(data[0]) + 1;
    std::string text = MassMailingFuzz::textOf(data + 1, size - 1);
    for (std::size_t at = 0; at < text.size(); at += step)
    {
        bool wasClosed = session.closed();
        std::string replies = session.receive(text.data() + at, std::min(step, text.size() - at));
        if (wasClosed)
            check(replies.empty());
        checkReplies(replies);
    }
    checkReplies(session.timeout());
    return 0;
}
