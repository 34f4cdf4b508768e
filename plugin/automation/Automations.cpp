#include "automation/Automations.h"
#include "FieldException.h"
#include "SqlTime.h"
#include "automation/RecurringSchedule.h"
#include "delivery/TimeZones.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timespan.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const char* const COLUMNS =
    "id, group_id, name, model_campaign_id, trigger_kind, cron, time_zone, event_name, delay_minutes, "
    "window_minutes, paused, created_by, CAST(created_at AS CHAR), builtin";

std::string text(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? "" : value.convert<std::string>().substr(0, 19);
}

long number(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() ? 0 : long(value.convert<Poco::Int64>());
}

std::string shifted(const std::string& utc, long minutes)
{
    Poco::DateTime time;
    if (!readSqlTime(utc, time))
        return utc;
    return sqlTime(time + Poco::Timespan(minutes * Poco::Timespan::MINUTES));
}

long minutesBetween(const std::string& from, const std::string& to)
{
    Poco::DateTime a, b;
    if (!readSqlTime(from, a) || !readSqlTime(to, b))
        return 0;
    return long((b - a).totalMinutes());
}

std::string dataJson(const std::map<std::string, std::string>& data)
{
    Poco::JSON::Object object;
    for (const auto& [key, value] : data)
        object.set(key, value);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::map<std::string, std::string> dataOf(const std::string& json)
{
    std::map<std::string, std::string> data;
    if (json.empty())
        return data;
    Poco::JSON::Object::Ptr object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object)
        data[key] = value.convert<std::string>();
    return data;
}

// "{distribution}" becomes the event's distribution; other values stay as they are.
std::map<std::string, std::string> filled(std::map<std::string, std::string> params,
                                          const std::map<std::string, std::string>& data)
{
    for (auto& [key, value] : params)
        if (value.size() > 2 && value.front() == '{' && value.back() == '}')
        {
            auto found = data.find(value.substr(1, value.size() - 2));
            if (found != data.end())
                value = found->second;
        }
    return params;
}

AudienceOwner ownerOf(const Campaign& campaign)
{
    return {campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
}
} // namespace

Automations::Automations(CrmHost::Database& database, Campaigns& campaigns, Audience& audience,
                         Deliveries& deliveries, Clock clock, std::function<long()> monthlyLimit,
                         std::string node, Step step)
    : _database(database), _campaigns(campaigns), _audience(audience), _deliveries(deliveries),
      _clock(std::move(clock)), _monthlyLimit(std::move(monthlyLimit)), _node(std::move(node)),
      _step(std::move(step)), _sql(database.dialect())
{
}

const std::vector<std::string>& Automations::events()
{
    static const std::vector<std::string> names = {"orders.opened", "distribution.upcoming",
                                                   "session.upcoming", "member.joined"};
    return names;
}

std::string Automations::nowText() const
{
    return sqlTime(_clock());
}

