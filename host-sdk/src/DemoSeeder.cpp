#include "DemoSeeder.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Format.h>
#include <Poco/Stopwatch.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <algorithm>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
// Fixed ids: the seeder fills an empty database, so ids are part of the deterministic output.
const long FoodGroup = 1;
const long Food2Group = 2;
const long CrmGroup = 3;
const long StudioGroup = 4;

/// Everything that differs between SQLite and MySQL/MariaDB in the seeding SQL.
class DemoSql
{
public:
    explicit DemoSql(Dialect dialect) : _mysql(dialect == Dialect::MySQL) {}

    /// A derived table with one column n = 1..count.
    std::string numbers(long count) const
    {
        // MariaDB's SEQUENCE engine; recursive CTEs there stop at max_recursive_iterations.
        if (_mysql)
            return "(SELECT seq AS n FROM seq_1_to_" + std::to_string(count) + ")";
        return "(WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " +
               std::to_string(count) + ") SELECT n FROM seq)";
    }

    std::string concat(const std::vector<std::string>& parts) const
    {
        if (_mysql)
            return "CONCAT(" + Poco::cat(std::string(", "), parts.begin(), parts.end()) + ")";
        // || binds tighter than + in SQLite: every part gets its own parentheses.
        std::string text;
        for (const auto& part : parts)
            text += (text.empty() ? "((" : " || (") + part + ")";
        return text + ")";
    }

    /// A DATETIME: datetime minus seconds; safe with MariaDB's unsigned sequence numbers.
    std::string minusSeconds(const std::string& datetime, const std::string& seconds) const
    {
        return _mysql ? "DATE_SUB(" + datetime + ", INTERVAL (" + seconds + ") SECOND)"
                      : "datetime(" + datetime + ", '-' || (" + seconds + ") || ' seconds')";
    }

    /// A DATE: the day of datetime plus days (a signed integer expression).
    std::string plusDays(const std::string& datetime, const std::string& days) const
    {
        return _mysql ? "DATE(DATE_ADD(" + datetime + ", INTERVAL (" + days + ") DAY))"
                      : "date(" + datetime + ", (" + days + ") || ' days')";
    }

    std::string tableOptions() const
    {
        return _mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
    }

    /// Session settings for loading generated rows, which are consistent by construction.
    /// MariaDB then builds the indexes of a table filled from empty by sorting (bulk insert).
    std::vector<std::string> bulkLoadSettings() const
    {
        if (_mysql)
            return {"SET SESSION unique_checks = 0", "SET SESSION foreign_key_checks = 0"};
        return {"PRAGMA foreign_keys = OFF", "PRAGMA cache_size = -262144"};
    }

    /// The defaults again, before the session goes back to the pool.
    std::vector<std::string> defaultSettings() const
    {
        if (_mysql)
            return {"SET SESSION unique_checks = 1", "SET SESSION foreign_key_checks = 1"};
        return {"PRAGMA foreign_keys = ON", "PRAGMA cache_size = -2000"};
    }

private:
    bool _mysql;
};

/// A pseudo-random number in [0, 1000003) from an id expression and the seed; each salt
/// gives an independent attribute. Values stay below 2^63 for ids up to 10^9.
std::string hash(int salt, const std::string& id, long seed)
{
    static const char* multipliers[] = {"2654435761", "2246822519", "3266489917", "1103515245", "1597334677",
                                        "3812015801", "1812433253", "1566083941", "2891336453", "1013904223",
                                        "4164903393", "2147483629", "1540483477", "3432918353", "2869860233",
                                        "3735928559", "2166136261", "1500450271", "3037000493", "2971215073",
                                        "1836311903", "2584418431", "4049341703", "3141592653"};
    static const char* offsets[] = {"40503", "48271", "16807", "65539", "69621", "39373", "45991", "50021",
                                    "62089", "57047", "31337", "27644", "44497", "86243", "21701", "23209",
                                    "19937", "11213", "99991", "77347", "52361", "34961", "71993", "60013"};
    const int n = static_cast<int>(sizeof(multipliers) / sizeof(multipliers[0]));
    // A linear step alone repeats patterns in small moduli: square it.
    // The seed is a number of ours, written into the text so that the planners see
    // expressions of the row's id only (SQLite would otherwise join in the wrong order).
    const std::string linear = "((" + id + ") * " + multipliers[salt % n] + " + " + std::to_string(seed) +
                               " * " + offsets[salt % n] + ") % 1000003";
    return "((" + linear + ") * (" + linear + ") % 1000003 + " + offsets[salt % n] + ") % 1000003";
}

std::string quote(const std::string& text)
{
    return "'" + Poco::replace(text, "'", "''") + "'";
}

std::string sqlTime(const Poco::DateTime& time)
{
    return quote(Poco::DateTimeFormatter::format(time, "%Y-%m-%d %H:%M:%S"));
}

/// One multi-row INSERT of literal rows: for the small fixed tables only.
std::string insertRows(const std::string& table, const std::string& columns,
                       const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::string> values;
    for (const auto& row : rows)
        values.push_back("(" + Poco::cat(std::string(", "), row.begin(), row.end()) + ")");
    return "INSERT INTO " + table + " (" + columns + ") VALUES\n" +
           Poco::cat(std::string(",\n"), values.begin(), values.end());
}

std::size_t execute(Poco::Data::Session& session, const std::string& sql)
{
    Poco::Data::Statement statement(session);
    statement << sql;
    return statement.execute();
}

struct Word
{
    const char* word;
    const char* slug;
};

// Small French vocabularies; slug is the ASCII form used in addresses.
const std::vector<Word> FirstNames = {
    {"Marie", "marie"},       {"Jean", "jean"},         {"Hélène", "helene"},     {"Benoît", "benoit"},
    {"Gaëlle", "gaelle"},     {"François", "francois"}, {"Chloé", "chloe"},       {"Jérôme", "jerome"},
    {"Léa", "lea"},           {"Théo", "theo"},         {"Camille", "camille"},   {"Nicolas", "nicolas"},
    {"Zoé", "zoe"},           {"Raphaël", "raphael"},   {"Céline", "celine"},     {"Stéphane", "stephane"},
    {"Amélie", "amelie"},     {"Loïc", "loic"},         {"Anaïs", "anais"},       {"Noël", "noel"},
    {"Émilie", "emilie"},     {"Hugo", "hugo"},         {"Inès", "ines"},         {"Mathieu", "mathieu"},
    {"Sophie", "sophie"},     {"Grégoire", "gregoire"}, {"Élodie", "elodie"},     {"Antoine", "antoine"},
    {"Maëlle", "maelle"},     {"Joël", "joel"},         {"Clémence", "clemence"}, {"Julien", "julien"},
    {"Agnès", "agnes"},       {"Cédric", "cedric"},     {"Manon", "manon"},       {"Louis", "louis"},
    {"Bérénice", "berenice"}, {"Arnaud", "arnaud"},     {"Océane", "oceane"},     {"Yannick", "yannick"}};
