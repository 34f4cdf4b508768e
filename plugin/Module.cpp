#include "MassMailingModule.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"

CRMHOST_MODULE(MassMailing::MassMailingModule, "massmailing", "0.1.0")

namespace MassMailing
{
namespace
{
const char* const RIGHT_COMPOSE = "massmailing.compose";
}

void MassMailingModule::start(CrmHost::ModuleContext& context)
{
    context.declareRight({RIGHT_COMPOSE, "massmailing.right.compose"});
    context.declareRight({"massmailing.send", "massmailing.right.send"});
    context.declareRight({"massmailing.approve", "massmailing.right.approve"});

    const std::pair<std::string, std::string> settings[] = {
        {"massmailing.transport", "outbox"},   {"massmailing.smtp.host", "127.0.0.1"},
        {"massmailing.smtp.port", "25"},       {"massmailing.smtp.tls", "none"},
        {"massmailing.smtp.user", ""},         {"massmailing.smtp.password", ""},
        {"massmailing.smtp.connections", "4"}, {"massmailing.outbox.dir", context.dataDir() + "/outbox"},
        {"massmailing.dkim.domain", ""},       {"massmailing.dkim.selector", ""},
        {"massmailing.dkim.key", ""},          {"massmailing.quota.monthly", "0"}};
    for (const auto& [key, defaultValue] : settings)
        context.declareSetting({key, defaultValue, key + ".label"});

    _home = std::make_unique<HomeScreen>(context.templates());
    HomeScreen& home = *_home;
    context.addScreen({CrmHost::ScreenKind::Page, "GET", "", "massmailing.menu", RIGHT_COMPOSE,
                       [&home](const CrmHost::Request& request) { return home.page(request); }});
    context.addScreen({CrmHost::ScreenKind::Json, "GET", "status", "", RIGHT_COMPOSE,
                       [&home](const CrmHost::Request& request) { return home.status(request); }});

    // Delivery comes with the delivery stage; the task is registered so that the host
    // scheduler and `crmhost task run massmailing.send` already know it.
    context.addTask({"massmailing.send", "deliver the due campaigns", CrmHost::Schedule::every(10),
                     []() { return false; }});
}

void MassMailingModule::stop(CrmHost::ModuleContext&)
{
    _home.reset();
}
} // namespace MassMailing