long Automations::create(Automation rule, Campaign message, const std::vector<AutomationTarget>& audience)
{
    // Everything is checked before anything is written.
    if (rule.name.empty() || rule.name.size() > 200)
        throw FieldException("name", "required", "a rule needs a name of at most 200 characters");
    const AutomationTrigger& trigger = rule.trigger;
    if (trigger.isEvent())
    {
        if (std::find(events().begin(), events().end(), trigger.event) == events().end())
            throw FieldException("trigger.event", "unknown_event",
                                 "\"" + trigger.event +
                                     "\" is not a host event (orders.opened, distribution.upcoming, "
                                     "session.upcoming, member.joined)");
        if (trigger.delayMinutes < 0 || trigger.delayMinutes > 60 * 24 * 30)
            throw FieldException("trigger.delay_minutes", "out_of_range",
                                 "the delay is from 0 to 43200 minutes (30 days)");
    }
    else
        RecurringSchedule(trigger.cron, trigger.timeZone);
    if (rule.windowMinutes < 0 || rule.windowMinutes > 60 * 24 * 7)
        throw FieldException("window_minutes", "out_of_range",
                             "the window is from 0 to 10080 minutes (7 days)");
    if (audience.empty())
        throw FieldException("audience", "required", "a rule needs at least one target or filter to add");
    message.groupId = rule.groupId;
    message.createdBy = rule.createdBy;
    std::vector<CrmHost::Target> offered = _audience.targets(rule.groupId, message.recipientType);
    for (const AutomationTarget& choice : audience)
        if (std::none_of(offered.begin(), offered.end(),
                         [&](const CrmHost::Target& target) { return target.id == choice.target; }))
            throw FieldException("audience", "unknown_target",
                                 "this group offers no target \"" + choice.target + "\" for " +
                                     message.recipientType);

    // The model: the message and its audience as any campaign keeps them, never sent.
    message.name = rule.name;
    message.automatic = "model";
    long model = _campaigns.create(message);
    Campaign stored = *_campaigns.find(model);
    for (const AutomationTarget& choice : audience)
        _audience.addTarget(ownerOf(stored), choice.target, choice.params, choice.exclude);

    Poco::Data::Session session = _database.session();
    std::string kind = trigger.isEvent() ? "event" : "schedule", created = nowText();
    int paused = rule.paused ? 1 : 0;
    session
        << "INSERT INTO mm_automations (group_id, name, model_campaign_id, trigger_kind, cron, time_zone, "
           "event_name, delay_minutes, window_minutes, paused, created_by, created_at, builtin) VALUES (?, "
           "?, "
           "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(rule.groupId), use(rule.name), use(model), use(kind), bind(trigger.cron), bind(trigger.timeZone),
        bind(trigger.event), bind(trigger.delayMinutes), use(rule.windowMinutes), use(paused),
        use(rule.createdBy), use(created), use(rule.builtin), now;
    Poco::Int64 id = 0;
    session << _sql.lastInsertId(), into(id), now;
    return long(id);
}

std::vector<long> Automations::setUpNotifications(long groupId, long userId)
{
    if (_campaigns.groupKind(groupId) != "food")
        throw FieldException("group", "not_food", "the built-in notifications are those of a food group");
    std::vector<std::string> domains = _campaigns.verifiedDomains(groupId);
    if (domains.empty())
        throw FieldException("sender_email", "unverified_domain", "the group has no verified sending domain");
    struct BuiltIn
    {
        const char* builtin;
        const char* name;
        const char* event;
        long delay;
        const char* target;
        const char* declined;
        const char* subjectFr;
        const char* htmlFr;
        const char* subjectEn;
        const char* htmlEn;
    };
    // The member's own order lines (Campaigns::orderLines); a list, not a table, whose rows an
    // HTML parser would move out of the sections.
    const char* const SUMMARY_FR =
        "<p>Bonjour {{first_name}},</p><p>voici le rappel de votre commande pour la "
        "distribution du {{next_distribution_date}} ({{next_distribution_place}}) :</p><ul>"
        "{{#order.lines}}<li>{{quantity}} × {{product}} à {{price}} € : {{total}} €</li>{{/order.lines}}"
        "</ul>";
    const char* const SUMMARY_EN =
        "<p>Hello {{first_name}},</p><p>a reminder of your order for the distribution "
        "of {{next_distribution_date}} ({{next_distribution_place}}):</p><ul>"
        "{{#order.lines}}<li>{{quantity}} × {{product}} at €{{price}}: €{{total}}</li>{{/order.lines}}"
        "</ul>";
    const BuiltIn builtIns[] = {
        {"orders_opened", "Ouverture des commandes", "orders.opened", 0, "members.all",
         "members.declined_orders_opened", "Les commandes sont ouvertes",
         "<p>Bonjour {{first_name}},</p><p>les commandes de {{group_name}} sont ouvertes.</p>",
         "Orders are open", "<p>Hello {{first_name}},</p><p>the orders of {{group_name}} are open.</p>"},
        {"summary_24h", "Récapitulatif de commande (24 h avant)", "distribution.upcoming", 24 * 60,
         "members.ordered_next_distribution", "members.declined_summary_24h", "Votre commande pour demain",
         SUMMARY_FR, "Your order for tomorrow", SUMMARY_EN},
        {"summary_4h", "Récapitulatif de commande (4 h avant)", "distribution.upcoming", 4 * 60,
         "members.ordered_next_distribution", "members.declined_summary_4h",
         "Votre commande pour tout à l'heure", SUMMARY_FR, "Your order for today", SUMMARY_EN}};
    std::vector<Automation> existing = ofGroup(groupId);
    std::vector<long> created;
    for (const BuiltIn& builtIn : builtIns)
    {
        if (std::any_of(existing.begin(), existing.end(),
                        [&](const Automation& rule) { return rule.builtin == builtIn.builtin; }))
            continue;
        Automation rule;
        rule.groupId = groupId;
        rule.createdBy = userId;
        rule.name = builtIn.name;
        rule.builtin = builtIn.builtin;
        rule.trigger.event = builtIn.event;
        rule.trigger.delayMinutes = builtIn.delay;
        Campaign message;
        message.recipientType = "members";
        message.senderName = _campaigns.groupName(groupId);
        message.senderEmail = "notifications@" + domains.front();
        message.subject = builtIn.subjectFr;
        message.html = builtIn.htmlFr;
        message.versions = {{"en", builtIn.subjectEn, builtIn.htmlEn, ""}};
        created.push_back(create(rule, message, {{builtIn.target, {}, false}, {builtIn.declined, {}, true}}));
    }
    return created;
}