const std::vector<Word> LastNames = {
    {"Martin", "martin"},     {"Bernard", "bernard"},     {"Dubois", "dubois"},     {"Lefèvre", "lefevre"},
    {"Moreau", "moreau"},     {"Laurent", "laurent"},     {"Simon", "simon"},       {"Michel", "michel"},
    {"Garcia", "garcia"},     {"André", "andre"},         {"Roux", "roux"},         {"Fournier", "fournier"},
    {"Girard", "girard"},     {"Bonnet", "bonnet"},       {"Dupont", "dupont"},     {"Lambert", "lambert"},
    {"Guérin", "guerin"},     {"Muller", "muller"},       {"Faure", "faure"},       {"Rousseau", "rousseau"},
    {"Blanc", "blanc"},       {"Chevalier", "chevalier"}, {"Gauthier", "gauthier"}, {"Perrin", "perrin"},
    {"Lemaître", "lemaitre"}, {"Prévost", "prevost"},     {"Bérard", "berard"},     {"Lécuyer", "lecuyer"},
    {"Le Goff", "legoff"},    {"N'Diaye", "ndiaye"},      {"Da Silva", "dasilva"},  {"Nguyen", "nguyen"},
    {"Benali", "benali"},     {"Caron", "caron"},         {"Renaud", "renaud"},     {"Mercier", "mercier"},
    {"Boyer", "boyer"},       {"Hervé", "herve"},         {"Noël", "noel"},         {"Schmitt", "schmitt"}};
const std::vector<Word> Cities = {{"Paris", "paris"},         {"Lyon", "lyon"},
                                  {"Marseille", "marseille"}, {"Toulouse", "toulouse"},
                                  {"Nantes", "nantes"},       {"Bordeaux", "bordeaux"},
                                  {"Lille", "lille"},         {"Strasbourg", "strasbourg"},
                                  {"Grenoble", "grenoble"},   {"Besançon", "besancon"},
                                  {"Orléans", "orleans"},     {"Saint-Étienne", "saint-etienne"}};
const std::vector<Word> Companies = {
    {"Boulangerie", "boulangerie"}, {"Cabinet", "cabinet"},       {"Atelier", "atelier"},
    {"Garage", "garage"},           {"Librairie", "librairie"},   {"Pharmacie", "pharmacie"},
    {"Agence", "agence"},           {"Imprimerie", "imprimerie"}, {"Menuiserie", "menuiserie"},
    {"Fromagerie", "fromagerie"},   {"Brasserie", "brasserie"},   {"Éditions", "editions"}};
const std::vector<Word> JobTitles = {{"Gérant", "gerant"},
                                     {"Directrice commerciale", "directrice-commerciale"},
                                     {"Comptable", "comptable"},
                                     {"Chargé de communication", "charge-de-communication"},
                                     {"Responsable achats", "responsable-achats"},
                                     {"Assistante de direction", "assistante-de-direction"},
                                     {"Technicien", "technicien"},
                                     {"Présidente", "presidente"}};

/// The numbers that shape one run, kept in the table seed_params for the SQL to join.
struct Plan
{
    long people = 0;
    long seed = 0;
    Poco::DateTime today;
    long foodEnd = 0;   // people 1..foodEnd: the AMAP's range
    long food2End = 0;  // foodEnd+1..food2End: the other food group's
    long crmEnd = 0;    // food2End+1..crmEnd: the CRM's; the rest: the studio's
    long accounts = 0;  // CRM accounts 1..accounts
    long freeLeads = 0; // CRM leads that are not people
};

/// Logs one line per stage: name, rows, seconds.
class StageLog
{
public:
    StageLog(Poco::Logger& logger, const std::string& name) : _logger(logger), _name(name) { _watch.start(); }
    void done(std::size_t rows)
    {
        _logger.information(Poco::format("demo seed: %-12s %10z rows %8.2f s", _name, rows,
                                         static_cast<double>(_watch.elapsed()) / 1e6));
    }

private:
    Poco::Logger& _logger;
    std::string _name;
    Poco::Stopwatch _watch;
};

class Seeding
{
public:
    Seeding(Poco::Data::Session& session, const DemoSql& sql, const Plan& plan, Poco::Logger& logger)
        : _session(session), _sql(sql), _plan(plan), _logger(logger)
    {
    }

    void createHelpers();
    void dropHelpers();
    void clear();
    std::size_t run(const std::string& sql);
    void seedGroups();
    void seedPeople();
    void seedMemberships();
    void seedRoles();
    void seedCatalogues();
    void seedOrders();
    void seedFeesAndContracts();
    void seedCrm();
    void seedStudio();

private:
    std::vector<long> firstMembers(long group, int count);
    std::string hash(int salt, const std::string& id) const { return CrmHost::hash(salt, id, _plan.seed); }
    std::string at(int days, int hour, int minute) const
    {
        return sqlTime(_plan.today + Poco::Timespan(days, hour, minute, 0, 0));
    }

    Poco::Data::Session& _session;
    const DemoSql& _sql;
    const Plan& _plan;
    Poco::Logger& _logger;
};

/// Runs one statement in its own transaction. MariaDB slows down several times when a
/// statement reads a large table that the same transaction has filled, so there is no
/// transaction around the whole seeding: clear() undoes it on failure instead.
std::size_t Seeding::run(const std::string& sql)
{
    Poco::Stopwatch watch;
    watch.start();
    _session.begin();
    std::size_t rows = execute(_session, sql);
    _session.commit();
    _logger.debug(
        Poco::format("%z rows in %.2f s: %s", rows, static_cast<double>(watch.elapsed()) / 1e6, sql));
    return rows;
}

void Seeding::dropHelpers()
{
    for (const char* table : {"seed_params", "seed_food", "seed_words", "seed_small"})
        execute(_session, std::string("DROP TABLE IF EXISTS ") + table);
}

