#include "CrmHost/Exceptions.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include "MassMailingModule.h"
#include "ModuleSettings.h"
#include "audience/Audience.h"
#include "audience/RecipientDirectory.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "delivery/DeliveryProgress.h"
#include "delivery/Dispatcher.h"
#include "delivery/OutboxTransport.h"
#include "delivery/SmtpTransport.h"
#include "delivery/TestSend.h"
#include "screens/AssetScreen.h"
#include "screens/AudienceApi.h"
#include "screens/CampaignApi.h"
#include "screens/CompositionScreen.h"
#include "screens/DeliveryApi.h"
#include "screens/DetailsScreen.h"
#include "screens/HomeScreen.h"
#include "screens/OutboxScreen.h"
#include "screens/PreviewScreen.h"
#include "screens/RecipientsScreen.h"
#include "screens/SendScreen.h"
#include "screens/UnsubscribeScreen.h"
#include "screens/ViewOnlineScreen.h"
#include "screens/Wizard.h"
#include "tracking/LinkSigner.h"
#include "tracking/RecipientLinks.h"
#include "tracking/SigningKey.h"
#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
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
        throw Poco::InvalidArgumentException("massmailing.transport must be outbox or smtp, not \"" + kind +
                                             "\"");
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

long numberSetting(const CrmHost::ModuleContext& context, const std::string& key)
{
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(context.setting(key), value) || value < 0)
        throw Poco::InvalidArgumentException(key + " must be a whole number, not \"" + context.setting(key) +
                                             "\"");
    return long(value);
}

Dispatcher::Settings dispatcherSettings(const CrmHost::ModuleContext& context)
{
    Dispatcher::Settings settings;
    settings.workers = int(std::max(1L, numberSetting(context, "massmailing.smtp.connections")));
    settings.retrySeconds = int(std::max(1L, numberSetting(context, "massmailing.retry.seconds")));
    settings.leaseSeconds = int(std::max(1L, numberSetting(context, "massmailing.lease.seconds")));
    settings.node = Poco::Environment::nodeName();
    return settings;
}
} // namespace

/// The stages and screens of one running module, built in start() and gone in stop().
struct MassMailingModule::Parts
{
    explicit Parts(CrmHost::ModuleContext& context)
        : directory(context.database()), campaigns(context.database()),
          key(context.dataDir(), context.setting("massmailing.secret")), signer(key.bytes()),
          links(signer, context.publicUrl("")), suppressions(context.database()),
          testSend(
              campaigns, directory,
              {[&context] { return makeTransport(context); },
               [this](const Campaign& campaign, const Recipient& recipient)
               {
                   return MessageLinks{
                       links.unsubscribeUrl(campaign.groupId, campaign.id, recipient.id, recipient.email),
                       links.viewOnlineUrl(campaign.id, recipient.id, recipient.email)};
               },
               [&context](const std::string& key, const std::string& locale)
               { return context.templates().translate(key, locale); },
               [&context] { return makeSigner(context); },
               [this](const Campaign& campaign) { return attachments.files(campaign.id); },
               [this](const Campaign& campaign, const Recipient& recipient)
               {
                   return MessageLinks{links.testUnsubscribeUrl(campaign.groupId, campaign.id),
                                       links.testViewOnlineUrl(campaign.id, recipient.id, recipient.email)};
               }}),
          wizard(context.templates(), campaigns), home(wizard, campaigns, directory, progress),
          api(campaigns, directory, testSend, [this](long campaign) { return deliveries.counts(campaign); }),
          unsubscribe(signer, suppressions, context.templates()), testList(context.database()),
          attachments(context.database(), context.dataDir() + "/attachments"), templates(context.database()),
          previous(context.database(), campaigns, attachments), size(campaigns, attachments),
          details(wizard, campaigns), composition(wizard, campaigns, attachments, templates, previous, size),
          preview(wizard, directory, testList, attachments, size, testSend,
                  [&context] { return context.setting("massmailing.transport"); }),
          outbox(wizard, [&context] { return context.setting("massmailing.outbox.dir"); }),
          assets(context.resourceDir()), loader(std::make_shared<TargetsLoader>(context.database())),
          audience(context.database(), *loader),
          audienceApi(
              campaigns, audience,
              [&context](const std::string& key, const std::string& locale)
              { return context.templates().translate(key, locale); },
              [&context] { return numberSetting(context, "massmailing.quota.monthly"); }),
          recipients(wizard, campaigns, audience,
                     [&context] { return numberSetting(context, "massmailing.quota.monthly"); }),
          viewOnline(signer, campaigns, audience, directory, testSend, attachments, context.templates()),
          deliveries(context.database(), [] { return Poco::DateTime(); }),
          delivery(campaigns, deliveries, testSend,
                   [&context] { return numberSetting(context, "massmailing.quota.monthly"); }),
          dispatcher(
              context.database(), campaigns, deliveries, testSend.services(), [] { return Poco::DateTime(); },
              [&context] { return dispatcherSettings(context); },
              [&context] { return numberSetting(context, "massmailing.quota.monthly"); }),
          progress(context.database(), deliveries, [] { return Poco::DateTime(); }),
          send(
              wizard, audience, deliveries, progress, testSend, size,
              [&context] { return numberSetting(context, "massmailing.quota.monthly"); },
              [] { return Poco::DateTime(); })
    {
    }

