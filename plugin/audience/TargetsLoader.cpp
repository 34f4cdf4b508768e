#include "audience/TargetsLoader.h"
#include "SqlTime.h"
#include "audience/SavedFilter.h"
#include <Poco/Bugcheck.h>
#include <Poco/Data/Session.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <map>
#include <memory>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// Where a target applies.
enum class Where
{
    Food,
    FoodWithFees,
    Amap,
    FoodOrStudio,
    Studio,
    Crm
};

struct Rule
{
    const char* id;
    const char* recipientType;
    const char* kind;
    Where where;
    bool parameterised; /// Listed once per catalogue, session, filter...: not as it is.
};

// Every target of the loader; the food lists in the order of the seed's "Destinataires".
const Rule RULES[] = {
    {"members.all", "members", "list", Where::FoodOrStudio, false},
    {"members.admins", "members", "list", Where::Food, false},
    {"members.catalogue_contacts", "members", "list", Where::Food, false},
    {"members.test", "members", "list", Where::Food, false},
    {"members.without_order", "members", "list", Where::Food, false},
    {"members.with_order", "members", "list", Where::Food, false},
    {"members.fees_to_renew", "members", "list", Where::FoodWithFees, false},
    {"members.fees_up_to_date", "members", "list", Where::FoodWithFees, false},
    {"members.never_logged_in", "members", "list", Where::Food, false},
    {"members.waiting_list", "members", "list", Where::Food, false},
    {"members.ordered_next_distribution", "members", "list", Where::Food, false},
    {"members.not_ordered_next_distribution", "members", "list", Where::Food, false},
    {"members.amap_contract", "members", "list", Where::Amap, false},
    // Those who switched a notification of the group off in "My account → Notifications" (seed
    // 002), for the built-in automatic messages to exclude: the host's notification_settings.
    {"members.declined_orders_opened", "members", "list", Where::Food, false},
    {"members.declined_summary_24h", "members", "list", Where::Food, false},
    {"members.declined_summary_4h", "members", "list", Where::Food, false},
    {"members.catalogue_buyers", "members", "list", Where::Food, true},
    {"members.to_collect", "members", "list", Where::Amap, true},
    {"members.filter", "members", "filter", Where::FoodOrStudio, true},
    // One member {person}, for the inbox's member conversations (M3): never listed.
    {"members.person", "members", "list", Where::FoodOrStudio, true},
    {"session.booked", "members", "session", Where::Studio, true},
    {"session.waiting", "members", "session", Where::Studio, true},
    {"session.cancelled", "members", "session", Where::Studio, true},
    {"contacts.all", "contacts", "list", Where::Crm, false},
    {"contacts.filter", "contacts", "filter", Where::Crm, true},
    {"accounts.all", "accounts", "list", Where::Crm, false},
    {"accounts.filter", "accounts", "filter", Where::Crm, true},
    {"leads.all", "leads", "list", Where::Crm, false},
    {"leads.filter", "leads", "filter", Where::Crm, true},
    {"targets.list", "targets", "target", Where::Crm, true},
};

const Rule* findRule(const std::string& id)
{
    for (const Rule& rule : RULES)
    {
        if (id == rule.id)
            return &rule;
    }
    return nullptr;
}

bool applies(Where where, const std::string& kind, bool managesFees, bool isAmap)
{
    switch (where)
    {
    case Where::Food:
        return kind == "food";
    case Where::FoodWithFees:
        return kind == "food" && managesFees;
    case Where::Amap:
        return kind == "food" && isAmap;
    case Where::FoodOrStudio:
        return kind == "food" || kind == "studio";
    case Where::Studio:
        return kind == "studio";
    case Where::Crm:
        return kind == "crm";
    }
    return false;
}

CrmHost::Target makeTarget(const char* id, std::map<std::string, std::string> params = {})
{
    const Rule* rule = findRule(id);
    poco_check_ptr(rule);
    return {rule->id, std::string("massmailing.target.") + rule->id, rule->recipientType, rule->kind,
            std::move(params)};
}