void Seeding::clear()
{
    // The database was empty: deleting every row it was given leaves it as it was.
    for (const char* table : {"studio_bookings",    "studio_sessions", "saved_filters", "crm_target_members",
                              "crm_targets",        "crm_leads",       "crm_contacts",  "crm_accounts",
                              "amap_contracts",     "membership_fees", "orders",        "distributions",
                              "catalogue_contacts", "catalogues",      "waiting_list",  "test_recipients",
                              "group_admins",       "memberships",     "people",        "verified_domains",
                              "host_groups"})
    {
        try
        {
            execute(_session, std::string("DELETE FROM ") + table);
        }
        catch (Poco::Exception& error)
        {
            _logger.warning(
                Poco::format("demo seed: could not empty %s: %s", std::string(table), error.displayText()));
        }
    }
}

void Seeding::createHelpers()
{
    StageLog stage(_logger, "helpers");
    dropHelpers();
    const std::string options = _sql.tableOptions();
    execute(_session, "CREATE TABLE seed_params (today DATETIME NOT NULL, people BIGINT NOT NULL, "
                      "food_group BIGINT NOT NULL, food2_group BIGINT NOT NULL, crm_group BIGINT NOT NULL, "
                      "studio_group BIGINT NOT NULL, food_end BIGINT NOT NULL, food2_end BIGINT NOT NULL, "
                      "crm_end BIGINT NOT NULL, studio_count BIGINT NOT NULL, accounts BIGINT NOT NULL)" +
                          options);
    // Per food group: its slot in computed order ids, its people range, and the ids of its
    // catalogues (active ones first, AMAP contracts first among them) and distributions.
    execute(_session, "CREATE TABLE seed_food (group_id BIGINT PRIMARY KEY, slot BIGINT NOT NULL, "
                      "range_start BIGINT NOT NULL, range_end BIGINT NOT NULL, cat_first BIGINT NOT NULL, "
                      "cat_all BIGINT NOT NULL, cat_active BIGINT NOT NULL, contract_count BIGINT NOT NULL, "
                      "past_first BIGINT NOT NULL, past_count BIGINT NOT NULL, up_first BIGINT NOT NULL)" +
                          options);
    execute(_session, "CREATE TABLE seed_words (kind VARCHAR(16) NOT NULL, idx BIGINT NOT NULL, "
                      "word VARCHAR(100) NOT NULL, slug VARCHAR(100) NOT NULL, PRIMARY KEY (kind, idx))" +
                          options);
    execute(_session, "CREATE TABLE seed_small (n BIGINT PRIMARY KEY)" + options);

    Poco::Int64 people = _plan.people, foodEnd = _plan.foodEnd, food2End = _plan.food2End,
                crmEnd = _plan.crmEnd, studioCount = _plan.people - _plan.crmEnd, accounts = _plan.accounts;
    Poco::Int64 food = FoodGroup, food2 = Food2Group, crm = CrmGroup, studio = StudioGroup;
    std::string today = Poco::DateTimeFormatter::format(_plan.today, "%Y-%m-%d %H:%M:%S");
    _session << "INSERT INTO seed_params VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", use(today), use(people),
        use(food), use(food2), use(crm), use(studio), use(foodEnd), use(food2End), use(crmEnd),
        use(studioCount), use(accounts), now;

    std::vector<std::vector<std::string>> rows;
    auto addWords = [&rows](const char* kind, const std::vector<Word>& words)
    {
        for (std::size_t i = 0; i < words.size(); ++i)
            rows.push_back({quote(kind), std::to_string(i), quote(words[i].word), quote(words[i].slug)});
    };
    addWords("first", FirstNames);
    addWords("last", LastNames);
    addWords("city", Cities);
    addWords("company", Companies);
    addWords("job", JobTitles);
    std::size_t count = run(insertRows("seed_words", "kind, idx, word, slug", rows));
    count += run("INSERT INTO seed_small (n) SELECT n - 1 FROM " + _sql.numbers(100) + " q");
    stage.done(count);
}

void Seeding::seedGroups()
{
    StageLog stage(_logger, "groups");
    const std::string created = at(-3 * 365, 9, 0);
    std::size_t count = run(insertRows(
        "host_groups", "id, kind, name, manages_fees, is_amap, created_at",
        {{std::to_string(FoodGroup), "'food'", quote("AMAP des Capucins"), "1", "1", created},
         {std::to_string(Food2Group), "'food'", quote("La Ruche du Canal"), "0", "0", created},
         {std::to_string(CrmGroup), "'crm'", quote("Atelier Conseil CRM"), "0", "0", created},
         {std::to_string(StudioGroup), "'studio'", quote("Studio Danse Bastille"), "0", "0", created}}));
    count += run("INSERT INTO verified_domains (group_id, domain) "
                 "SELECT id, 'example.org' FROM host_groups");
    stage.done(count);
}