std::vector<Automation> Automations::select(const std::string& where, long parameter)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement << std::string("SELECT ") + COLUMNS + " FROM mm_automations WHERE " + where + " ORDER BY id",
        bind(parameter);
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    std::vector<Automation> rules;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext())
    {
        Automation rule;
        rule.id = number(rows.value(0));
        rule.groupId = number(rows.value(1));
        rule.name = rows.value(2).convert<std::string>();
        rule.modelCampaign = number(rows.value(3));
        bool event = rows.value(4).convert<std::string>() == "event";
        rule.trigger.cron = event ? "" : rows.value(5).convert<std::string>();
        rule.trigger.timeZone = rows.value(6).convert<std::string>();
        rule.trigger.event = event ? rows.value(7).convert<std::string>() : "";
        rule.trigger.delayMinutes = number(rows.value(8));
        rule.windowMinutes = number(rows.value(9));
        rule.paused = number(rows.value(10)) != 0;
        rule.createdBy = number(rows.value(11));
        rule.createdAt = text(rows.value(12));
        rule.builtin = rows.value(13).convert<std::string>();
        rules.push_back(rule);
    }
    return rules;
}

std::optional<Automation> Automations::find(long id)
{
    std::vector<Automation> rules = select("id = ?", id);
    if (rules.empty())
        return std::nullopt;
    return rules.front();
}

std::vector<Automation> Automations::ofGroup(long groupId)
{
    return select("group_id = ?", groupId);
}

void Automations::setPaused(long id, bool paused)
{
    if (!find(id))
        throw Poco::NotFoundException("automation " + std::to_string(id));
    int value = paused ? 1 : 0;
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_automations SET paused = ? WHERE id = ?", use(value), use(id), now;
}

AutomationOccurrence Automations::skipNext(long id)
{
    std::optional<Automation> rule = find(id);
    if (!rule)
        throw Poco::NotFoundException("automation " + std::to_string(id));
    for (const AutomationOccurrence& next : occurrences(id, 0, 1))
    {
        Poco::Data::Session session = _database.session();
        std::string status = "skipped", reason = "skipped";
        if (next.id)
            session
                << "UPDATE mm_automation_occurrences SET status = ?, reason = ? WHERE id = ? AND status = "
                   "'pending'",
                use(status), use(reason), bind(next.id), now;
        else
            session
                << "INSERT INTO mm_automation_occurrences (automation_id, occurrence_key, due_at, status, "
                   "reason) VALUES (?, ?, ?, ?, ?)" +
                       _sql.keepingTheFirst("automation_id, occurrence_key"),
                use(id), bind(next.key), bind(next.at), use(status), use(reason), now;
        AutomationOccurrence skipped = next;
        skipped.status = status;
        skipped.reason = reason;
        return skipped;
    }
    throw FieldException("trigger", "no_next_occurrence", "this rule has no occurrence to come");
}