// The moments the lists depend on, as the bound strings docs/data-model.md prescribes
// (they compare the same way with SQLite's text and MariaDB's DATETIME and DATE columns).
struct Moment
{
    explicit Moment(const Poco::DateTime& time)
        : now(format(time)), today(Poco::DateTimeFormatter::format(time, "%Y-%m-%d")),
          collectUntil(format(time + Poco::Timespan(14, 0, 0, 0, 0))),
          sessionsFrom(format(time - Poco::Timespan(7, 0, 0, 0, 0))),
          sessionsUntil(format(time + Poco::Timespan(30, 0, 0, 0, 0)))
    {
    }

    static std::string format(const Poco::DateTime& time) { return sqlTime(time); }

    std::string now, today, collectUntil, sessionsFrom, sessionsUntil;
};

// The SQL is the same on SQLite and MariaDB: no dialect-specific syntax, dates bound as
// strings. Each statement yields the standard columns; "?" are bound in textual order.

// A person, from people p.
const std::string PERSON =
    "'person' AS kind, p.id AS id, COALESCE(p.email, '') AS email, "
    "COALESCE(p.first_name, '') AS first_name, COALESCE(p.last_name, '') AS last_name, "
    "'' AS company, COALESCE(p.locale, 'fr') AS locale, COALESCE(p.phone, '') AS phone";

// The group's members (one row per person: memberships' key is (group, person)); takes the group.
const std::string MEMBERS =
    "SELECT " + PERSON + " FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.group_id = ?";

// The people whose id the subquery yields, each once.
std::string peopleIn(const std::string& subquery)
{
    return "SELECT " + PERSON + " FROM people p WHERE p.id IN (" + subquery + ")";
}

// The id of the group's next distribution; takes the group and the time.
const std::string NEXT_DISTRIBUTION = "(SELECT d.id FROM distributions d WHERE d.group_id = ? AND "
                                      "d.starts_at > ? ORDER BY d.starts_at, d.id LIMIT 1)";

// A condition on the row of a CRM table aliased alias, appending its bindings; empty: none.
using Condition = std::function<std::string(const std::string& alias, std::vector<std::string>& bindings)>;

std::string andAlso(const Condition& condition, const std::string& alias, std::vector<std::string>& bindings)
{
    return condition ? " AND " + condition(alias, bindings) : std::string();
}

// CRM contacts, one row per person: a person with several contact rows that match takes
// the company of the first one.
std::string contacts(const std::string& group, const Condition& condition, std::vector<std::string>& bindings)
{
    bindings.push_back(group);
    std::string sql = "SELECT 'person' AS kind, p.id AS id, COALESCE(p.email, '') AS email, "
                      "COALESCE(p.first_name, '') AS first_name, COALESCE(p.last_name, '') AS last_name, "
                      "COALESCE(a.name, '') AS company, COALESCE(p.locale, 'fr') AS locale, "
                      "COALESCE(p.phone, '') AS phone "
                      "FROM crm_contacts c JOIN people p ON p.id = c.person_id "
                      "LEFT JOIN crm_accounts a ON a.id = c.account_id WHERE c.group_id = ?" +
                      andAlso(condition, "c", bindings);
    sql += " AND NOT EXISTS (SELECT 1 FROM crm_contacts d WHERE d.person_id = c.person_id AND "
           "d.group_id = c.group_id AND d.id < c.id" +
           andAlso(condition, "d", bindings) + ")";
    return sql;
}

// CRM accounts, reached at their own address.
std::string accounts(const std::string& group, const Condition& condition, std::vector<std::string>& bindings)
{
    bindings.push_back(group);
    return "SELECT 'account' AS kind, a.id AS id, COALESCE(a.email, '') AS email, '' AS first_name, "
           "'' AS last_name, COALESCE(a.name, '') AS company, 'fr' AS locale, COALESCE(a.phone, '') AS phone "
           "FROM crm_accounts a "
           "WHERE a.group_id = ?" +
           andAlso(condition, "a", bindings);
}