    RecipientDirectory directory;
    Campaigns campaigns;
    SigningKey key;
    LinkSigner signer;
    RecipientLinks links;
    Suppressions suppressions;
    TestSend testSend;
    Wizard wizard;
    HomeScreen home;
    CampaignApi api;
    UnsubscribeScreen unsubscribe;
    TestList testList;
    Attachments attachments;
    Templates templates;
    PreviousMessages previous;
    MessageSize size;
    DetailsScreen details;
    CompositionScreen composition;
    PreviewScreen preview;
    OutboxScreen outbox;
    AssetScreen assets;
    std::shared_ptr<TargetsLoader> loader;
    Audience audience;
    AudienceApi audienceApi;
    RecipientsScreen recipients;
    ViewOnlineScreen viewOnline;
    Deliveries deliveries;
    DeliveryApi delivery;
    Dispatcher dispatcher;
    DeliveryProgress progress;
    SendScreen send;
};

MassMailingModule::MassMailingModule() = default;
MassMailingModule::~MassMailingModule() = default;

void MassMailingModule::start(CrmHost::ModuleContext& context)
{
    context.declareRight({COMPOSE, "massmailing.right.compose"});
    context.declareRight({"massmailing.send", "massmailing.right.send"});
    context.declareRight({"massmailing.approve", "massmailing.right.approve"});

    // The host checks each value as it is declared; then the rules between settings.
    for (const auto& setting : ModuleSettings::declarations(context.dataDir()))
        context.declareSetting(setting);
    try
    {
        if (context.setting("massmailing.transport") == "smtp")
            SmtpSettings::parse([&](const std::string& key) { return context.setting(key); });
        makeSigner(context);
    }
    catch (const Poco::Exception& error)
    {
        throw CrmHost::SettingException(error.message());
    }

    _parts = std::make_unique<Parts>(context);
    Parts& parts = *_parts;
    using CrmHost::Request;
    using CrmHost::ScreenKind;
    context.addScreen({ScreenKind::Page, "GET", "", "massmailing.menu", COMPOSE,
                       [&parts](const Request& request) { return parts.home.page(request); }});
    context.addScreen({ScreenKind::Json, "GET", "status", "", COMPOSE,
                       [&parts](const Request& request) { return parts.home.status(request); }});

    const std::tuple<const char*, const char*, CrmHost::Response (CampaignApi::*)(const Request&)> routes[] =
        {{"POST", "campaigns", &CampaignApi::create},
         {"GET", "campaigns", &CampaignApi::list},
         {"GET", "campaigns/{id}", &CampaignApi::get},
         {"PUT", "campaigns/{id}", &CampaignApi::update},
         {"GET", "campaigns/{id}/preview", &CampaignApi::preview},
         {"POST", "campaigns/{id}/test", &CampaignApi::test},
         {"GET", "variables", &CampaignApi::variables}};
    for (const auto& [method, path, handler] : routes)
        context.addScreen({ScreenKind::Json, method, path, "", COMPOSE,
                           [&parts, handler = handler](const Request& request)
                           { return (parts.api.*handler)(request); }});

    // The audience: the targets/filters loader, shared with the host's Members screen (A2).
    context.addRecipientLoader(parts.loader);
    const std::tuple<const char*, const char*, CrmHost::Response (AudienceApi::*)(const Request&)>
        audienceRoutes[] = {{"GET", "targets", &AudienceApi::targets},
                            {"POST", "campaigns/{id}/audience", &AudienceApi::change},
                            {"POST", "campaigns/{id}/audience/csv", &AudienceApi::importCsv},
                            {"GET", "campaigns/{id}/summary", &AudienceApi::summary},
                            {"GET", "campaigns/{id}/recipients", &AudienceApi::recipients}};
    for (const auto& [method, path, handler] : audienceRoutes)
        context.addScreen({ScreenKind::Json, method, path, "", COMPOSE,
                           [&parts, handler = handler](const Request& request)
                           { return (parts.audienceApi.*handler)(request); }});

    // The campaign wizard (details, composition, recipients, preview and test) and the outbox.
    const std::tuple<const char*, const char*, std::function<CrmHost::Response(const Request&)>> pages[] = {
        {"GET", "campaigns/new", [&parts](const Request& r) { return parts.details.newForm(r); }},
        {"POST", "campaigns/new", [&parts](const Request& r) { return parts.details.create(r); }},
        {"GET", "campaigns/{id}/details", [&parts](const Request& r) { return parts.details.editForm(r); }},
        {"POST", "campaigns/{id}/details", [&parts](const Request& r) { return parts.details.update(r); }},
        {"GET", "campaigns/{id}/composition",
         [&parts](const Request& r) { return parts.composition.show(r); }},
        {"POST", "campaigns/{id}/composition",
         [&parts](const Request& r) { return parts.composition.submit(r); }},
        {"GET", "campaigns/{id}/files/{file}",
         [&parts](const Request& r) { return parts.composition.file(r); }},
        {"GET", "campaigns/{id}/recipients", [&parts](const Request& r) { return parts.recipients.show(r); }},
        {"POST", "campaigns/{id}/recipients",
         [&parts](const Request& r) { return parts.recipients.submit(r); }},
        {"GET", "campaigns/{id}/preview", [&parts](const Request& r) { return parts.preview.show(r); }},
        {"POST", "campaigns/{id}/test", [&parts](const Request& r) { return parts.preview.test(r); }},
        {"GET", "campaigns/{id}/send", [&parts](const Request& r) { return parts.send.show(r); }},
        {"POST", "campaigns/{id}/send", [&parts](const Request& r) { return parts.send.submit(r); }},
        {"GET", "campaigns/{id}/progress", [&parts](const Request& r) { return parts.send.progress(r); }},
        {"GET", "outbox", [&parts](const Request& r) { return parts.outbox.list(r); }},
        {"GET", "outbox/{name}", [&parts](const Request& r) { return parts.outbox.message(r); }}};
    for (const auto& [method, path, handler] : pages)
        context.addScreen({ScreenKind::Page, method, path, "", COMPOSE, handler});
    // The editor's script and styles, for the composition page (static files, no login needed).
    context.addScreen({ScreenKind::Public, "GET", "assets/{file}", "", "",
                       [&parts](const Request& request) { return parts.assets.asset(request); }});

    // The public screens behind every message's unsubscribe link: no login, the signed token is the proof.
    context.addScreen({ScreenKind::Public, "GET", UnsubscribeScreen::PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.confirm(request); }});
    context.addScreen({ScreenKind::Public, "POST", UnsubscribeScreen::PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.unsubscribe(request); }});
    context.addScreen({ScreenKind::Public, "POST", UnsubscribeScreen::RESUBSCRIBE_PATH, "", "",
                       [&parts](const Request& request) { return parts.unsubscribe.resubscribe(request); }});
    context.addScreen({ScreenKind::Public, "GET", ViewOnlineScreen::PATH, "", "",
                       [&parts](const Request& request) { return parts.viewOnline.show(request); }});

    // Delivery comes with the delivery stage; the task is registered so that the host
    // scheduler and `crmhost task run massmailing.send` already know it.
    const std::tuple<const char*, const char*, const char*,
                     CrmHost::Response (DeliveryApi::*)(const Request&)>
        deliveryRoutes[] = {
            {"POST", "campaigns/{id}/schedule", "massmailing.send", &DeliveryApi::schedule},
            {"POST", "campaigns/{id}/approve", "massmailing.approve", &DeliveryApi::approve},
            {"POST", "campaigns/{id}/reject", "massmailing.approve", &DeliveryApi::reject},
            {"POST", "campaigns/{id}/pause", "massmailing.send", &DeliveryApi::pause},
            {"POST", "campaigns/{id}/resume", "massmailing.send", &DeliveryApi::resume},
            {"POST", "campaigns/{id}/cancel", "massmailing.send", &DeliveryApi::cancel},
            {"POST", "campaigns/{id}/pacing", "massmailing.send", &DeliveryApi::pacing},
            {"POST", "campaigns/{id}/recipients/{row}/resend", "massmailing.send", &DeliveryApi::resend}};
    for (const auto& [method, path, right, handler] : deliveryRoutes)
        context.addScreen({ScreenKind::Json, method, path, "", right,
                           [&parts, handler = handler](const Request& request)
                           { return (parts.delivery.*handler)(request); }});

    // The scheduled send: every 10 seconds, and by hand with `crmhost task run massmailing.send`.
    context.addTask({"massmailing.send", "deliver the due campaigns", CrmHost::Schedule::every(10),
                     [&parts]() { return parts.dispatcher.runOnce(); }});
}

void MassMailingModule::stop(CrmHost::ModuleContext&)
{
    _parts.reset();
}
} // namespace MassMailing