void Seeding::seedPeople()
{
    StageLog stage(_logger, "people");
    // A duplicate (n % 100 in 5, 55) takes the address of the person before it.
    const std::string owner = "CASE WHEN q.n % 100 IN (5, 55) THEN q.n - 1 ELSE q.n END";
    auto domain = [this](const std::string& id)
    {
        return "CASE " + hash(3, id) +
               " % 10 WHEN 0 THEN 'example.net' WHEN 1 THEN 'example.com' "
               "ELSE 'example.org' END";
    };
    auto local = [this](const std::string& separator, const std::string& id) {
        return _sql.concat({"ef.slug", "'" + separator + "'", "el.slug", "'.'", id});
    };
    const std::string email =
        "CASE WHEN q.n % 200 = 29 THEN NULL "
        "WHEN q.n % 200 = 129 THEN '' "
        "WHEN q.n % 100 IN (13, 47, 81) THEN CASE q.n % 7 "
        "WHEN 0 THEN " +
        _sql.concat({local(".", "q.n"), "'.example.org'"}) +                       // no @
        " WHEN 1 THEN " + _sql.concat({local(" ", "q.n"), "'@example.org'"}) +     // a space
        " WHEN 2 THEN " + _sql.concat({local("..", "q.n"), "'@example.org'"}) +    // two dots
        " WHEN 3 THEN " + _sql.concat({local(".", "q.n"), "'@'"}) +                // no domain
        " WHEN 4 THEN " + _sql.concat({local(".", "q.n"), "'@@example.org'"}) +    // two @
        " WHEN 5 THEN " + _sql.concat({local(".", "q.n"), "'@example..org'"}) +    // empty label
        " ELSE " + _sql.concat({local(".", "q.n"), "'@.example.org'"}) + " END " + // leading dot
        "WHEN q.n % 100 IN (5, 55) THEN " +
        _sql.concat({local(".", "q.n - 1"), "'@'",
                     "CASE WHEN q.n % 200 < 100 THEN UPPER(" + domain("q.n - 1") + ") ELSE " +
                         domain("q.n - 1") + " END"}) +
        " ELSE " + _sql.concat({local(".", "q.n"), "'@'", domain("q.n")}) + " END";
    auto pair = [this](int salt) { return "10 + " + hash(salt, "q.n") + " % 90"; };
    const std::string phone =
        "CASE WHEN q.n % 25 = 7 THEN NULL ELSE " +
        _sql.concat({"'+33 6 '", pair(4), "' '", pair(5), "' '", pair(6), "' '", pair(7)}) + " END";
    const std::string sql =
        "INSERT INTO people (id, first_name, last_name, email, phone, locale, time_zone, last_login_at, "
        "consent_email, consent_sms, consent_push, created_at)\n"
        "SELECT q.n, f.word, l.word, " +
        email + ", " + phone + ", CASE WHEN " + hash(8, "q.n") + " % 10 = 0 THEN 'en' ELSE 'fr' END, CASE " +
        hash(9, "q.n") +
        " % 20 WHEN 0 THEN 'America/Montreal' WHEN 1 THEN 'Indian/Reunion' WHEN 2 THEN 'Europe/Brussels' "
        "WHEN 3 THEN 'Europe/London' ELSE 'Europe/Paris' END, CASE WHEN q.n % 5 = 4 THEN NULL ELSE " +
        _sql.minusSeconds("sp.today",
                          "(" + hash(10, "q.n") + " % 400) * 86400 + " + hash(11, "q.n") + " % 86400") +
        " END, CASE WHEN q.n % 20 = 6 THEN 0 ELSE 1 END, CASE WHEN q.n % 3 = 2 THEN 0 ELSE 1 END, "
        "CASE WHEN q.n % 4 = 0 THEN 1 ELSE 0 END, " +
        _sql.minusSeconds("sp.today", "(400 + " + hash(12, "q.n") + " % 1500) * 86400 + " + hash(13, "q.n") +
                                          " % 86400") +
        "\nFROM " + _sql.numbers(_plan.people) +
        " q CROSS JOIN seed_params sp\n"
        "JOIN seed_words f ON f.kind = 'first' AND f.idx = " +
        hash(1, "q.n") + " % " + std::to_string(FirstNames.size()) +
        "\nJOIN seed_words l ON l.kind = 'last' AND l.idx = " + hash(2, "q.n") + " % " +
        std::to_string(LastNames.size()) +
        "\nJOIN seed_words ef ON ef.kind = 'first' AND ef.idx = " + hash(1, owner) + " % " +
        std::to_string(FirstNames.size()) +
        "\nJOIN seed_words el ON el.kind = 'last' AND el.idx = " + hash(2, owner) + " % " +
        std::to_string(LastNames.size());
    stage.done(run(sql));
}

void Seeding::seedMemberships()
{
    StageLog stage(_logger, "memberships");
    const std::string joined =
        _sql.minusSeconds("sp.today", "(1 + p.id % 700) * 86400 + " + hash(14, "p.id") + " % 86400");
    // In the food ranges, n % 20 = 19 waits for a place and n % 50 = 23 left (past orders
    // only). A few people belong to two groups: n % 50 = 7 of the AMAP also belong to the
    // other food group, n % 100 = 42 of the CRM to the studio.
    std::size_t count =
        run("INSERT INTO memberships (group_id, person_id, joined_at)\n"
            "SELECT CASE WHEN p.id <= sp.food_end THEN sp.food_group WHEN p.id <= sp.food2_end THEN "
            "sp.food2_group WHEN p.id <= sp.crm_end THEN sp.crm_group ELSE sp.studio_group END, p.id, " +
            joined +
            "\nFROM people p CROSS JOIN seed_params sp\n"
            "WHERE p.id > sp.food2_end OR (p.id % 20 <> 19 AND p.id % 50 <> 23)\n"
            "UNION ALL SELECT sp.food2_group, p.id, " +
            joined +
            " FROM people p CROSS JOIN seed_params sp WHERE p.id <= sp.food_end AND p.id % 50 = 7\n"
            "UNION ALL SELECT sp.studio_group, p.id, " +
            joined +
            " FROM people p CROSS JOIN seed_params sp "
            "WHERE p.id > sp.food2_end AND p.id <= sp.crm_end AND p.id % 100 = 42");
    count += run("INSERT INTO waiting_list (group_id, person_id, since)\n"
                 "SELECT CASE WHEN p.id <= sp.food_end THEN sp.food_group ELSE sp.food2_group END, p.id, " +
                 _sql.minusSeconds("sp.today", "(1 + p.id % 90) * 86400") +
                 "\nFROM people p CROSS JOIN seed_params sp WHERE p.id <= sp.food2_end AND p.id % 20 = 19");
    stage.done(count);
}

std::vector<long> Seeding::firstMembers(long group, int count)
{
    // From the group's own range of people, not from those who also belong to another group.
    const long rangeStart = group == FoodGroup    ? 1
                            : group == Food2Group ? _plan.foodEnd + 1
                            : group == CrmGroup   ? _plan.food2End + 1
                                                  : _plan.crmEnd + 1;
    std::vector<Poco::Int64> ids;
    Poco::Int64 groupId = group, from = rangeStart;
    _session << "SELECT person_id FROM memberships WHERE group_id = ? AND person_id >= ? ORDER BY person_id "
                "LIMIT " +
                    std::to_string(count),
        use(groupId), use(from), into(ids), now;
    if (ids.size() < static_cast<std::size_t>(count))
        throw Poco::IllegalStateException(
            Poco::format("demo group %ld has only %z members", group, ids.size()));
    return std::vector<long>(ids.begin(), ids.end());
}

