#include "CrmHost/Exceptions.h"
#include "CrmHost/ModuleContext.h"
#include "CrmHost/ModuleEntry.h"
#include "GroupSettings.h"
#include "MassMailingModule.h"
#include "ModuleSettings.h"
#include "Rights.h"
#include "SqlTime.h"
#include "audience/Audience.h"
#include "audience/AudienceLoads.h"
#include "audience/RecipientDirectory.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include "automation/Automations.h"
#include "content/Campaigns.h"
#include "content/ReplyAddress.h"
#include "content/SenderDomains.h"
#include "delivery/Deliveries.h"
#include "delivery/DeliveryProgress.h"
#include "delivery/Dispatcher.h"
#include "delivery/MailjetTransport.h"
#include "delivery/OutboxTransport.h"
#include "delivery/SmsChannel.h"
#include "delivery/SmtpTransport.h"
#include "delivery/TestSend.h"
#include "delivery/TestSends.h"
#include "inbox/Inbox.h"
#include "inbox/InboxReplies.h"
#include "push/PushChannel.h"
#include "push/PushDelivery.h"
#include "push/PushSender.h"
#include "push/PushSubscriptions.h"
#include "push/Vapid.h"
#include "screens/AddressLogApi.h"
#include "screens/AddressLogScreen.h"
#include "screens/AssetScreen.h"
#include "screens/AudienceApi.h"
#include "screens/AutomationApi.h"
#include "screens/AutomationsScreen.h"
#include "screens/CampaignApi.h"
#include "screens/CompositionScreen.h"
#include "screens/DeliveryApi.h"
#include "screens/DetailsScreen.h"
#include "screens/HomeScreen.h"
#include "screens/InboxApi.h"
#include "screens/InboxScreen.h"
#include "screens/MailjetWebhook.h"
#include "screens/OutboxScreen.h"
#include "screens/PreviewScreen.h"
#include "screens/PushScreen.h"
#include "screens/RecipientsScreen.h"
#include "screens/ResultsScreen.h"
#include "screens/SendScreen.h"
#include "screens/SenderDomainsScreen.h"
#include "screens/SettingsScreen.h"
#include "screens/SmsOutboxScreen.h"
#include "screens/SmsWebhookScreen.h"
#include "screens/TrackingScreen.h"
#include "screens/UnsubscribeScreen.h"
#include "screens/ViewOnlineScreen.h"
#include "screens/Wizard.h"
#include "tracking/AddressLog.h"
#include "tracking/Bounces.h"
#include "tracking/CampaignLinks.h"
#include "tracking/EventRecorder.h"
#include "tracking/LinkSigner.h"
#include "tracking/MailjetEvents.h"
#include "tracking/MessageTracking.h"
#include "tracking/PersonalData.h"
#include "tracking/RecipientLinks.h"
#include "tracking/Results.h"
#include "tracking/SigningKey.h"
#include "tracking/SmsReports.h"
#include "tracking/Unsubscribes.h"
#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <cstring>

CRMHOST_MODULE(MassMailing::MassMailingModule, "massmailing", "0.1.0")

