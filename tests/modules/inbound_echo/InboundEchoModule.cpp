// An inbound mail handler for the tests of the host's mailbox: mail for "echo+*@*" is
// understood when its subject says "understood", not understood otherwise, and fails (throws,
// as a handler whose database is down) when it says "fail"; "fail once" fails the first time
// only, for each message (a file in the module's data folder remembers).
#include "CrmHost/Module.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/String.h>
#include <string>

namespace
{
std::string subjectOf(const std::string& raw)
{
    std::size_t pos = 0;
    while (pos < raw.size() && pos < 64 * 1024)
    {
        std::size_t eol = raw.find('\n', pos);
        std::string line = raw.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (Poco::trim(line).empty())
            break;
        if (Poco::icompare(line.substr(0, 8), "subject:") == 0)
            return Poco::toLower(Poco::trim(line.substr(8)));
        if (eol == std::string::npos)
            break;
        pos = eol + 1;
    }
    return "";
}

class InboundEchoModule : public CrmHost::Module
{
public:
    void start(CrmHost::ModuleContext& context) override
    {
        std::string dataDir = context.dataDir();
        context.addInboundMailHandler(
            {"inbound_echo.echo", "echo+*@*",
             [dataDir](const CrmHost::InboundMessage& message)
             {
                 std::string subject = subjectOf(message.raw);
                 if (subject.find("fail once") != std::string::npos)
                 {
                     Poco::File marker(dataDir + "/failed-" + std::to_string(message.id));
                     if (marker.createFile())
                         throw Poco::IOException("inbound_echo fails the first time, as asked");
                     return CrmHost::InboundOutcome{true, "understood on a second try"};
                 }
                 if (subject.find("fail") != std::string::npos)
                     throw Poco::IOException("inbound_echo fails, as asked");
                 if (subject.find("understood") != std::string::npos)
                     return CrmHost::InboundOutcome{true, "echo of message " + std::to_string(message.id) +
                                                              " from <" + message.envelopeSender + ">"};
                 return CrmHost::InboundOutcome{false, "the subject asks for nothing"};
             }});
    }
    void stop(CrmHost::ModuleContext&) override {}
};
} // namespace

CRMHOST_MODULE(InboundEchoModule, "inbound_echo", "0.0.1")