void Seeding::seedRoles()
{
    StageLog stage(_logger, "roles");
    std::vector<std::vector<std::string>> admins, tests;
    const struct
    {
        long group;
        const char* role;
        const char* mailbox;
    } groups[] = {{FoodGroup, "coordinator", "test.amap@example.org"},
                  {Food2Group, "coordinator", "test.ruche@example.org"},
                  {CrmGroup, "staff", "test.crm@example.org"},
                  {StudioGroup, "staff", "test.studio@example.org"}};
    long testId = 1;
    for (const auto& group : groups)
    {
        // The three first members administer the group; the first one also receives tests.
        std::vector<long> members = firstMembers(group.group, 3);
        for (long person : members)
            admins.push_back({std::to_string(group.group), std::to_string(person), quote(group.role)});
        tests.push_back({std::to_string(testId++), std::to_string(group.group), std::to_string(members[0]),
                         "NULL", quote("Coordination")});
        tests.push_back({std::to_string(testId++), std::to_string(group.group), "NULL", quote(group.mailbox),
                         quote("Boîte de test")});
    }
    std::size_t count = run(insertRows("group_admins", "group_id, person_id, role", admins));
    count += run(insertRows("test_recipients", "id, group_id, person_id, email, label", tests));
    stage.done(count);
}

void Seeding::seedCatalogues()
{
    StageLog stage(_logger, "catalogues");
    const std::string created = at(-2 * 365, 10, 0);
    // Active catalogues first, and AMAP contracts first among them: seed_food relies on it.
    const struct
    {
        long id;
        long group;
        const char* name;
        const char* producer;
        int active;
        int amap;
    } catalogues[] = {
        {1, FoodGroup, "Légumes de saison", "Ferme des Quatre Vents", 1, 1},
        {2, FoodGroup, "Pain au levain", "Fournil de Léa", 1, 1},
        {3, FoodGroup, "Œufs plein air", "GAEC du Coteau", 1, 1},
        {4, FoodGroup, "Fromages de chèvre", "Chèvrerie du Vallon", 1, 0},
        {5, FoodGroup, "Miel et pollen", "Rucher des Capucins", 0, 1},
        {6, FoodGroup, "Volailles fermières", "Élevage Bérard", 0, 0},
        {7, Food2Group, "Paniers de légumes", "Les Jardins du Canal", 1, 0},
        {8, Food2Group, "Viandes d'Aubrac", "Maison Prévost", 1, 0},
        {9, Food2Group, "Confitures", "L'Atelier d'Anaïs", 0, 0},
    };
    std::vector<std::vector<std::string>> rows, contacts;
    std::vector<long> foodMembers = firstMembers(FoodGroup, 9), food2Members = firstMembers(Food2Group, 6);
    for (const auto& c : catalogues)
    {
        rows.push_back({std::to_string(c.id), std::to_string(c.group), quote(c.name), quote(c.producer),
                        std::to_string(c.active), std::to_string(c.amap), created});
        // Contacts: the members after the three administrators, one per catalogue.
        const std::vector<long>& members = c.group == FoodGroup ? foodMembers : food2Members;
        long first = c.group == FoodGroup ? 1 : 7;
        contacts.push_back({std::to_string(c.id), std::to_string(members[3 + (c.id - first)])});
    }
    // The first catalogue has a second contact, who also administers the group.
    contacts.push_back({"1", std::to_string(foodMembers[0])});
    std::size_t count = run(
        insertRows("catalogues", "id, group_id, name, producer, active, is_amap_contract, created_at", rows));
    count += run(insertRows("catalogue_contacts", "catalogue_id, person_id", contacts));

    // The AMAP distributes twice a week (4 distributions in the next two weeks), the other
    // group once a week; the nearest upcoming distribution is 2 days (AMAP), 1 day away. Orders
    // open six days before, at 09:00, and close the day before, at 12:00 (host events, H2).
    std::vector<std::vector<std::string>> distributions;
    long id = 1;
    auto distribution = [&](long group, int days, int hour, const char* place)
    {
        distributions.push_back({std::to_string(id++), std::to_string(group), at(days, hour, 0),
                                 at(days, hour + 2, 0), quote(place), at(days - 6, 9, 0),
                                 at(days - 1, 12, 0)});
    };
    for (int week = -8; week <= 3; ++week)
    {
        distribution(FoodGroup, 7 * week + 2, 17, "Préau de l'école des Capucins");
        distribution(FoodGroup, 7 * week + 5, 17, "Préau de l'école des Capucins");
    }
    for (int week = -6; week <= 3; ++week)
        distribution(Food2Group, 7 * week + 1, 16, "Halle du Canal");
    count += run(insertRows("distributions",
                            "id, group_id, starts_at, ends_at, place, orders_open_at, orders_close_at",
                            distributions));

    // group, slot, people range, catalogues (first, all, active, contracts), past and upcoming distributions.
    count += run(
        insertRows("seed_food",
                   "group_id, slot, range_start, range_end, cat_first, cat_all, cat_active, contract_count, "
                   "past_first, past_count, up_first",
                   {{std::to_string(FoodGroup), "0", "1", std::to_string(_plan.foodEnd), "1", "6", "4", "3",
                     "1", "16", "17"},
                    {std::to_string(Food2Group), "1", std::to_string(_plan.foodEnd + 1),
                     std::to_string(_plan.food2End), "7", "3", "2", "0", "25", "6", "31"}}));
    stage.done(count);
}