long Automations::planned(const Automation& rule)
{
    std::optional<Campaign> model = _campaigns.find(rule.modelCampaign);
    if (!model)
        return 0;
    return _audience.resolve(ownerOf(*model), _monthlyLimit()).planned;
}

std::vector<AutomationOccurrence> Automations::occurrences(long id, std::size_t past, std::size_t next)
{
    std::optional<Automation> rule = find(id);
    if (!rule)
        throw Poco::NotFoundException("automation " + std::to_string(id));
    std::string at = nowText();
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement
        << "SELECT id, occurrence_key, CAST(due_at AS CHAR), status, reason, campaign_id, planned, "
           "event_data FROM mm_automation_occurrences WHERE automation_id = ? ORDER BY due_at DESC, id DESC",
        use(id);
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    std::vector<AutomationOccurrence> recorded;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext())
    {
        AutomationOccurrence o;
        o.id = number(rows.value(0));
        o.key = rows.value(1).convert<std::string>();
        o.at = text(rows.value(2));
        o.status = rows.value(3).convert<std::string>();
        o.reason = rows.value(4).convert<std::string>();
        o.campaign = number(rows.value(5));
        o.planned = number(rows.value(6));
        o.data = dataOf(rows.value(7).isEmpty() ? "" : rows.value(7).convert<std::string>());
        recorded.push_back(o);
    }

    // To come: the schedule's next times (a skipped one shows as skipped), or the events recorded.
    std::vector<AutomationOccurrence> coming;
    long size = next ? planned(*rule) : 0;
    auto recordedAt = [&](const std::string& key) -> const AutomationOccurrence*
    {
        for (const AutomationOccurrence& o : recorded)
            if (o.key == key)
                return &o;
        return nullptr;
    };
    if (!rule->trigger.isEvent())
    {
        RecurringSchedule schedule(rule->trigger.cron, rule->trigger.timeZone);
        for (const std::string& time : schedule.next(at, next + 5))
        {
            if (coming.size() >= next)
                break;
            const AutomationOccurrence* known = recordedAt("schedule:" + time);
            if (known && known->status == "skipped")
                continue; // shown skipped among those recorded; the next one takes its place
            AutomationOccurrence o;
            o.key = "schedule:" + time;
            o.at = time;
            o.status = "planned";
            o.planned = size;
            coming.push_back(o);
        }
    }
    else
        for (auto it = recorded.rbegin(); it != recorded.rend() && coming.size() < next; ++it)
            if (it->status == "pending" && it->at > at)
            {
                AutomationOccurrence o = *it;
                o.status = "planned";
                o.planned = size;
                coming.push_back(o);
            }
    // Past first (most recent first), then those to come in order; a skipped future one among the past.
    std::vector<AutomationOccurrence> all;
    for (const AutomationOccurrence& o : recorded)
        if (all.size() < past && (o.at <= at || o.status == "skipped"))
            all.push_back(o);
    all.insert(all.end(), coming.begin(), coming.end());
    return all;
}

void Automations::onEvent(const CrmHost::HostEvent& event)
{
    auto group = event.data.find("group");
    if (group == event.data.end() || event.id.empty() || event.at.empty())
        return;
    long groupId = std::stol(group->second);
    bool before = event.name.size() > 9 && event.name.compare(event.name.size() - 9, 9, ".upcoming") == 0;
    std::string data = dataJson(event.data);
    for (const Automation& rule : ofGroup(groupId))
    {
        if (rule.trigger.event != event.name)
            continue;
        std::string due = shifted(event.at, before ? -rule.trigger.delayMinutes : rule.trigger.delayMinutes);
        // Pending even for a paused rule: whether it is paused counts when the occurrence is due.
        std::string status = "pending", reason;
        Poco::Data::Session session = _database.session();
        session << "INSERT INTO mm_automation_occurrences (automation_id, occurrence_key, due_at, status, "
                   "reason, "
                   "event_data) VALUES (?, ?, ?, ?, ?, ?)" +
                       _sql.keepingTheFirst("automation_id, occurrence_key"),
            bind(rule.id), bind(event.id), use(due), use(status), use(reason), use(data), now;
    }
}