namespace MassMailing
{
namespace
{
// The host's SMTP settings in force: the settings screen's (GroupSettings::HOST), else the file's.
SmtpSettings smtpSettings(const GroupSettings& settings)
{
    return SmtpSettings::parse(
        [&](const std::string& key)
        { return settings.value(GroupSettings::HOST, key.substr(std::strlen("massmailing."))); });
}

// The SMS settings in force (issue 15): the settings screen's, else the file's.
SmsSettings smsSettings(const GroupSettings& settings)
{
    return SmsSettings::parse(
        [&](const std::string& key)
        { return settings.value(GroupSettings::HOST, key.substr(std::strlen("massmailing."))); });
}

// The host's Mailjet settings in force: the settings screen's, else the file's.
MailjetTransport::Settings mailjetSettings(const GroupSettings& settings)
{
    return MailjetTransport::Settings::parse(
        [&](const std::string& key)
        { return settings.value(GroupSettings::HOST, key.substr(std::strlen("massmailing."))); });
}

std::unique_ptr<Transport> makeTransport(const CrmHost::ModuleContext& context, const GroupSettings& settings,
                                         MailjetTransport::Tracked tracked)
{
    std::string kind = settings.value(GroupSettings::HOST, "transport");
    if (kind == "smtp")
        return std::make_unique<SmtpTransport>(smtpSettings(settings));
    if (kind == "mailjet")
        return std::make_unique<MailjetTransport>(mailjetSettings(settings), std::move(tracked));
    if (kind != "outbox")
        throw Poco::InvalidArgumentException("massmailing.transport must be outbox, smtp or mailjet, not \"" +
                                             kind + "\"");
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
    // massmailing.node names this node in lease owners and its journal's folder; by default the
    // host's name and the data folder, so that two hosts (or two data folders) never share one.
    settings.node = context.setting("massmailing.node");
    if (settings.node.empty())
        settings.node = Poco::Environment::nodeName() + ":" + context.dataDir();
    // "off": each message marked in flight in the database instead (a commit per message), for
    // comparison (bench/send.sh --no-journal).
    if (context.setting("massmailing.journal") != "off")
        settings.journalFolder = context.dataDir() + "/journal";
    Poco::Int64 batch = 0;
    if (Poco::NumberParser::tryParse64(context.setting("massmailing.batch"), batch) && batch > 0)
        settings.batch = int(batch);
    return settings;
}
// The contact in each VAPID token: the setting, else the host's public URL.
std::string pushSubject(const CrmHost::ModuleContext& context)
{
    std::string subject = context.setting("massmailing.push.subject");
    return subject.empty() ? context.publicUrl("") : subject;
}

PushSender::Settings pushSettings(const CrmHost::ModuleContext& context)
{
    PushSender::Settings settings;
    settings.ttlSeconds = int(numberSetting(context, "massmailing.push.ttl"));
    settings.urgency = context.setting("massmailing.push.urgency");
    settings.loopbackAllowed = context.setting("massmailing.push.allow_loopback") == "true";
    return settings;
}
} // namespace

/// The stages and screens of one running module, built in start() and gone in stop().
struct MassMailingModule::Parts
{
    explicit Parts(CrmHost::ModuleContext& context)
        : directory(context.database()),
          // SMS and push are add-ons a host administrator switches on per group (issue 15).
          campaigns(context.database(), [this](long groupId, const std::string& channel)
                    { return groupSettings.on(groupId, "channel." + channel); }),
          deliveries(context.database(), [] { return Poco::DateTime(); }),
          progress(context.database(), deliveries, [] { return Poco::DateTime(); }),
          key(context.dataDir(), context.setting("massmailing.secret")),
          secretsKey(context.dataDir(), "", SigningKey::SECRETS_FILE_NAME), secrets(secretsKey.bytes()),
          signer(key.bytes()), links(signer, context.publicUrl("")), suppressions(context.database()),
          groupSettings(
              context.database(), [&context](const std::string& key) { return context.setting(key); },
              ModuleSettings::screenDeclarations(context.dataDir()), &secrets),
          senderDomains(
              context.database(), secrets,
              [this, &context](long groupId)
              {
                  return SenderDomains::Settings{context.setting("massmailing.dns.resolver"),
                                                 context.setting("massmailing.dns.spf_include"),
                                                 groupSettings.value(groupId, "bounce.domain"),
                                                 context.setting("massmailing.dns.bounce_mx")};
              },
              [] { return Poco::DateTime(); }),
          bounceAddress(std::make_shared<BounceAddress>(key.bytes())),
          bounces(context.database(), *bounceAddress, groupSettings),
          testSend(
              campaigns, directory,
              {[this, &context]
               {
                   // With Mailjet, its tracking follows the campaign's (MessageTracking::byTransport).
                   return makeTransport(context, groupSettings,
                                        [this](long campaignId)
                                        {
                                            auto campaign = campaigns.find(campaignId);
                                            return campaign && tracking.tracked(*campaign);
                                        });
               },
               [this](const Campaign& campaign, const Recipient& recipient)
               {
                   return MessageLinks{
                       links.unsubscribeUrl(campaign.groupId, campaign.id, recipient.id, recipient.email),
                       links.viewOnlineUrl(campaign.id, recipient.id, recipient.email),
                       tracking.linksFor(campaign, recipient.row)};
               },
               [&context](const std::string& key, const std::string& locale)
               { return context.templates().translate(key, locale); },
               [&context] { return makeSigner(context); },
               [this](const Campaign& campaign) { return attachments.files(campaign.id); },
               [this](const Campaign& campaign, const Recipient& recipient)
               {
                   return MessageLinks{links.testUnsubscribeUrl(campaign.groupId, campaign.id),
                                       links.testViewOnlineUrl(campaign.id, recipient.id, recipient.email)};
               },
               bounceAddress,
               [this](const Campaign& campaign)
               { return groupSettings.value(campaign.groupId, "bounce.domain"); },
               [this](const Campaign& campaign) { return tracking.testLinksFor(campaign); },
               [this](const Campaign& campaign, const std::string& address, const Recipient& sample)
               {
                   testSends.record(campaign.groupId, campaign.id, address,
                                    sample.kind + ":" + std::to_string(sample.id), sqlTime(Poco::DateTime()));
               },
               // A verified sending domain signs with its own keys (C1, D10).
               [this](const Campaign& campaign)
               { return senderDomains.signersFor(campaign.groupId, campaign.senderEmail); }}),
          wizard(context.templates(), campaigns), home(wizard, campaigns, directory, progress),
          api(campaigns, directory, testSend, deliveries, progress),
          unsubscribe(signer, suppressions, context.templates(), unsubscribes), testList(context.database()),
          attachments(context.database(), context.dataDir() + "/attachments"), templates(context.database()),
          previous(context.database(), campaigns, attachments), size(campaigns, attachments),
          details(wizard, campaigns, deliveries),
          composition(wizard, campaigns, deliveries, attachments, templates, previous, size),
          preview(wizard, directory, testList, attachments, size, testSend,
                  [this] { return groupSettings.value(GroupSettings::HOST, "transport"); }),
          outbox(wizard, [&context] { return context.setting("massmailing.outbox.dir"); }),
          assets(context.resourceDir()), loader(std::make_shared<TargetsLoader>(context.database())),
          audience(
              context.database(), *loader, [this](long group) { return deliveries.sentThisMonth(group); },
              PastDeliveries{&Deliveries::hasSent, &Deliveries::delivered, &Deliveries::undelivered},
              [this](long groupId) { return groupSettings.value(groupId, "country"); }),
          loads(audience), audienceApi(
                               campaigns, audience, loads,
                               [&context](const std::string& key, const std::string& locale)
                               { return context.templates().translate(key, locale); },
                               [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); }),
          recipients(wizard, campaigns, audience, loads,
                     [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); }),
          viewOnline(signer, campaigns, audience, directory, testSend, attachments, context.templates()),
          delivery(campaigns, deliveries, testSend,
                   [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); }),
          dispatcher(
              context.database(), campaigns, deliveries, testSend.services(), [] { return Poco::DateTime(); },
              [&context] { return dispatcherSettings(context); },
              [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); }),
          send(
              wizard, audience, deliveries, progress, testSend, size,
              [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); },
              [] { return Poco::DateTime(); },
              [this](long groupId, const std::string& name) { return groupSettings.value(groupId, name); }),
          // One address's delivery log (R5) and the group's suppressions.
          testSends(context.database()), addressLog(context.database(), suppressions, testSends, directory),
          personalData(context.database(), directory, [] { return Poco::DateTime(); }),
          addressLogScreen(wizard, campaigns, addressLog, suppressions, deliveries, personalData),
          addressLogApi(campaigns, addressLog, suppressions, deliveries, personalData),
          // The results page, its JSON and CSV (issue 13, point 6).
          results(context.database(), [] { return Poco::DateTime(); }),
          resultsScreen(wizard, campaigns, results),
          // Opens and clicks (R3).
          campaignLinks(context.database()),
          tracking(signer, campaignLinks, groupSettings, context.publicUrl("")),
          recorder(context.database(), groupSettings, key.bytes(),
                   [&context] { return int(numberSetting(context, "massmailing.tracking.machine_seconds")); },
                   // SQLite has one writer at a time; MariaDB takes several. A few seconds of
                   // clicks queued at most: beyond, the redirect waits for the writers (no loss).
                   {200, 200, 20000, context.database().dialect() == CrmHost::Dialect::MySQL ? 4 : 1}),
          trackingScreen(signer, campaignLinks, recorder, context.templates(),
                         [] { return Poco::DateTime(); }),
          unsubscribes(context.database(), suppressions, [] { return Poco::DateTime(); }),
          // Mailjet's event webhook (D5): its events through tracking's owners.
          mailjetEvents(context.database(), bounces, unsubscribes, recorder, campaignLinks),
          mailjetWebhook(mailjetEvents, key.bytes()),
          // The settings screen and the sending domains (issue 17).
          settingsScreen(
              wizard, groupSettings,
              [this](const std::string& sender)
              {
                  try
                  {
                      if (groupSettings.value(GroupSettings::HOST, "transport") == "mailjet")
                          return MailjetTransport::check(mailjetSettings(groupSettings));
                      return SmtpTransport::check(smtpSettings(groupSettings), sender);
                  }
                  catch (const Poco::Exception& error) // settings SmtpSettings::parse refuses
                  {
                      return SmtpTransport::CheckResult{false, "settings", error.message()};
                  }
              },
              // The URL of Mailjet's event webhook, to enter in Mailjet's account.
              [this, &context]
              { return context.publicUrl(MailjetWebhook::PATH + MailjetEvents::webhookToken(key.bytes())); }),
          senderDomainsScreen(wizard, senderDomains),
          // Automatic messages (M4): each occurrence a campaign of its own, through the stages.
          automations(
              context.database(), campaigns, audience, deliveries, [] { return Poco::DateTime(); },
              [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); },
              dispatcherSettings(context).node),
          automationApi(automations), automationsScreen(wizard, automations, audience),
          // Web Push (issue 15, point 4): the host's VAPID key, the members' devices, the sender.
          pushSubscriptions(context.database()),
          vapid(P256Key::fromPrivate(SigningKey(context.dataDir(), "", Vapid::KEY_FILE_NAME).bytes()),
                pushSubject(context)),
          pushSender(vapid, pushSettings(context), [] { return Poco::Timestamp(); }),
          pushDelivery(pushSubscriptions, pushSender,
                       [](int seconds) { Poco::Thread::sleep(long(seconds) * 1000); }, {}),
          pushScreen(wizard, pushSubscriptions, pushDelivery, vapid,
                     [&context] { return context.setting("massmailing.push.allow_loopback") == "true"; }),
          // SMS (issue 15): the gateway's delivery reports and replies.
          smsReports(
              context.database(), suppressions, [] { return Poco::DateTime(); },
              [this] { return groupSettings.value(GroupSettings::HOST, "sms.report.password"); },
              // A reply that is no STOP lands in the member's thread of the inbox.
              [this](long groupId, const std::string& number, const std::string& text, const std::string& id)
              {
                  IncomingMessage message;
                  message.groupId = groupId;
                  message.channel = "sms";
                  message.from = number;
                  message.text = text;
                  message.at = Poco::DateTime();
                  message.source = id.empty() ? "" : "sms:" + id + ":" + std::to_string(groupId);
                  inbox.receive(message);
              }),
          smsWebhooks(smsReports),
          smsOutbox(
              wizard, [this] { return groupSettings.value(GroupSettings::HOST, "sms.outbox.dir"); },
              [this](long row) { return deliveries.groupOfRow(row); }),
          // The two-way inbox (issue 15, points 5 and 6): replies to a thread's signed Reply-To.
          replyAddress(key.bytes()),
          inbox(
              context.database(), replyAddress, directory, campaigns, audience, deliveries,
              [] { return Poco::DateTime(); },
              [this] { return groupSettings.number(GroupSettings::HOST, "quota.monthly"); },
              [this](long groupId) { return groupSettings.value(groupId, "bounce.domain"); }),
          inboxReplies(inbox), inboxApi(inbox),
          inboxScreen(wizard, inbox, campaigns, audience, directory, results)
    {
    }

    RecipientDirectory directory;
    Campaigns campaigns;
    Deliveries deliveries;
    DeliveryProgress progress;
    SigningKey key;
    SigningKey secretsKey; // seals the SMTP password and the DKIM keys (SecretBox)
    SecretBox secrets;
    LinkSigner signer;
    RecipientLinks links;
    Suppressions suppressions;
    GroupSettings groupSettings;
    SenderDomains senderDomains;
    std::shared_ptr<const BounceAddress> bounceAddress;
    Bounces bounces;
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
    AudienceLoads
        loads; /// After the audience it runs, before the screens that use it: its threads end first.
    AudienceApi audienceApi;
    RecipientsScreen recipients;
    ViewOnlineScreen viewOnline;
    DeliveryApi delivery;
    Dispatcher dispatcher;
    SendScreen send;
    // One address's delivery log (R5) and the group's suppressions.
    TestSends testSends;
    AddressLog addressLog;
    PersonalData personalData;
    AddressLogScreen addressLogScreen;
    AddressLogApi addressLogApi;
    Results results;
    ResultsScreen resultsScreen;
    // Opens and clicks (R3); the recorder goes first when the module stops, writing what it holds.
    CampaignLinks campaignLinks;
    MessageTracking tracking;
    EventRecorder recorder;
    TrackingScreen trackingScreen;
    Unsubscribes unsubscribes; // X1, counted for the campaign: the unsubscribe screen holds it from the start
    MailjetEvents mailjetEvents;
    MailjetWebhook mailjetWebhook;
    SettingsScreen settingsScreen;
    SenderDomainsScreen senderDomainsScreen;
    Automations automations;
    AutomationApi automationApi;
    AutomationsScreen automationsScreen;
    PushSubscriptions pushSubscriptions;
    Vapid vapid;
    PushSender pushSender;
    PushDelivery pushDelivery;
    PushScreen pushScreen;
    // SMS (issue 15).
    SmsReports smsReports;
    SmsWebhookScreen smsWebhooks;
    SmsOutboxScreen smsOutbox;
    // The two-way inbox (issue 15, points 5 and 6).
    ReplyAddress replyAddress;
    Inbox inbox;
    InboxReplies inboxReplies;
    InboxApi inboxApi;
    InboxScreen inboxScreen;
};