// CRM leads: a person's address and name when the lead is a person, else the lead's own.
std::string leads(const std::string& group, const Condition& condition, std::vector<std::string>& bindings)
{
    bindings.push_back(group);
    auto own = [](const char* column)
    {
        return std::string("CASE WHEN l.person_id IS NULL THEN COALESCE(l.") + column +
               ", '') ELSE COALESCE(p." + column + ", '') END AS " + column;
    };
    return "SELECT 'lead' AS kind, l.id AS id, " + own("email") + ", " + own("first_name") + ", " +
           own("last_name") +
           ", COALESCE(l.company, '') AS company, COALESCE(p.locale, 'fr') AS locale, COALESCE(p.phone, '') "
           "AS "
           "phone "
           "FROM crm_leads l LEFT JOIN people p ON p.id = l.person_id WHERE l.group_id = ?" +
           andAlso(condition, "l", bindings);
}

// The members of a CRM target of one member type.
Condition inTarget(const std::string& target, const char* memberType)
{
    return [target, memberType](const std::string& alias, std::vector<std::string>& bindings)
    {
        bindings.push_back(target);
        return alias +
               ".id IN (SELECT tm.member_id FROM crm_target_members tm WHERE tm.target_id = ? AND "
               "tm.member_type = '" +
               memberType + "')";
    };
}

long idParameter(const CrmHost::Target& target, const std::string& name)
{
    auto it = target.params.find(name);
    if (it == target.params.end() || it->second.empty())
        throw Poco::InvalidArgumentException(name, "target " + target.id + " needs the parameter " + name);
    const std::string& text = it->second;
    Poco::Int64 id = 0;
    if (text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        !Poco::NumberParser::tryParse64(text, id) || id <= 0)
        throw Poco::InvalidArgumentException(name, "\"" + text + "\" is not an id");
    return static_cast<long>(id);
}
} // namespace

TargetsLoader::TargetsLoader(CrmHost::Database& database)
    : TargetsLoader(database, [] { return Poco::DateTime(); })
{
}

TargetsLoader::TargetsLoader(CrmHost::Database& database, Clock clock)
    : _database(database), _clock(std::move(clock))
{
}

std::string TargetsLoader::name() const
{
    return "massmailing.targets";
}

bool TargetsLoader::findGroup(long groupId, Group& group) const
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 id = groupId;
    std::vector<std::string> kinds;
    std::vector<int> fees, amap;
    session << "SELECT kind, manages_fees, is_amap FROM host_groups WHERE id = ?", use(id), into(kinds),
        into(fees), into(amap), now;
    if (kinds.empty())
        return false;
    group.kind = kinds.front();
    group.managesFees = fees.front() != 0;
    group.isAmap = amap.front() != 0;
    return true;
}

std::vector<CrmHost::Target> TargetsLoader::targets(long groupId) const
{
    std::vector<CrmHost::Target> targets;
    Group group;
    if (!findGroup(groupId, group))
        return targets;
    if (group.kind == "food")
        listFood(groupId, group, targets);
    else if (group.kind == "crm")
        listCrm(groupId, targets);
    else if (group.kind == "studio")
        listStudio(groupId, targets);
    return targets;
}

