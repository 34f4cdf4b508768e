#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include "MassMailingModule.h"
#include "audience/RecipientDirectory.h"
#include "content/Campaigns.h"
#include "delivery/OutboxTransport.h"
#include "delivery/SmtpTransport.h"
#include "delivery/TestSend.h"
#include "screens/CampaignApi.h"
#include "screens/HomeScreen.h"
#include "screens/UnsubscribeScreen.h"
#include "tracking/LinkSigner.h"
#include "tracking/RecipientLinks.h"
#include "tracking/SigningKey.h"
#include "tracking/Suppressions.h"
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

CRMHOST_MODULE(MassMailing::MassMailingModule, "massmailing", "0.1.0")

namespace MassMailing
{
namespace
{
const char* const COMPOSE = "massmailing.compose";

std::unique_ptr<Transport> makeTransport(const CrmHost::ModuleContext& context)
{
    std::string kind = context.setting("massmailing.transport");
    if (kind == "smtp")
        return std::make_unique<SmtpTransport>(
            SmtpSettings::parse([&](const std::string& key) { return context.setting(key); }));
    if (kind != "outbox")
        throw Poco::InvalidArgumentException("massmailing.transport must be outbox or smtp, not \"" + kind + "\"");
    return std::make_unique<OutboxTransport>(context.setting("massmailing.outbox.dir"));
}

std::shared_ptr<const DkimSigner> makeSigner(const CrmHost::ModuleContext& context)
{
    std::string domain = context.setting("massmailing.dkim.domain");
    std::string path = context.setting("massmailing.dkim.key");
    if (domain.empty() || path.empty())
        return nullptr;
    Poco::FileInputStream in(path);
    std::string pem;
    Poco::StreamCopier::copyToString(in, pem);
    return std::make_shared<DkimSigner>(domain, context.setting("massmailing.dkim.selector"), pem);
}
} // namespace

/// The stages and screens of one running module, built in start() and gone in stop().
struct MassMailingModule::Parts
{
    explicit Parts(CrmHost::ModuleContext& context)
        : directory(context.database()), campaigns(context.database()),
          key(context.dataDir(), context.setting("massmailing.secret")), signer(key.bytes()),
          links(signer, context.publicUrl("")), suppressions(context.database()),
          testSend(campaigns, directory,
                   {[&context] { return makeTransport(context); },
                    [this](const Campaign& campaign, const Recipient& recipient) {
                        return MessageLinks{links.unsubscribeUrl(campaign.groupId, campaign.id, recipient.id, recipient.email),
                                            links.viewOnlineUrl(campaign.id, recipient.id)};
                    },
                    [&context](const std::string& key, const std::string& locale) {
                        return context.templates().translate(key, locale);
                    },
                    [&context] { return makeSigner(context); }}),
          home(context.templates()), api(campaigns, directory, testSend),
          unsubscribe(signer, suppressions, context.templates())
    {
    }

    RecipientDirectory directory;
    Campaigns campaigns;
    SigningKey key;
    LinkSigner signer;
    RecipientLinks links;
    Suppressions suppressions;
    TestSend testSend;
    HomeScreen home;
    CampaignApi api;
    UnsubscribeScreen unsubscribe;
};

MassMailingModule::MassMailingModule() = default;
MassMailingModule::~MassMailingModule() = default;

void MassMailingModule::start(CrmHost::ModuleContext& context)
{
    context.declareRight({COMPOSE, "massmailing.right.compose"});
    context.declareRight({"massmailing.send", "massmailing.right.send"});
    context.declareRight({"massmailing.approve", "massmailing.right.approve"});

    const std::pair<std::string, std::string> settings[] = {
        {"massmailing.transport", "outbox"},   {"massmailing.smtp.host", "127.0.0.1"},
        {"massmailing.smtp.port", "25"},       {"massmailing.smtp.tls", "none"},
        {"massmailing.smtp.user", ""},         {"massmailing.smtp.password", ""},
        {"massmailing.smtp.verify", "true"},   {"massmailing.smtp.connections", "4"},
        {"massmailing.outbox.dir", context.dataDir() + "/outbox"},
        {"massmailing.dkim.domain", ""},       {"massmailing.dkim.selector", ""},
        {"massmailing.dkim.key", ""},          {"massmailing.quota.monthly", "0"},
        {"massmailing.secret", ""}};
    for (const auto& [key, defaultValue] : settings)
        context.declareSetting({key, defaultValue, key + ".label"});

    _parts = std::make_unique<Parts>(context);
    Parts& parts = *_parts;
    using CrmHost::Request;
    using CrmHost::ScreenKind;
    context.addScreen({ScreenKind::Page, "GET", "", "massmailing.menu", COMPOSE,
                       [&parts](const Request& request) { return parts.home.page(request); }});
    context.addScreen({ScreenKind::Json, "GET", "status", "", COMPOSE,
                       [&parts](const Request& request) { return parts.home.status(request); }});

    const std::tuple<const char*, const char*, CrmHost::Response (CampaignApi::*)(const Request&)> routes[] = {
        {"POST", "campaigns", &CampaignApi::create},
        {"GET", "campaigns", &CampaignApi::list},
        {"GET", "campaigns/{id}", &CampaignApi::get},
        {"PUT", "campaigns/{id}", &CampaignApi::update},
        {"GET", "campaigns/{id}/preview", &CampaignApi::preview},
        {"POST", "campaigns/{id}/test", &CampaignApi::test},
        {"GET", "variables", &CampaignApi::variables}};
    for (const auto& [method, path, handler] : routes)
        context.addScreen({ScreenKind::Json, method, path, "", COMPOSE,
                           [&parts, handler = handler](const Request& request) { return (parts.api.*handler)(request); }});

    // The public screens behind every message's unsubscribe link: no login, the signed token is the proof.
    context.addScreen({ScreenKind::Public, "GET", UnsubscribeScreen::PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.confirm(request); }});
    context.addScreen({ScreenKind::Public, "POST", UnsubscribeScreen::PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.unsubscribe(request); }});
    context.addScreen({ScreenKind::Public, "POST", UnsubscribeScreen::RESUBSCRIBE_PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.resubscribe(request); }});

    // Delivery comes with the delivery stage; the task is registered so that the host
    // scheduler and `crmhost task run massmailing.send` already know it.
    context.addTask({"massmailing.send", "deliver the due campaigns", CrmHost::Schedule::every(10),
                     []() { return false; }});
}

void MassMailingModule::stop(CrmHost::ModuleContext&)
{
    _parts.reset();
}
} // namespace MassMailing