void Seeding::seedOrders()
{
    StageLog stage(_logger, "orders");
    // One statement, so that MariaDB fills the empty table in bulk. Order ids are computed
    // (person * 16 + group slot * 8 + line): they do not depend on the order of insertion.
    // n % 10 = 0 never ordered.
    // Past orders: 1 to 3 lines of any catalogue, also by members who have left (n % 50 = 23).
    const std::string past =
        "SELECT b.person_id * 16 + f.slot * 8 + s.n, f.group_id, b.person_id, "
        "f.cat_first + (b.person_id + s.n) % f.cat_all, d.id, " +
        _sql.minusSeconds("d.starts_at",
                          "(1 + b.person_id % 6) * 86400 + " + hash(15, "b.person_id") + " % 43200") +
        ", 1 + " + hash(16, "b.person_id * 4 + s.n") + " % 3, 500 + " + hash(17, "b.person_id * 4 + s.n") +
        " % 4500\n"
        "FROM (SELECT group_id, person_id FROM memberships UNION ALL "
        "SELECT f2.group_id, p.id FROM people p JOIN seed_food f2 ON p.id BETWEEN f2.range_start AND "
        "f2.range_end WHERE p.id % 50 = 23) b\n"
        "JOIN seed_food f ON f.group_id = b.group_id\n"
        "JOIN seed_small s ON s.n <= b.person_id % 3\n"
        "JOIN distributions d ON d.id = f.past_first + " +
        hash(18, "b.person_id * 4 + s.n") +
        " % f.past_count\n"
        "WHERE b.person_id % 10 <> 0";
    // Upcoming orders of current members: the next distribution (u = 0) for n % 3 = 0, the
    // three after it for (n + u) % 4 = 0; active catalogues only.
    const std::string upcoming =
        "SELECT m.person_id * 16 + f.slot * 8 + 3 + u.n, f.group_id, m.person_id, "
        "f.cat_first + " +
        hash(12, "m.person_id * 4 + u.n") + " % f.cat_active, f.up_first + u.n, " +
        _sql.minusSeconds("sp.today",
                          "(1 + m.person_id % 5) * 3600 + " + hash(19, "m.person_id") + " % 3600") +
        ", 1 + " + hash(16, "m.person_id * 4 + u.n") + " % 3, 500 + " + hash(17, "m.person_id * 4 + u.n") +
        " % 4500\n"
        "FROM memberships m JOIN seed_food f ON f.group_id = m.group_id\n"
        "JOIN seed_small u ON u.n < 4\n"
        "CROSS JOIN seed_params sp\n"
        "WHERE m.person_id % 10 <> 0 AND ((u.n = 0 AND m.person_id % 3 = 0) OR "
        "(u.n > 0 AND (m.person_id + u.n) % 4 = 0))";
    stage.done(run("INSERT INTO orders (id, group_id, person_id, catalogue_id, distribution_id, ordered_at, "
                   "quantity, amount_cents)\n" +
                   past + "\nUNION ALL\n" + upcoming));
}

void Seeding::seedFeesAndContracts()
{
    StageLog stage(_logger, "fees");
    // Up to date: n % 4 in (0, 1), and n % 8 = 0 also paid the year before; expired: n % 4 = 2;
    // never paid: n % 4 = 3.
    const std::string validDays = "CASE WHEN s.n = 1 THEN (30 + m.person_id % 300) - 365 "
                                  "WHEN m.person_id % 4 IN (0, 1) THEN 30 + m.person_id % 300 "
                                  "ELSE -(1 + m.person_id % 200) END";
    std::size_t count =
        run("INSERT INTO membership_fees (id, group_id, person_id, paid_at, valid_until, amount_cents)\n"
            "SELECT m.person_id * 2 + s.n, m.group_id, m.person_id, " +
            _sql.plusDays("sp.today", validDays + " - 365") + ", " + _sql.plusDays("sp.today", validDays) +
            ", CASE WHEN m.person_id % 6 = 0 THEN 1000 ELSE 2000 END\n"
            "FROM memberships m JOIN host_groups g ON g.id = m.group_id AND g.manages_fees = 1\n"
            "JOIN seed_small s ON s.n < 2\n"
            "CROSS JOIN seed_params sp\n"
            "WHERE (s.n = 0 AND m.person_id % 4 <> 3) OR (s.n = 1 AND m.person_id % 8 = 0)");
    stage.done(count);

    StageLog contracts(_logger, "contracts");
    // Current: n % 5 in (1, 2), and a second one for n % 10 = 1; ended: n % 5 = 3;
    // starting later: n % 25 = 4.
    const std::string startDays = "CASE WHEN m.person_id % 5 IN (1, 2) THEN -(30 + m.person_id % 150) "
                                  "WHEN m.person_id % 5 = 3 THEN -(365 + m.person_id % 100) "
                                  "ELSE 7 + m.person_id % 30 END";
    count =
        run("INSERT INTO amap_contracts (id, catalogue_id, person_id, starts_on, ends_on)\n"
            "SELECT m.person_id * 2 + s.n, f.cat_first + (m.person_id + s.n) % f.contract_count, "
            "m.person_id, " +
            _sql.plusDays("sp.today", startDays) + ", " + _sql.plusDays("sp.today", startDays + " + 363") +
            "\nFROM memberships m JOIN host_groups g ON g.id = m.group_id AND g.is_amap = 1\n"
            "JOIN seed_food f ON f.group_id = m.group_id AND f.contract_count > 0\n"
            "JOIN seed_small s ON s.n < 2\n"
            "CROSS JOIN seed_params sp\n"
            "WHERE (s.n = 0 AND (m.person_id % 5 IN (1, 2, 3) OR m.person_id % 25 = 4)) "
            "OR (s.n = 1 AND m.person_id % 10 = 1)");
    contracts.done(count);
}