void TargetsLoader::listFood(long groupId, const Group& group, std::vector<CrmHost::Target>& targets) const
{
    for (const Rule& rule : RULES)
    {
        if (!rule.parameterised && applies(rule.where, group.kind, group.managesFees, group.isAmap))
            targets.push_back(makeTarget(rule.id));
    }

    Poco::Data::Session session = _database.session();
    Poco::Int64 id = groupId;
    std::vector<Poco::Int64> catalogues;
    std::vector<std::string> names;
    session << "SELECT id, name FROM catalogues WHERE group_id = ? AND active = 1 ORDER BY id", use(id),
        into(catalogues), into(names), now;
    for (std::size_t i = 0; i < catalogues.size(); ++i)
        targets.push_back(
            makeTarget("members.catalogue_buyers",
                       {{"catalogue", std::to_string(catalogues[i])}, {"catalogue_name", names[i]}}));

    if (group.isAmap)
    {
        // Per producer, as the seed says: each active catalogue ordered at each distribution of the
        // next 14 days.
        Moment moment(_clock());
        std::vector<Poco::Int64> distributions, ordered;
        std::vector<Poco::DateTime> starts;
        names.clear();
        session
            << "SELECT d.id, d.starts_at, c.id, c.name FROM distributions d "
               "JOIN catalogues c ON c.group_id = d.group_id AND c.active = 1 "
               "WHERE d.group_id = ? AND d.starts_at > ? AND d.starts_at <= ? "
               "AND EXISTS (SELECT 1 FROM orders o WHERE o.distribution_id = d.id AND o.catalogue_id = c.id) "
               "ORDER BY d.starts_at, d.id, c.id",
            use(id), use(moment.now), use(moment.collectUntil), into(distributions), into(starts),
            into(ordered), into(names), now;
        for (std::size_t i = 0; i < distributions.size(); ++i)
            targets.push_back(makeTarget("members.to_collect",
                                         {{"distribution", std::to_string(distributions[i])},
                                          {"date", Poco::DateTimeFormatter::format(starts[i], "%Y-%m-%d")},
                                          {"catalogue", std::to_string(ordered[i])},
                                          {"catalogue_name", names[i]}}));
    }
    listFilters(groupId, {"members"}, targets);
}

void TargetsLoader::listCrm(long groupId, std::vector<CrmHost::Target>& targets) const
{
    for (const char* type : {"contacts", "accounts", "leads"})
    {
        targets.push_back(makeTarget((std::string(type) + ".all").c_str()));
        listFilters(groupId, {type}, targets);
    }
    Poco::Data::Session session = _database.session();
    Poco::Int64 id = groupId;
    std::vector<Poco::Int64> ids;
    std::vector<std::string> names;
    session << "SELECT id, name FROM crm_targets WHERE group_id = ? ORDER BY id", use(id), into(ids),
        into(names), now;
    for (std::size_t i = 0; i < ids.size(); ++i)
        targets.push_back(
            makeTarget("targets.list", {{"target", std::to_string(ids[i])}, {"target_name", names[i]}}));
}

void TargetsLoader::listStudio(long groupId, std::vector<CrmHost::Target>& targets) const
{
    targets.push_back(makeTarget("members.all"));
    listFilters(groupId, {"members"}, targets);

    Moment moment(_clock());
    Poco::Data::Session session = _database.session();
    Poco::Int64 id = groupId;
    std::vector<Poco::Int64> sessions;
    std::vector<std::string> titles;
    std::vector<Poco::DateTime> starts;
    session << "SELECT id, title, starts_at FROM studio_sessions WHERE group_id = ? AND starts_at >= ? AND "
               "starts_at <= ? ORDER BY starts_at, id",
        use(id), use(moment.sessionsFrom), use(moment.sessionsUntil), into(sessions), into(titles),
        into(starts), now;
    for (std::size_t i = 0; i < sessions.size(); ++i)
    {
        for (const char* audience : {"session.booked", "session.waiting", "session.cancelled"})
            targets.push_back(makeTarget(
                audience, {{"session", std::to_string(sessions[i])},
                           {"session_title", titles[i]},
                           {"date", Poco::DateTimeFormatter::format(starts[i], "%Y-%m-%d %H:%M")}}));
    }
}