void Automations::recordScheduled(const Automation& rule, const std::string& at)
{
    RecurringSchedule schedule(rule.trigger.cron, rule.trigger.timeZone);
    Poco::Data::Session session = _database.session();
    std::string last;
    long id = rule.id;
    Poco::Nullable<std::string> latest;
    session << "SELECT CAST(MAX(due_at) AS CHAR) FROM mm_automation_occurrences WHERE automation_id = ?",
        use(id), into(latest), now;
    std::string from =
        std::max(rule.createdAt, sqlTime(_clock() - Poco::Timespan(LOOKBACK_DAYS, 0, 0, 0, 0)));
    if (!latest.isNull())
        from = std::max(from, latest.value().substr(0, 19));
    for (const std::string& time : schedule.between(from, at))
    {
        std::string key = "schedule:" + time;
        std::string status = rule.paused ? "skipped" : "pending", reason = rule.paused ? "paused" : "";
        session << "INSERT INTO mm_automation_occurrences (automation_id, occurrence_key, due_at, status, "
                   "reason) "
                   "VALUES (?, ?, ?, ?, ?)" +
                       _sql.keepingTheFirst("automation_id, occurrence_key"),
            use(id), use(key), bind(time), use(status), use(reason), now;
    }
}

bool Automations::runOnce()
{
    std::string at = nowText();
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> scheduled;
    session << "SELECT id FROM mm_automations WHERE trigger_kind = 'schedule'", into(scheduled), now;
    for (Poco::Int64 id : scheduled)
        if (std::optional<Automation> rule = find(long(id)))
            recordScheduled(*rule, at);
    int fired = 0;
    while (fired < 20 && fireNext(at))
        ++fired;
    return fired == 20;
}

bool Automations::fireNext(const std::string& at)
{
    // The oldest due occurrence, pending or held by a node whose lease ran out; taken by a
    // conditional update, so that of two nodes one only holds it.
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> candidates;
    session
        << "SELECT id FROM mm_automation_occurrences WHERE (status = 'pending' AND due_at <= ?) OR (status = "
           "'firing' AND lease_until < ?) ORDER BY due_at, id LIMIT 5",
        bind(at), bind(at), into(candidates), now;
    std::string lease = shifted(at, LEASE_MINUTES);
    for (Poco::Int64 candidate : candidates)
    {
        long id = long(candidate);
        Poco::Data::Statement take(session);
        take << "UPDATE mm_automation_occurrences SET status = 'firing', node = ?, lease_until = ? WHERE id "
                "= ? AND "
                "((status = 'pending' AND due_at <= ?) OR (status = 'firing' AND lease_until < ?))",
            use(_node), use(lease), use(id), bind(at), bind(at);
        if (take.execute() == 0)
            continue;
        if (_step)
            _step("claimed");
        fire(id, at);
        return true;
    }
    return false;
}

void Automations::finish(long occurrence, const std::string& status, const std::string& reason, long planned)
{
    std::string at = nowText();
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_automation_occurrences SET status = ?, reason = ?, planned = ?, fired_at = ?, "
               "lease_until = NULL WHERE id = ? AND status = 'firing' AND node = ?",
        bind(status), bind(reason.substr(0, 500)), use(planned), use(at), use(occurrence), use(_node), now;
}