void Seeding::seedCrm()
{
    StageLog stage(_logger, "crm");
    auto city = [this](const std::string& alias, int salt, const std::string& id)
    {
        return "JOIN seed_words " + alias + " ON " + alias + ".kind = 'city' AND " + alias +
               ".idx = " + hash(salt, id) + " % " + std::to_string(Cities.size());
    };
    const std::string company = "JOIN seed_words c ON c.kind = 'company' AND c.idx = ";
    const std::string lastName = "JOIN seed_words l ON l.kind = 'last' AND l.idx = ";
    std::size_t count = run(
        "INSERT INTO crm_accounts (id, group_id, name, email, phone, city, segment, created_at)\n"
        "SELECT q.n, sp.crm_group, " +
        _sql.concat({"c.word", "' '", "l.word"}) +
        ", CASE WHEN q.n % 50 = 33 THEN NULL WHEN q.n % 50 = 17 THEN " +
        _sql.concat({"'contact.'", "c.slug", "'-'", "l.slug", "'.example.com'"}) + " ELSE " +
        _sql.concat({"'contact@'", "c.slug", "'-'", "l.slug", "'-'", "q.n", "'.example.com'"}) + " END, " +
        _sql.concat({"'+33 1 '", "10 + " + hash(20, "q.n") + " % 90", "' '",
                     "10 + " + hash(21, "q.n") + " % 90", "' '", "10 + " + hash(22, "q.n") + " % 90", "' '",
                     "10 + " + hash(23, "q.n") + " % 90"}) +
        ", ct.word, CASE " + hash(4, "q.n + 7") +
        " % 4 WHEN 0 THEN 'PME' WHEN 1 THEN 'Grand compte' WHEN 2 THEN 'Association' ELSE 'Collectivité' "
        "END, " +
        _sql.minusSeconds("sp.today", "(30 + q.n % 900) * 86400") + "\nFROM " + _sql.numbers(_plan.accounts) +
        " q CROSS JOIN seed_params sp\n" + company + hash(5, "q.n + 7") + " % " +
        std::to_string(Companies.size()) + "\n" + lastName + hash(6, "q.n + 7") + " % " +
        std::to_string(LastNames.size()) + "\n" + city("ct", 7, "q.n + 7"));

    // CRM people: n % 10 < 7 are contacts (n % 20 = 13 without account), the others leads.
    count += run(
        "INSERT INTO crm_contacts (id, group_id, person_id, account_id, job_title, city, created_at)\n"
        "SELECT m.person_id, m.group_id, m.person_id, CASE WHEN m.person_id % 20 = 13 THEN NULL ELSE 1 + " +
        hash(20, "m.person_id") + " % sp.accounts END, j.word, ct.word, m.joined_at\n" +
        "FROM memberships m CROSS JOIN seed_params sp\n"
        "JOIN seed_words j ON j.kind = 'job' AND j.idx = " +
        hash(21, "m.person_id") + " % " + std::to_string(JobTitles.size()) + "\n" +
        city("ct", 22, "m.person_id") + "\nWHERE m.group_id = sp.crm_group AND m.person_id % 10 < 7");
    const std::string leadColumns =
        "INSERT INTO crm_leads (id, group_id, person_id, email, first_name, last_name, "
        "company, status, source, city, created_at)\n";
    auto source = [this](const std::string& id)
    {
        return "CASE " + hash(23, id) +
               " % 5 WHEN 0 THEN 'website' WHEN 1 THEN 'salon' WHEN 2 THEN 'referral' WHEN 3 THEN 'import' "
               "ELSE 'phone' END";
    };
    auto status = [this](const std::string& id)
    {
        return "CASE " + hash(15, id) +
               " % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'contacted' WHEN 2 THEN 'qualified' WHEN 3 THEN "
               "'converted' "
               "ELSE 'lost' END";
    };
    // Leads that are not people have ids after the people's; k % 10 = 3 reuses a CRM
    // person's address, k % 25 = 11 has an invalid one.
    count +=
        run(leadColumns + "SELECT m.person_id, m.group_id, m.person_id, NULL, NULL, NULL, " +
            _sql.concat({"c.word", "' '", "l.word"}) + ", " + status("m.person_id") + ", " +
            source("m.person_id") + ", ct.word, m.joined_at\n" +
            "FROM memberships m CROSS JOIN seed_params sp\n" + company + hash(5, "m.person_id") + " % " +
            std::to_string(Companies.size()) + "\n" + lastName + hash(6, "m.person_id") + " % " +
            std::to_string(LastNames.size()) + "\n" + city("ct", 22, "m.person_id") +
            "\nWHERE m.group_id = sp.crm_group AND m.person_id % 10 >= 7\nUNION ALL\n" +
            "SELECT sp.people + q.n, sp.crm_group, NULL, CASE WHEN q.n % 10 = 3 THEN "
            "(SELECT e.email FROM people e WHERE e.id = sp.food2_end + 1 + (q.n * 7) % (sp.crm_end - "
            "sp.food2_end)) WHEN q.n % 25 = 11 THEN " +
            _sql.concat({"'prospect.'", "q.n", "'@example'"}) + " ELSE " +
            _sql.concat({"f.slug", "'.'", "l.slug", "'.lead'", "q.n", "'@example.net'"}) +
            " END, f.word, l.word, " + _sql.concat({"c.word", "' '", "l.word"}) + ", " + status("q.n") +
            ", " + source("q.n") + ", ct.word, " + _sql.minusSeconds("sp.today", "(1 + q.n % 200) * 86400") +
            "\nFROM " + _sql.numbers(_plan.freeLeads) +
            " q CROSS JOIN seed_params sp\n"
            "JOIN seed_words f ON f.kind = 'first' AND f.idx = " +
            hash(1, "q.n + 7777") + " % " + std::to_string(FirstNames.size()) + "\n" + lastName +
            hash(2, "q.n + 7777") + " % " + std::to_string(LastNames.size()) + "\n" + company +
            hash(5, "q.n + 7777") + " % " + std::to_string(Companies.size()) + "\n" +
            city("ct", 22, "q.n + 7777"));

    const std::string created = at(-30, 9, 0);
    count += run(insertRows("crm_targets", "id, group_id, name, created_at",
                            {{"1", std::to_string(CrmGroup), quote("Invités du salon de Lyon"), created},
                             {"2", std::to_string(CrmGroup), quote("Partenaires à relancer"), created}}));
    count += run("INSERT INTO crm_target_members (target_id, member_type, member_id)\n"
                 "SELECT 1, 'contact', id FROM crm_contacts WHERE id % 50 = 1\n"
                 "UNION ALL SELECT 1, 'account', id FROM crm_accounts WHERE id % 10 = 1\n"
                 "UNION ALL SELECT 1, 'lead', id FROM crm_leads WHERE id % 50 = 7\n"
                 "UNION ALL SELECT 2, 'contact', id FROM crm_contacts WHERE id % 70 = 3\n"
                 "UNION ALL SELECT 2, 'account', id FROM crm_accounts WHERE id % 10 = 4\n"
                 "UNION ALL SELECT 2, 'lead', id FROM crm_leads WHERE status = 'qualified' AND id % 3 = 0");

    const std::string crm = std::to_string(CrmGroup);
    count +=
        run(insertRows("saved_filters", "id, group_id, name, recipient_type, definition, created_at",
                       {{"1", crm, quote("Contacts à Lyon"), "'contacts'",
                         quote(R"({"field":"city","op":"=","value":"Lyon"})"), created},
                        {"2", crm, quote("Comptes PME"), "'accounts'",
                         quote(R"({"field":"segment","op":"=","value":"PME"})"), created},
                        {"3", crm, quote("Comptes de Lyon et Grenoble"), "'accounts'",
                         quote(R"({"field":"city","op":"in","value":["Lyon","Grenoble"]})"), created},
                        {"4", crm, quote("Pistes qualifiées"), "'leads'",
                         quote(R"({"field":"status","op":"=","value":"qualified"})"), created},
                        {"5", crm, quote("Pistes du salon encore ouvertes"), "'leads'",
                         quote(R"({"all":[{"field":"source","op":"=","value":"salon"},)"
                               R"({"field":"status","op":"in","value":["new","contacted","qualified"]}]})"),
                         created},
                        {"6", std::to_string(StudioGroup), quote("Élèves anglophones"), "'members'",
                         quote(R"({"field":"locale","op":"=","value":"en"})"), created}}));
    stage.done(count);
}