void TargetsLoader::listFilters(long groupId, const std::vector<std::string>& types,
                                std::vector<CrmHost::Target>& targets) const
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 id = groupId;
    std::vector<Poco::Int64> ids;
    std::vector<std::string> names, recipientTypes;
    session << "SELECT id, name, recipient_type FROM saved_filters WHERE group_id = ? ORDER BY id", use(id),
        into(ids), into(names), into(recipientTypes), now;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (std::find(types.begin(), types.end(), recipientTypes[i]) != types.end())
            targets.push_back(makeTarget((recipientTypes[i] + ".filter").c_str(),
                                         {{"filter", std::to_string(ids[i])}, {"filter_name", names[i]}}));
    }
}

void TargetsLoader::checkOwned(const char* table, const char* parameter, long id, long groupId) const
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 key = id;
    std::vector<Poco::Int64> owners;
    // table is one of the loader's own literals.
    session << std::string("SELECT group_id FROM ") + table + " WHERE id = ?", use(key), into(owners), now;
    if (owners.empty())
        throw Poco::InvalidArgumentException(parameter,
                                             std::string("no ") + parameter + " " + std::to_string(id));
    if (owners.front() != groupId)
        throw Poco::InvalidArgumentException(parameter, std::string(parameter) + " " + std::to_string(id) +
                                                            " belongs to another group than " +
                                                            std::to_string(groupId));
}

CrmHost::RecipientQuery TargetsLoader::filterQuery(const CrmHost::Target& target, long groupId,
                                                   const std::string& recipientType) const
{
    long filterId = idParameter(target, "filter");
    Poco::Data::Session session = _database.session();
    Poco::Int64 key = filterId;
    std::vector<Poco::Int64> owners;
    std::vector<std::string> names, types, definitions;
    session << "SELECT group_id, name, recipient_type, definition FROM saved_filters WHERE id = ?", use(key),
        into(owners), into(names), into(types), into(definitions), now;
    if (owners.empty())
        throw Poco::InvalidArgumentException("filter", "no filter " + std::to_string(filterId));
    if (owners.front() != groupId)
        throw Poco::InvalidArgumentException("filter", "filter " + std::to_string(filterId) +
                                                           " belongs to another group than " +
                                                           std::to_string(groupId));
    if (types.front() != recipientType)
        throw Poco::InvalidArgumentException("filter", "filter " + std::to_string(filterId) + " selects " +
                                                           types.front() + ", not " + recipientType);
    auto filter = std::make_shared<SavedFilter>(filterId, names.front(), types.front(), definitions.front());
    Condition condition = [filter](const std::string& alias, std::vector<std::string>& bindings)
    { return filter->condition(alias, bindings); };

    CrmHost::RecipientQuery query;
    query.hasPhone = true;
    std::string group = std::to_string(groupId);
    if (recipientType == "contacts")
        query.sql = contacts(group, condition, query.bindings);
    else if (recipientType == "accounts")
        query.sql = accounts(group, condition, query.bindings);
    else if (recipientType == "leads")
        query.sql = leads(group, condition, query.bindings);
    else
    {
        query.bindings.push_back(group);
        query.sql = MEMBERS + " AND " + condition("p", query.bindings);
    }
    return query;
}

