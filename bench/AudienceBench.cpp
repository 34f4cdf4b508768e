// bench/audience: the module's audience resolution against the best hand-written
// INSERT ... SELECT that yields the same rows, on the same database in the same run.
//
//   bench_audience --connector MySQL --connect "host=...;db=..." [--group 1] [--runs 3]
//
// The database must hold the demo data (crmhost seed-demo --people 1000000).
#include "SqlDatabase.h"
#include "SqlDialect.h"
#include "audience/Audience.h"
#include "audience/TargetsLoader.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
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

// The best of several runs, in seconds.
double best(int runs, const std::function<void()>& run)
{
    double fastest = 1e9;
    for (int i = 0; i < runs; ++i)
    {
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
std::string handWritten(CrmHost::Dialect dialect, bool filterWithExclusion)
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
    return "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
           "last_name, "
           "company, locale, dedupe_key, status, reason) SELECT ?, 0, 'person', id, email, first_name, "
           "last_name, '', "
           "locale, address_key, CASE WHEN reason = '' THEN 'planned' ELSE 'left_out' END, reason FROM "
           "(SELECT "
           "x.*, CASE "
           "WHEN x.early <> '' THEN x.early WHEN ROW_NUMBER() OVER (PARTITION BY x.address_key ORDER BY CASE "
           "WHEN "
           "x.early "
           "= '' THEN 0 ELSE 1 END, x.id) > 1 THEN 'duplicate' ELSE '' END AS reason FROM (SELECT e.*, "
           "CASE " +
           excluded + "WHEN e.email = '' THEN 'no_address' WHEN " + sql.invalidEmail("e.email") +
           " THEN 'invalid' WHEN e.address_key IN (SELECT address FROM mm_unsubscribes WHERE group_id = ?) "
           "THEN "
           "'unsubscribed' WHEN e.address_key IN (SELECT address FROM mm_address_blocks WHERE reason = "
           "'bounced') "
           "THEN "
           "'bounced' WHEN e.address_key IN (SELECT address FROM mm_address_blocks WHERE reason = "
           "'complained') "
           "THEN "
           "'complained' ELSE '' END AS early FROM (" +
           members + ") e" + exclusions + ") x) f";
}

struct Scenario
{
    std::string name;
    std::string add;
    std::string exclude;
};
} // namespace

int main(int argc, char** argv)
{
    Options options;
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
        std::printf("| %-44s | %9s | %9s | %10s | %10s | %5s | %10s |\n", "audience", "loaded", "planned",
                    "module (s)", "hand (s)", "ratio", "same rows");
        std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(11, '-').c_str(),
                    std::string(11, '-').c_str(), std::string(12, '-').c_str(), std::string(12, '-').c_str(),
                    std::string(7, '-').c_str(), std::string(12, '-').c_str());
        for (const Scenario& scenario : {Scenario{"all members of the largest group", "members.all", ""},
                                         Scenario{"members with an order, minus fees to renew",
                                                  "members.with_order", "members.fees_to_renew"}})
        {
            AudienceOwner owner{newCampaign(database, options.group), options.group, "members", "address"};
            audience.addTarget(owner, scenario.add, {}, false);
            if (!scenario.exclude.empty())
                audience.addTarget(owner, scenario.exclude, {}, true);
            MassMailing::AudienceSummary summary;
            double module = best(options.runs, [&] { summary = audience.resolve(owner, 0); });

            long hand = newCampaign(database, options.group);
            std::string statement = handWritten(database.dialect(), !scenario.exclude.empty());
            double handTime = best(options.runs,
                                   [&]
                                   {
                                       Poco::Data::Session session = database.session();
                                       session.begin();
                                       session << "DELETE FROM mm_recipients WHERE campaign_id = ?",
                                           use(hand), now;
                                       Poco::Data::Statement insert(session);
                                       long group = options.group;
                                       // In textual order: campaign, unsubscribes' group, members'
                                       // group, the two exclusions.
                                       insert << statement, use(hand), use(group), use(group);
                                       if (!scenario.exclude.empty())
                                           insert, use(group), use(today), use(group), use(today);
                                       insert.execute();
                                       session.commit();
                                   });
            long different = difference(database, owner.campaignId, hand);
            std::printf("| %-44s | %9ld | %9ld | %10.2f | %10.2f | %5.2f | %10s |\n", scenario.name.c_str(),
                        summary.loaded, summary.planned, module, handTime, module / handTime,
                        different == 0 ? "yes" : (std::to_string(different) + " differ").c_str());
            std::fflush(stdout); // each row as soon as it is measured: a run takes minutes
            // Gone again, so that the next run meets the same database, not one that grows.
            audience.clear(owner);
            Poco::Data::Session session = database.session();
            session << "DELETE FROM mm_recipients WHERE campaign_id = ?", use(hand), now;
            session << "DELETE FROM mm_campaigns WHERE id IN (?, ?)", use(owner.campaignId), use(hand), now;
        }
        return 0;
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << "bench_audience: " << error.displayText() << "\n";
        return 1;
    }
}
