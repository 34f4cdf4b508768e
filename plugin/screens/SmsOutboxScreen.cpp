#include "screens/SmsOutboxScreen.h"
#include "Rights.h"
#include "delivery/SmsChannel.h"
#include "delivery/SmsOutboxTransport.h"
#include <Poco/DateTimeFormatter.h>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
SmsOutboxScreen::SmsOutboxScreen(Wizard& wizard, std::function<std::string()> folder,
                                 std::function<long(long row)> groupOfRow)
    : _wizard(wizard), _folder(std::move(folder)), _groupOfRow(std::move(groupOfRow))
{
}

Response SmsOutboxScreen::list(const Request& request)
{
    SmsOutboxTransport outbox(_folder(), "");
    const bool all = request.hasRight("host.admin", request.groupId);
    mstch::array messages;
    for (const auto& entry : outbox.entries(200))
    {
        if (!all && _groupOfRow(SmsChannel::rowOf(entry.reference)) != request.groupId)
            continue;
        messages.push_back(
            mstch::map{{"name", entry.name},
                       {"time", Poco::DateTimeFormatter::format(entry.time, "%Y-%m-%d %H:%M:%S")},
                       {"to", entry.to},
                       {"from", entry.from},
                       {"text", entry.text},
                       {"encoding", entry.encoding},
                       {"segments", std::to_string(entry.segments)}});
    }
    mstch::map context{{"messages", messages}, {"empty", messages.empty()}, {"folder", _folder()}};
    return _wizard.page(request, "sms_outbox", context, _wizard.text("massmailing.sms.outboxTitle", request));
}

Routes SmsOutboxScreen::routes()
{
    using CrmHost::ScreenKind;
    return {{ScreenKind::Page, "GET", "sms-outbox", "", Rights::COMPOSE, on(this, &SmsOutboxScreen::list)}};
}
} // namespace MassMailing