long Automations::campaignFor(long occurrence, const Automation& rule, const AutomationOccurrence& row)
{
    if (row.campaign)
        return row.campaign;
    std::optional<Campaign> model = _campaigns.find(rule.modelCampaign);
    if (!model)
        throw FieldException("campaign", "no_model", "the rule's message is gone");
    Campaign copy = *model;
    copy.id = 0;
    copy.automatic = "occurrence";
    copy.name = rule.name + " — " +
                TimeZones::localOf(row.at, rule.trigger.timeZone.empty() ? "UTC" : rule.trigger.timeZone)
                    .substr(0, 16);
    long created = _campaigns.create(copy);
    // An event about a distribution: the campaign's date, place and order lines are that one's.
    auto distribution = row.data.find("distribution");
    if (distribution != row.data.end() && !distribution->second.empty())
        _campaigns.setDistribution(created, std::stol(distribution->second));
    // Recorded before anything else: the one campaign of this occurrence is the one in the row.
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_automation_occurrences SET campaign_id = ? WHERE id = ? AND campaign_id IS NULL",
        use(created), use(occurrence), now;
    Poco::Int64 recorded = 0;
    session << "SELECT campaign_id FROM mm_automation_occurrences WHERE id = ?", use(occurrence),
        into(recorded), now;
    if (_step)
        _step("created");
    return long(recorded);
}

void Automations::fire(long occurrence, const std::string& at)
{
    AutomationOccurrence row;
    long automation = 0;
    {
        Poco::Data::Session session = _database.session();
        Poco::Data::Statement statement(session);
        statement
            << "SELECT automation_id, occurrence_key, CAST(due_at AS CHAR), campaign_id, event_data FROM "
               "mm_automation_occurrences WHERE id = ?",
            use(occurrence);
        statement.execute();
        Poco::Data::RecordSet rows(statement);
        automation = number(rows.value(0, 0));
        row.key = rows.value(1, 0).convert<std::string>();
        row.at = text(rows.value(2, 0));
        row.campaign = number(rows.value(3, 0));
        row.data = dataOf(rows.value(4, 0).isEmpty() ? "" : rows.value(4, 0).convert<std::string>());
    }
    std::optional<Automation> rule = find(automation);
    if (!rule)
        return finish(occurrence, "skipped", "the rule is gone", 0);
    if (rule->paused && !row.campaign)
        return finish(occurrence, "skipped", "paused", 0);
    long late = minutesBetween(row.at, at);
    if (late > rule->windowMinutes && !row.campaign)
        return finish(occurrence, "skipped",
                      "missed: found " + std::to_string(late) +
                          " minutes after its time, the rule's window is " +
                          std::to_string(rule->windowMinutes) + " minutes",
                      0);
    try
    {
        long campaign = campaignFor(occurrence, *rule, row);
        Campaign c = *_campaigns.find(campaign);
        if (!Deliveries::editable(_deliveries.status(campaign)))
        {
            // Scheduled by a node that stopped before it could say so.
            std::map<std::string, long> counts = _deliveries.counts(campaign);
            return finish(occurrence, "sent",
                          late > 0 ? "sent " + std::to_string(late) + " minutes late" : "",
                          counts["queued"] + counts["in_flight"] + counts["sent"] + counts["failed"] +
                              counts["in_doubt"]);
        }
        AudienceOwner owner = ownerOf(c);
        // The audience is the model's, resolved now; loaded once into this campaign.
        if (_audience.sources(campaign).empty())
        {
            for (const AudienceSource& source : _audience.sources(rule->modelCampaign))
                if (source.kind == "target")
                    _audience.addTarget(owner, source.targetId, filled(source.params, row.data),
                                        source.action == "exclude");
        }
        AudienceSummary summary = _audience.resolve(owner, _monthlyLimit());
        if (_step)
            _step("resolved");
        if (summary.planned == 0)
            return finish(occurrence, "empty", "nobody to send to at that moment", 0);
        _deliveries.schedule(campaign, SendPlan{}, false, _monthlyLimit());
        if (_step)
            _step("scheduled");
        finish(occurrence, "sent", late > 0 ? "sent " + std::to_string(late) + " minutes late" : "",
               summary.planned);
    }
    catch (const QuotaException& error)
    {
        finish(occurrence, "failed", "over the monthly quota: " + error.message(), 0);
    }
    catch (const FieldException& error)
    {
        finish(occurrence, "failed", error.field() + ": " + error.message(), 0);
    }
}
} // namespace MassMailing