CrmHost::RecipientQuery TargetsLoader::query(const CrmHost::Target& target, long groupId,
                                             CrmHost::Dialect /* the SQL is the same for both */) const
{
    Group group;
    if (!findGroup(groupId, group))
        throw Poco::NotFoundException("group", std::to_string(groupId));
    const Rule* rule = findRule(target.id);
    if (rule == nullptr || !applies(rule->where, group.kind, group.managesFees, group.isAmap))
        throw Poco::NotFoundException("target", "\"" + target.id + "\" is not a target of group " +
                                                    std::to_string(groupId));
    if (!target.recipientType.empty() && target.recipientType != rule->recipientType)
        throw Poco::InvalidArgumentException("recipientType", "target " + target.id + " selects " +
                                                                  rule->recipientType + ", not " +
                                                                  target.recipientType);

    const std::string id = target.id, g = std::to_string(groupId);
    const Moment moment(_clock());
    CrmHost::RecipientQuery q;
    q.hasPhone = true; // every query yields phone too (issue 15)
    auto bind = [&q](std::initializer_list<std::string> values)
    { q.bindings.insert(q.bindings.end(), values.begin(), values.end()); };

    if (id == "members.all")
    {
        q.sql = MEMBERS;
        bind({g});
    }
    else if (id == "members.admins")
    {
        // A derived table, not "IN (... UNION ...)": MariaDB would test the union for every person.
        q.sql =
            "SELECT " + PERSON +
            " FROM (SELECT ga.person_id FROM group_admins ga WHERE ga.group_id = ? UNION SELECT u.person_id "
            "FROM users u JOIN user_rights r ON r.user_id = u.id WHERE r.group_id = ? AND "
            "u.person_id IS NOT NULL) x JOIN people p ON p.id = x.person_id";
        bind({g, g});
    }
    else if (id == "members.catalogue_contacts")
    {
        q.sql = peopleIn("SELECT cc.person_id FROM catalogue_contacts cc JOIN catalogues c ON c.id = "
                         "cc.catalogue_id WHERE c.group_id = ? AND c.active = 1");
        bind({g});
    }
    else if (id == "members.test")
    {
        q.sql =
            peopleIn("SELECT t.person_id FROM test_recipients t WHERE t.group_id = ? AND t.person_id IS NOT "
                     "NULL") +
            " UNION ALL SELECT DISTINCT 'person' AS kind, 0 AS id, COALESCE(t.email, '') AS email, '' AS "
            "first_name, '' AS last_name, '' AS company, 'fr' AS locale, '' AS phone FROM test_recipients t "
            "WHERE "
            "t.group_id = ? AND t.person_id IS NULL";
        bind({g, g});
    }
    else if (id == "members.without_order")
    {
        q.sql = MEMBERS + " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.person_id = m.person_id AND "
                          "o.group_id = m.group_id)";
        bind({g});
    }
    else if (id == "members.with_order")
    {
        // People who left keep their orders, and stay in this list (as the seed says).
        q.sql = peopleIn("SELECT o.person_id FROM orders o WHERE o.group_id = ?");
        bind({g});
    }
    else if (id == "members.fees_to_renew" || id == "members.fees_up_to_date")
    {
        q.sql =
            MEMBERS + (id == "members.fees_to_renew" ? " AND NOT EXISTS" : " AND EXISTS") +
            " (SELECT 1 FROM membership_fees f WHERE f.group_id = m.group_id AND f.person_id = m.person_id "
            "AND f.valid_until >= ?)";
        bind({g, moment.today});
    }
    else if (id == "members.never_logged_in")
    {
        q.sql = MEMBERS + " AND p.last_login_at IS NULL";
        bind({g});
    }
    else if (id == "members.waiting_list")
    {
        q.sql = "SELECT " + PERSON +
                " FROM waiting_list w JOIN people p ON p.id = w.person_id WHERE w.group_id = ?";
        bind({g});
    }
    else if (id == "members.ordered_next_distribution")
    {
        q.sql = MEMBERS +
                " AND EXISTS (SELECT 1 FROM orders o WHERE o.distribution_id = " + NEXT_DISTRIBUTION +
                " AND o.person_id = m.person_id)";
        bind({g, g, moment.now});
    }
    else if (id == "members.not_ordered_next_distribution")
    {
        // Nobody when there is no next distribution, rather than everybody.
        q.sql = MEMBERS +
                " AND EXISTS (SELECT 1 FROM distributions d WHERE d.group_id = ? AND d.starts_at > ?)" +
                " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.distribution_id = " + NEXT_DISTRIBUTION +
                " AND o.person_id = m.person_id)";
        bind({g, g, moment.now, g, moment.now});
    }
    else if (id == "members.declined_orders_opened" || id == "members.declined_summary_24h")
    {
        // Off, or (the summary) chosen 4 hours before: no row means on, 24 hours before.
        bool summary = id == "members.declined_summary_24h";
        q.sql = MEMBERS +
                " AND EXISTS (SELECT 1 FROM notification_settings n WHERE n.person_id = m.person_id AND "
                "n.group_id = m.group_id AND n.notification = '" +
                std::string(summary ? "order_summary" : "orders_opened") + "' AND (n.enabled = 0" +
                (summary ? " OR n.lead_hours = 4" : "") + "))";
        bind({g});
    }
    else if (id == "members.declined_summary_4h")
    {
        // Everyone but those who chose the summary on, 4 hours before.
        q.sql = MEMBERS +
                " AND NOT EXISTS (SELECT 1 FROM notification_settings n WHERE n.person_id = m.person_id AND "
                "n.group_id = m.group_id AND n.notification = 'order_summary' AND n.enabled = 1 AND "
                "n.lead_hours = 4)";
        bind({g});
    }
    else if (id == "members.amap_contract")
    {
        q.sql = MEMBERS +
                " AND EXISTS (SELECT 1 FROM amap_contracts a JOIN catalogues c ON c.id = a.catalogue_id "
                "WHERE a.person_id = m.person_id AND c.group_id = m.group_id AND a.starts_on <= ? AND "
                "a.ends_on >= ?)";
        bind({g, moment.today, moment.today});
    }
    else if (id == "members.catalogue_buyers")
    {
        // A catalogue made inactive since the campaign was prepared still resolves.
        long catalogue = idParameter(target, "catalogue");
        checkOwned("catalogues", "catalogue", catalogue, groupId);
        q.sql = peopleIn("SELECT o.person_id FROM orders o WHERE o.catalogue_id = ?");
        bind({std::to_string(catalogue)});
    }
    else if (id == "members.to_collect")
    {
        long distribution = idParameter(target, "distribution");
        checkOwned("distributions", "distribution", distribution, groupId);
        if (target.params.count("catalogue") == 0)
        {
            // Without a catalogue: everything to collect at the distribution, from every producer.
            q.sql = peopleIn("SELECT o.person_id FROM orders o WHERE o.distribution_id = ?");
            bind({std::to_string(distribution)});
        }
        else
        {
            long catalogue = idParameter(target, "catalogue");
            checkOwned("catalogues", "catalogue", catalogue, groupId);
            q.sql = peopleIn(
                "SELECT o.person_id FROM orders o WHERE o.distribution_id = ? AND o.catalogue_id = ?");
            bind({std::to_string(distribution), std::to_string(catalogue)});
        }
    }
    else if (id == "members.person")
    {
        // Only a member of the group: the memberships' join keeps anyone else out.
        q.sql = MEMBERS + " AND p.id = ?";
        bind({g, std::to_string(idParameter(target, "person"))});
    }
    else if (id == "session.booked" || id == "session.waiting" || id == "session.cancelled")
    {
        long session = idParameter(target, "session");
        checkOwned("studio_sessions", "session", session, groupId);
        q.sql = "SELECT " + PERSON +
                " FROM studio_bookings b JOIN people p ON p.id = b.person_id WHERE b.session_id = ? AND "
                "b.status = ?";
        bind({std::to_string(session), id.substr(std::string("session.").size())});
    }
    else if (id == "contacts.all")
        q.sql = contacts(g, nullptr, q.bindings);
    else if (id == "accounts.all")
        q.sql = accounts(g, nullptr, q.bindings);
    else if (id == "leads.all")
        q.sql = leads(g, nullptr, q.bindings);
    else if (id == "targets.list")
    {
        long crmTarget = idParameter(target, "target");
        checkOwned("crm_targets", "target", crmTarget, groupId);
        std::string t = std::to_string(crmTarget);
        q.sql = contacts(g, inTarget(t, "contact"), q.bindings);
        q.sql += " UNION ALL " + accounts(g, inTarget(t, "account"), q.bindings);
        q.sql += " UNION ALL " + leads(g, inTarget(t, "lead"), q.bindings);
    }
    else
        q = filterQuery(target, groupId, rule->recipientType);
    return q;
}
} // namespace MassMailing
