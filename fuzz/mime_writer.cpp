// Fuzz target: a message written from what users type (content/MimeWriter) and read back
// (content/MessageReader): the sender's and a recipient's names (a CSV first name), the
// subject, a file name, the text and the HTML. Input lines: sender name, recipient name,
// subject, file name, then the text, a line "--html--" and the HTML. A value that cannot be
// written is refused with the documented exceptions (Poco::InvalidArgumentException and its
// HeaderInjectionException, InvalidAddressException; MessageTooLargeException); a message
// written never carries a header nobody asked for (no header injection), and reads back
// with one Subject, one From and its file.
#include "FuzzInput.h"
#include "content/ContentException.h"
#include "content/MessageReader.h"
#include "content/MimeWriter.h"
#include <Poco/String.h>
#include <cstdlib>
#include <set>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 5);
    std::string body = fields[4], html;
    std::size_t mark = body.find("\n--html--\n");
    if (mark != std::string::npos)
    {
        html = body.substr(mark + 10);
        body.erase(mark);
    }

    MassMailing::MailMessage message;
    message.from = {fields[0], "contact@amap.example"};
    message.to = {{fields[1], "marie.dupont@example.org"}};
    message.subject = fields[2];
    message.text = body;
    message.html = html;
    if (!fields[3].empty())
        message.attachments.push_back({fields[3], "application/pdf", "%PDF-1.4\n"});
    message.headers.push_back(
        {"List-Unsubscribe", "<https://crm.example.org/p/massmailing/unsubscribe?t=x>"});

    std::string bytes;
    try
    {
        bytes = MassMailing::MimeWriter(1 << 20).write(message);
    }
    catch (const Poco::InvalidArgumentException&)
    {
        return 0; // a CR or LF in a header value, or a value that cannot be written: refused
    }
    catch (const MassMailing::MessageTooLargeException&)
    {
        return 0;
    }

    static const std::set<std::string> written{"date",
                                               "from",
                                               "to",
                                               "subject",
                                               "message-id",
                                               "mime-version",
                                               "content-type",
                                               "reply-to",
                                               "list-unsubscribe",
                                               "content-transfer-encoding",
                                               "content-disposition"};
    MassMailing::ReadMessage read = MassMailing::MessageReader::read(bytes);
    int subjects = 0, froms = 0;
    for (const auto& header : read.headers)
    {
        std::string name = Poco::toLower(header.name);
        if (!written.count(name))
            std::abort(); // a header that no one asked for: injected through a value
        subjects += name == "subject";
        froms += name == "from";
    }
    if (subjects != 1 || froms != 1 || read.files.size() != message.attachments.size())
        std::abort(); // the message does not read back as written
    return 0;
}
