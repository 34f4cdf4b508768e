// bench/audience: the module's audience resolution against the best hand-written
// INSERT ... SELECT that yields the same rows, and against a bare INSERT IGNORE ... SELECT of the
// same people (ids and addresses only) into a table with the same unique key, in the same run.
//
//   bench_audience --connector MySQL --connect "host=...;db=..." [--group 1] [--runs 3]
//
// The database must hold the demo data (crmhost seed-demo --people 1000000).
#include "SqlDatabase.h"
#include "SqlDialect.h"
#include "audience/Audience.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Format.h>
#include <Poco/Stopwatch.h>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>

using namespace Poco::Data::Keywords;
using MassMailing::Audience;
using MassMailing::AudienceOwner;

namespace
{
struct Options
{
    std::string connector = "MySQL";
    std::string connect;
    long group = 1;
    int runs = 3;
    bool hand = true; /// --hand no: without the hand-written statement (its exclusions take SQLite minutes)
};

long newCampaign(CrmHost::Database& database, long group)
{
    Poco::Data::Session session = database.session();
    session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, html, text_body) "
               "VALUES (?, 'members', 'bench', '', '')",
        use(group), now;
    Poco::Int64 id = 0;
    session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
    return long(id);
}

// The best of several runs, in seconds; before, when given, runs untimed before each.
double best(int runs, const std::function<void()>& run, const std::function<void()>& before = {})
{
    double fastest = 1e9;
    for (int i = 0; i < runs; ++i)
    {
        if (before)
            before();
        Poco::Stopwatch watch;
        watch.start();
        run();
        fastest = std::min(fastest, watch.elapsed() / 1e6);
    }
    return fastest;
}

long count(CrmHost::Database& database, const std::string& sql, const std::vector<long>& values)
{
    Poco::Data::Session session = database.session();
    Poco::Data::Statement statement(session);
    Poco::Int64 n = 0;
    statement << sql, into(n);
    std::vector<long> copy = values;
    for (auto& value : copy)
        statement, use(value);
    statement.execute();
    return long(n);
}

// Rows of one campaign that the other has not, compared on who, address, status and reason.
long difference(CrmHost::Database& database, long a, long b)
{
    const std::string missing =
        "SELECT COUNT(*) FROM mm_recipients x WHERE x.campaign_id = ? AND NOT EXISTS (SELECT 1 "
        "FROM mm_recipients y WHERE y.campaign_id = ? AND y.kind = x.kind AND y.recipient_id = "
        "x.recipient_id AND y.email = x.email AND y.status = x.status AND y.reason = x.reason)";
    return count(database, missing, {a, b}) + count(database, missing, {b, a});
}

// The hand-written statement: members of the group (optionally only those with an order,
// minus those whose fees must be renewed), with the same reasons as the module.
std::string handWritten(CrmHost::Dialect dialect, bool filterWithExclusion, long group,
                        std::vector<std::string>& listValues)
{
    const MassMailing::SqlDialect sql(dialect);
    const std::string email = sql.addressToSend("COALESCE(p.email, '')") + " AS email, " +
                              sql.addressIdentity("COALESCE(p.email, '')") + " AS address_key";
    std::string members = "SELECT p.id, " + email +
                          ", p.first_name, p.last_name, p.locale FROM memberships m JOIN people p ON "
                          "p.id = m.person_id WHERE m.group_id = ?";
    if (filterWithExclusion)
        members = "SELECT p.id, " + email +
                  ", p.first_name, p.last_name, p.locale FROM people p WHERE p.id IN (SELECT "
                  "o.person_id FROM "
                  "orders o WHERE o.group_id = ?)";
    // The members materialised first (a LIMIT keeps MariaDB from merging the derived table
    // into the outer query), so that the normalised address is computed once per row, not
    // again at each of the two dozen places the reasons below refer to it.
    members += sql.everyRow();
    // Exclusions as derived tables joined to the members. Addresses are joined on their MD5 on
    // MariaDB: an address (VARCHAR(320) in utf8mb4) is too long a key for the index it builds
    // on a derived table, and without one the join compared every pair (over 20 minutes).
    std::string excluded, exclusions;
    if (filterWithExclusion)
    {
        const std::string toRenew =
            "FROM memberships m2 JOIN people p2 ON p2.id = m2.person_id WHERE m2.group_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM membership_fees f WHERE f.group_id = m2.group_id AND "
            "f.person_id = m2.person_id AND f.valid_until >= ?)";
        auto key = [&](const std::string& address)
        { return dialect == CrmHost::Dialect::MySQL ? "MD5(" + address + ")" : address; };
        excluded = "WHEN xi.id IS NOT NULL OR xe.address IS NOT NULL THEN 'excluded' ";
        exclusions = " LEFT JOIN (SELECT DISTINCT m2.person_id AS id " + toRenew +
                     ") xi ON xi.id = e.id LEFT JOIN (SELECT DISTINCT " +
                     key(sql.addressIdentity("COALESCE(p2.email, '')")) + " AS address " + toRenew +
                     ") xe ON xe.address = " + key("e.address_key");
    }
    // The suppressions as their owner lists them, each a lookup by identity.
    std::string suppressed;
    for (const auto& list : MassMailing::Suppressions::lists(group))
    {
        listValues.insert(listValues.end(), list.values.begin(), list.values.end());
        suppressed += "WHEN " + list.condition("e.address_key") + " THEN '" + list.reason + "' ";
    }
    return "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
           "last_name, company, locale, dedupe_key, status, reason, domain) SELECT ?, 0, 'person', id, "
           "email, first_name, last_name, '', locale, address_key, CASE WHEN reason = '' THEN 'planned' "
           "ELSE 'left_out' END, reason, " +
           sql.addressDomain("email") +
           " FROM (SELECT x.*, CASE WHEN x.early <> '' THEN x.early WHEN ROW_NUMBER() OVER (PARTITION BY "
           "x.address_key ORDER BY CASE WHEN x.early = '' THEN 0 ELSE 1 END, x.id) > 1 THEN 'duplicate' "
           "ELSE '' END AS reason FROM (SELECT e.*, CASE " +
           excluded + "WHEN e.email = '' THEN 'no_address' WHEN " + sql.invalidEmail("e.email") +
           " THEN 'invalid' " + suppressed + "ELSE '' END AS early FROM (" + members + ") e" + exclusions +
           ") x) f";
}