void Seeding::seedStudio()
{
    StageLog stage(_logger, "studio");
    static const char* titles[] = {"Danse contemporaine", "Hip-hop débutants", "Barre au sol",
                                   "Salsa cubaine",       "Yoga vinyasa",      "Pilates",
                                   "Modern jazz",         "Claquettes",        "Danse classique",
                                   "Stretching"};
    static const char* coaches[] = {"Inès Moreau", "Raphaël Durand", "Chloé Garnier", "Loïc Bonnet",
                                    "Agnès Faure"};
    // 20 sessions every other day: 10 before the reference day, 10 after it.
    std::vector<std::vector<std::string>> sessions;
    for (int k = 1; k <= 20; ++k)
        sessions.push_back({std::to_string(k), std::to_string(StudioGroup), quote(titles[(k - 1) % 10]),
                            quote(coaches[(k - 1) % 5]), at(2 * k - 21, 17 + k % 3, 0),
                            k % 4 == 0 ? "90" : "60", std::to_string(12 + (k * 7) % 19)});
    std::size_t count = run(insertRows(
        "studio_sessions", "id, group_id, title, coach, starts_at, duration_minutes, capacity", sessions));
    // Session s takes consecutive studio people from a seeded start: sessions with s % 3 = 0
    // are full (capacity booked, 2 cancelled, 4 waiting); the others have 2 + s % 5 free
    // places and 2 cancellations.
    const std::string booked =
        "CASE WHEN ss.id % 3 = 0 THEN ss.capacity ELSE ss.capacity - 2 - ss.id % 5 END";
    const std::string base = "CASE WHEN ss.starts_at < sp.today THEN ss.starts_at ELSE sp.today END";
    count += run("INSERT INTO studio_bookings (id, session_id, person_id, status, created_at, cancelled_at)\n"
                 "SELECT ss.id * 100 + j.n, ss.id, sp.crm_end + 1 + (" +
                 hash(0, "ss.id") + " + j.n) % sp.studio_count, CASE WHEN j.n <= " + booked +
                 " THEN 'booked' WHEN j.n <= " + booked + " + 2 THEN 'cancelled' ELSE 'waiting' END, " +
                 _sql.minusSeconds(base, "(2 + j.n) * 86400 + " + hash(1, "ss.id * 100 + j.n") + " % 3600") +
                 ", CASE WHEN j.n > " + booked + " AND j.n <= " + booked + " + 2 THEN " +
                 _sql.minusSeconds(base, "86400 - j.n * 60") +
                 " ELSE NULL END\n"
                 "FROM studio_sessions ss CROSS JOIN seed_params sp\n"
                 "JOIN seed_small j ON j.n >= 1 AND j.n <= " +
                 booked + " + 2 + CASE WHEN ss.id % 3 = 0 THEN 4 ELSE 0 END AND j.n <= sp.studio_count");
    stage.done(count);
}
} // namespace

DemoSeeder::DemoSeeder(Database& database, Poco::Logger& logger) : _database(database), _logger(logger) {}

void DemoSeeder::setReferenceDay(const Poco::DateTime& day)
{
    _referenceDay = day;
}

DemoGroups DemoSeeder::seed(long people, unsigned long seed)
{
    if (people < 100)
        throw Poco::InvalidArgumentException(
            Poco::format("demo data needs at least 100 people, not %ld", people));
    Poco::Data::Session session = _database.session();
    Poco::Int64 existing = 0;
    session << "SELECT (SELECT COUNT(*) FROM host_groups) + (SELECT COUNT(*) FROM people)", into(existing),
        now;
    if (existing > 0)
        throw Poco::IllegalStateException(
            "demo data goes into an empty database; this one has groups or people");

    Plan plan;
    plan.people = people;
    plan.seed = static_cast<long>(seed % 1000003);
    Poco::DateTime day = _referenceDay ? *_referenceDay : Poco::DateTime();
    plan.today = Poco::DateTime(day.year(), day.month(), day.day());
    plan.foodEnd = people * 45 / 100;
    plan.food2End = people * 55 / 100;
    plan.crmEnd = people * 85 / 100;
    plan.accounts = std::max(5L, (plan.crmEnd - plan.food2End) / 10);
    plan.freeLeads = std::max(5L, (plan.crmEnd - plan.food2End) / 20);

    Poco::Stopwatch watch;
    watch.start();
    _logger.information(Poco::format("demo seed: %ld people, seed %lu, reference day %s", people, seed,
                                     Poco::DateTimeFormatter::format(plan.today, "%Y-%m-%d")));
    DemoSql sql(_database.dialect());
    Seeding seeding(session, sql, plan, _logger);
    try
    {
        for (const auto& setting : sql.bulkLoadSettings())
            execute(session, setting);
        seeding.createHelpers();
        seeding.seedGroups();
        seeding.seedPeople();
        seeding.seedMemberships();
        seeding.seedRoles();
        seeding.seedCatalogues();
        seeding.seedOrders();
        seeding.seedFeesAndContracts();
        seeding.seedCrm();
        seeding.seedStudio();
        seeding.dropHelpers();
        for (const auto& setting : sql.defaultSettings())
            execute(session, setting);
    }
    catch (...)
    {
        try
        {
            if (session.isTransaction())
                session.rollback();
            seeding.clear();
            seeding.dropHelpers();
            for (const auto& setting : sql.defaultSettings())
                execute(session, setting);
        }
        catch (Poco::Exception& cleanup)
        {
            // The first error is the one to report; this one only says what was left behind.
            _logger.error("demo seed: cleaning up after a failure failed: " + cleanup.displayText());
        }
        throw;
    }
    _logger.information(
        Poco::format("demo seed: done in %.2f s", static_cast<double>(watch.elapsed()) / 1e6));
    return DemoGroups{FoodGroup, Food2Group, CrmGroup, StudioGroup};
}
} // namespace CrmHost