MassMailingModule::MassMailingModule() = default;
MassMailingModule::~MassMailingModule() = default;

void MassMailingModule::start(CrmHost::ModuleContext& context)
{
    context.declareRight({Rights::COMPOSE, "massmailing.right.compose"});
    context.declareRight({Rights::SEND, "massmailing.right.send"});
    context.declareRight({Rights::APPROVE, "massmailing.right.approve"});
    context.declareRight({Rights::ADMIN, "massmailing.right.admin"});

    // The host checks each value as it is declared; then the rules between settings.
    for (const auto& setting : ModuleSettings::declarations(context.dataDir()))
        context.declareSetting(setting);
    try
    {
        if (context.setting("massmailing.transport") == "smtp")
            SmtpSettings::parse([&](const std::string& key) { return context.setting(key); });
        SmsSettings::parse([&](const std::string& key) { return context.setting(key); });
        if (context.setting("massmailing.transport") == "mailjet")
            MailjetTransport::Settings::parse([&](const std::string& key) { return context.setting(key); });
        makeSigner(context);
    }
    catch (const Poco::Exception& error)
    {
        throw CrmHost::SettingException(error.message());
    }

    _parts = std::make_unique<Parts>(context);
    Parts& parts = *_parts;
    // Every screen's routes, each with its right (Routes.h), and the audience's loader, shared
    // with the host's Members screen (A2).
    for (Routes routes :
         {parts.home.routes(), parts.api.routes(), parts.audienceApi.routes(), parts.delivery.routes(),
          parts.details.routes(), parts.composition.routes(), parts.recipients.routes(),
          parts.preview.routes(), parts.send.routes(), parts.outbox.routes(), parts.assets.routes(),
          parts.unsubscribe.routes(), parts.viewOnline.routes(), parts.resultsScreen.routes(),
          parts.trackingScreen.routes(),
          // One address's delivery log (R5) and the group's suppressions.
          parts.addressLogScreen.routes(), parts.addressLogApi.routes(),
          // The settings screen and the sending domains (issue 17).
          parts.settingsScreen.routes(), parts.senderDomainsScreen.routes(),
          // Automatic messages (M4).
          parts.automationApi.routes(), parts.automationsScreen.routes(),
          // Web Push: the members' subscribe page and devices (issue 15, point 4).
          parts.pushScreen.routes(),
          // SMS (issue 15).
          parts.smsWebhooks.routes(), parts.smsOutbox.routes(),
          // The two-way inbox (issue 15, points 5 and 6).
          parts.inboxApi.routes(), parts.inboxScreen.routes(),
          // Mailjet's event webhook (issue 17, D5).
          parts.mailjetWebhook.routes()})
        for (const auto& route : routes)
            context.addScreen(route);
    // The channels besides email (issue 15): each sends through the same dispatcher.
    parts.dispatcher.addChannel(
        std::make_shared<SmsChannel>(parts.campaigns, [&parts] { return smsSettings(parts.groupSettings); }));
    parts.dispatcher.addChannel(
        std::make_shared<PushChannel>(parts.campaigns, parts.pushDelivery,
                                      [&parts](const Campaign& c, const Recipient& r)
                                      { return parts.links.viewOnlineUrl(c.id, r.id, r.email); }));
    context.addRecipientLoader(parts.loader);
    parts.recorder.start();
    // One address's delivery log, a click away from each person of the host's member screen (R5).
    context.addMemberLink({"massmailing.address_log", "massmailing.log.memberLink",
                           "addresses/log?address={email}", Rights::COMPOSE});
    // A member's push devices, from the same screen (issue 15, point 4).
    context.addMemberLink(
        {"massmailing.push_devices", "massmailing.push.memberLink", "push?email={email}", Rights::COMPOSE});

    // The inbox: a member's conversation a click away from the host's member screen (M3), and the
    // replies to the threads' signed Reply-To addresses.
    context.addMemberLink(
        {"massmailing.inbox", "massmailing.inbox.memberLink", "inbox/member?email={email}", Rights::COMPOSE});
    // "Communication" on the host's page of each studio session (API 1.8, seed 003 step 1).
    context.addSessionLink({"massmailing.inbox", "massmailing.inbox.communication",
                            "inbox/open?kind=session&subject={session}", Rights::COMPOSE});
    context.addInboundMailHandler({InboxReplies::HANDLER, ReplyAddress::PATTERN,
                                   [&parts](const CrmHost::InboundMessage& message)
                                   { return parts.inboxReplies.handle(message); }});

    // What comes back by mail (R3, A8): bounces to the VERP addresses, and the feedback loops'
    // reports sent to the address configured for them.
    context.addInboundMailHandler({Bounces::BOUNCES_HANDLER, Bounces::BOUNCE_PATTERN,
                                   [&parts](const CrmHost::InboundMessage& message)
                                   { return parts.bounces.handle(message); }});
    if (!context.setting("massmailing.feedback.address").empty())
        context.addInboundMailHandler(
            {Bounces::FEEDBACK_HANDLER, context.setting("massmailing.feedback.address"),
             [&parts](const CrmHost::InboundMessage& message) { return parts.bounces.handle(message); }});

    // The scheduled send: every 10 seconds, and by hand with `crmhost task run massmailing.send`.
    context.addTask({"massmailing.send", "deliver the due campaigns", CrmHost::Schedule::every(10),
                     [&parts]() { return parts.dispatcher.runOnce(); }});
    // The results' counts of the campaigns that send or got events since (tracking/Results).
    context.addTask({"massmailing.results", "count the results of the campaigns with news",
                     CrmHost::Schedule::every(Results::FRESH_SECONDS),
                     [&parts]() { return parts.results.refreshDue(); }});
    // Automatic messages (M4): the host events they follow, and the task that fires the due
    // occurrences, each a campaign of its own (by hand: `crmhost task run massmailing.automations`).
    for (const std::string& event : Automations::events())
        context.subscribe(event, [&parts](const CrmHost::HostEvent& occurred)
                          { parts.automations.onEvent(occurred); });
    context.addTask({"massmailing.automations", "fire the automatic messages' due occurrences",
                     CrmHost::Schedule::every(30), [&parts]() { return parts.automations.runOnce(); }});
}

void MassMailingModule::stop(CrmHost::ModuleContext&)
{
    _parts.reset();
}
} // namespace MassMailing