// The bare baseline: the same people's ids and addresses written with a plain INSERT IGNORE ...
// SELECT into a table with the same unique key, nothing computed. What writing the rows costs.
const char* const BARE_TABLE = "bench_audience_bare";

void createBare(CrmHost::Database& database)
{
    Poco::Data::Session session = database.session();
    session << "DROP TABLE IF EXISTS " + std::string(BARE_TABLE), now;
    session << "CREATE TABLE " + std::string(BARE_TABLE) + " (id INTEGER PRIMARY KEY " +
                   (database.dialect() == CrmHost::Dialect::MySQL ? "AUTO_INCREMENT" : "") +
                   ", campaign_id BIGINT NOT NULL, recipient_id BIGINT NOT NULL, email VARCHAR(320) NOT "
                   "NULL, "
                   "UNIQUE (campaign_id, email))" +
                   (database.dialect() == CrmHost::Dialect::MySQL
                        ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                        : ""),
        now;
}

void emptyBare(CrmHost::Database& database)
{
    Poco::Data::Session session = database.session();
    session << "DELETE FROM " + std::string(BARE_TABLE), now;
}

// The people of the scenario's added list (or lists), as bare rows: the loader's own query. The
// table is emptied before, untimed (emptyBare), as the module's first run meets no rows of its own.
void insertBare(CrmHost::Database& database, const std::vector<CrmHost::RecipientQuery>& queries)
{
    Poco::Data::Session session = database.session();
    session.begin();
    std::string union_;
    std::vector<std::string> values;
    for (const auto& query : queries)
    {
        union_ += (union_.empty() ? "" : " UNION ALL ") + query.sql;
        values.insert(values.end(), query.bindings.begin(), query.bindings.end());
    }
    Poco::Data::Statement insert(session);
    insert << std::string(database.dialect() == CrmHost::Dialect::MySQL ? "INSERT IGNORE"
                                                                        : "INSERT OR IGNORE") +
                  " INTO " + BARE_TABLE +
                  " (campaign_id, recipient_id, email) SELECT 1, r.id, r.email FROM (" + union_ + ") r";
    for (const auto& value : values)
        insert, bind(value);
    insert.execute();
    session.commit();
}

struct Scenario
{
    std::string name;
    std::vector<std::string> add;
    std::string exclude;
    bool hand; /// Whether the hand-written statement covers it.
};

const char* const HELP =
    "bench_audience: the module's audience resolution against a fair hand-written INSERT ... SELECT\n"
    "that yields the same rows and reasons, and a bare INSERT IGNORE ... SELECT of the same people's\n"
    "ids and addresses into a table with the same unique key (what writing the rows costs).\n\n"
    "  bench_audience --connector MySQL|SQLite --connect STRING [--group 1] [--runs 3] [--hand no]\n\n"
    "The database must hold the demo data (crmhost seed-demo --people 1000000).\n";
} // namespace

int main(int argc, char** argv)
{
    Options options;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h")
        {
            std::cout << HELP;
            return 0;
        }
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string name = argv[i], value = argv[i + 1];
        if (name == "--connector")
            options.connector = value;
        else if (name == "--connect")
            options.connect = value;
        else if (name == "--group")
            options.group = std::stol(value);
        else if (name == "--runs")
            options.runs = std::stoi(value);
        else if (name == "--hand")
            options.hand = value != "no";
    }
    try
    {
        CrmHost::SqlDatabase database(options.connector, options.connect);
        MassMailing::TargetsLoader loader(database);
        Audience audience(database, loader, [](long) { return 0L; });
        std::string today = Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%d");
        long people = count(database, "SELECT COUNT(*) FROM people", {});

        std::printf("Audience resolution, %s, %ld people, best of %d runs\n\n", options.connector.c_str(),
                    people, options.runs);
        std::printf("| %-44s | %9s | %9s | %10s | %10s | %10s | %11s | %9s | %10s |\n", "audience", "loaded",
                    "planned", "module (s)", "hand (s)", "bare (s)", "module/bare", "hand/bare", "same rows");
        std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(),
                    std::string(11, '-').c_str(), std::string(11, '-').c_str(), std::string(12, '-').c_str(),
                    std::string(12, '-').c_str(), std::string(12, '-').c_str(), std::string(13, '-').c_str(),
                    std::string(11, '-').c_str(), std::string(12, '-').c_str());
        createBare(database);
        for (const Scenario& scenario :
             {Scenario{"all members of the largest group", {"members.all"}, "", true},
              Scenario{"members with an order, minus fees to renew",
                       {"members.with_order"},
                       "members.fees_to_renew",
                       true},
              Scenario{"two lists: without an order, with an order",
                       {"members.without_order", "members.with_order"},
                       "",
                       false}})
        {
            AudienceOwner owner{newCampaign(database, options.group), options.group, "members", "address"};
            std::vector<CrmHost::RecipientQuery> queries;
            for (const auto& add : scenario.add)
            {
                audience.addTarget(owner, add, {}, false);
                for (const auto& target : audience.targets(options.group, "members"))
                    if (target.id == add)
                        queries.push_back(loader.query(target, options.group, database.dialect()));
            }
            if (!scenario.exclude.empty())
                audience.addTarget(owner, scenario.exclude, {}, true);
            MassMailing::AudienceSummary summary;
            double module = best(options.runs, [&] { summary = audience.resolve(owner, 0); });
            double bare = best(
                options.runs, [&] { insertBare(database, queries); }, [&] { emptyBare(database); });

            long hand = newCampaign(database, options.group);
            double handTime = 0;
            long different = 0;
            const bool withHand = scenario.hand && options.hand;
            if (withHand)
            {
                std::vector<std::string> listValues;
                std::string statement =
                    handWritten(database.dialect(), !scenario.exclude.empty(), options.group, listValues);
                handTime = best(options.runs,
                                [&]
                                {
                                    Poco::Data::Session session = database.session();
                                    MassMailing::Suppressions::prepare(session);
                                    session.begin();
                                    session << "DELETE FROM mm_recipients WHERE campaign_id = ?", use(hand),
                                        now;
                                    Poco::Data::Statement insert(session);
                                    long group = options.group;
                                    // In textual order: campaign, the suppressions' lists, members'
                                    // group, the two exclusions.
                                    insert << statement, use(hand);
                                    for (const auto& value : listValues)
                                        insert, bind(value);
                                    insert, use(group);
                                    if (!scenario.exclude.empty())
                                        insert, use(group), use(today), use(group), use(today);
                                    insert.execute();
                                    session.commit();
                                });
                different = difference(database, owner.campaignId, hand);
            }
            auto seconds = [](double value)
            { return value > 0 ? Poco::format("%10.2f", value) : std::string(10, ' ') + "-"; };
            std::printf("| %-44s | %9ld | %9ld | %10.2f | %10s | %10.2f | %11.2f | %9s | %10s |\n",
                        scenario.name.c_str(), summary.loaded, summary.planned, module,
                        seconds(handTime).c_str(), bare, module / bare,
                        withHand ? Poco::format("%9.2f", handTime / bare).c_str() : "-",
                        !withHand        ? "-"
                        : different == 0 ? "yes"
                                         : (std::to_string(different) + " differ").c_str());
            std::fflush(stdout); // each row as soon as it is measured: a run takes minutes
            // Gone again, so that the next run meets the same database, not one that grows.
            audience.clear(owner);
            Poco::Data::Session session = database.session();
            session << "DELETE FROM mm_recipients WHERE campaign_id = ?", use(hand), now;
            session << "DELETE FROM mm_campaigns WHERE id IN (?, ?)", use(owner.campaignId), use(hand), now;
        }
        Poco::Data::Session session = database.session();
        session << "DROP TABLE " + std::string(BARE_TABLE), now;
        return 0;
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << "bench_audience: " << error.displayText() << "\n";
        return 1;
    }
}
