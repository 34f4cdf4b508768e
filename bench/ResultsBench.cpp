// bench/results: the results of one campaign of 1,000,000 recipients with 3,000,000 tracking
// events (issue 13): Results::of, the JSON route, the page (rendered with the real templates)
// and the CSV export in rows per second. Goals: the page under 1 s, the CSV over 100,000 rows/s.
//
//   bench_results --connector MySQL --connect "host=...;db=..." [--recipients 1000000]
//                 [--events 3000000] [--runs 3] [--keep] [--campaign ID] [--db-pid PID] [--csv-only]
//
// Each line gives the wall time and the CPU it took, of this process and of MariaDB (its pid:
// --db-pid), so that a run on a busy machine still says what the work itself costs.
// The database must hold the schema (crmhost migrate); the bench writes its own group, campaign,
// rows, events, hours, links and orders, and removes them at the end unless --keep is given.
// The screens are called in this process (no HTTP, no host layout): what they cost themselves.
#include "Catalogue.h"
#include "MustacheRenderer.h"
#include "SqlDatabase.h"
#include "content/Campaigns.h"
#include "screens/ResultsScreen.h"
#include "screens/Wizard.h"
#include "tracking/Results.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <streambuf>
#include <sys/resource.h>
#include <unistd.h>

using namespace Poco::Data::Keywords;

namespace
{
struct Options
{
    std::string connector = "MySQL";
    std::string connect;
    long recipients = 1000000;
    long events = 3000000;
    int runs = 3;
    bool keep = false;
    long campaign = 0;    /// Of an earlier --keep run: its data, not written again.
    long dbPid = 0;       /// MariaDB's process, for its CPU.
    bool csvOnly = false; /// Only the CSV (to profile it).
};

// CPU seconds (user + system) a process used so far, from /proc/PID/stat; -1 when unknown.
double cpuOf(long pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    unsigned long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
    {
        if (i == 14)
            utime = std::stoul(field);
        if (i == 15)
            stime = std::stoul(field);
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

double ownCpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string one, five;
    in >> one >> five;
    return one + " (1 min), " + five + " (5 min)";
}

// A run's wall time and the CPU of this process and of the database in it.
struct Cost
{
    double wall = 1e9, own = 0, db = -1;
};

// An ostream that counts and forgets what it is given, as a fast client would read it.
class CountingBuffer : public std::streambuf
{
public:
    std::size_t bytes = 0, lines = 0;

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override
    {
        bytes += std::size_t(n);
        lines += std::size_t(std::count(s, s + n, '\n'));
        return n;
    }
    int overflow(int c) override
    {
        if (c != EOF)
        {
            ++bytes;
            lines += c == '\n';
        }
        return c;
    }
};

long dbPid = 0;

Cost measure(const std::function<void()>& run)
{
    const double own = ownCpu(), db = dbPid ? cpuOf(dbPid) : -1;
    Poco::Stopwatch watch;
    watch.start();
    run();
    return {watch.elapsed() / 1e6, ownCpu() - own, dbPid ? cpuOf(dbPid) - db : -1};
}

// The fastest of the runs.
Cost best(int runs, const std::function<void()>& run)
{
    Cost fastest;
    for (int i = 0; i < runs; ++i)
    {
        Cost cost = measure(run);
        if (cost.wall < fastest.wall)
            fastest = cost;
    }
    return fastest;
}

std::string cpuText(const Cost& cost)
{
    char text[64];
    if (cost.db < 0)
        std::snprintf(text, sizeof text, "%.3f s + n/a", cost.own);
    else
        std::snprintf(text, sizeof text, "%.3f s + %.3f s", cost.own, cost.db);
    return text;
}

void exec(Poco::Data::Session& session, const std::string& sql)
{
    session << sql, now;
}

// The campaign's data, written set-based: a table of 1,000 numbers crossed with itself.
long fill(CrmHost::Database& database, const Options& o)
{
    Poco::Data::Session session = database.session();
    exec(session, "DROP TABLE IF EXISTS bench_numbers");
    exec(session, "CREATE TABLE bench_numbers (n INT PRIMARY KEY)");
    std::string values;
    for (int i = 0; i < 1000; ++i)
        values += (i ? ",(" : "(") + std::to_string(i) + ")";
    exec(session, "INSERT INTO bench_numbers (n) VALUES " + values);
    exec(session, "INSERT INTO host_groups (kind, name) VALUES ('food', 'bench results')");
    Poco::Int64 group = 0, campaign = 0;
    session << "SELECT MAX(id) FROM host_groups", into(group), now;
    session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, subject, html, text_body, status, "
               "started_at, finished_at) VALUES (?, 'members', 'bench results', 'bench', '', '', 'done', "
               "'2026-01-05 09:00:00', '2026-01-05 11:00:00')",
        use(group), now;
    session << "SELECT MAX(id) FROM mm_campaigns", into(campaign), now;
    session << "INSERT INTO mm_campaign_versions (campaign_id, locale, subject, html, text_body) VALUES (?, "
               "'en', "
               "'bench', '', '')",
        use(campaign), now;
    const std::string c = std::to_string(campaign), limit = std::to_string(o.recipients);
    // n from 1: a skewed mix of domains (a few large ones, then 2,000 small ones), 2 % held out,
    // 1 % hard and 1 % soft bounces, a third opened, a tenth clicked.
    const std::string domain = "CASE WHEN n % 100 < 30 THEN 'gmail.com' WHEN n % 100 < 45 THEN 'orange.fr' "
                               "WHEN n % 100 < 55 THEN 'yahoo.fr' WHEN n % 100 < 62 THEN 'hotmail.com' WHEN "
                               "n % 100 < 67 THEN 'free.fr' ELSE CONCAT('d', n % 2000, '.example') END";
    Poco::Stopwatch watch;
    watch.start();
    exec(
        session,
        "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
        "last_name, "
        "locale, dedupe_key, status, reason, bounce, bounce_detail, opens, machine_opens, clicks, "
        "machine_clicks, "
        "domain, sent_at, first_open_at, first_click_at, unsubscribed_at, complained_at) SELECT " +
            c +
            ", 1, 'person', n, CONCAT('user', n, '@', d), 'Pr\xC3\xA9nom', CONCAT('Nom, ', n), CASE WHEN n % "
            "5 "
            "= 0 THEN 'en' ELSE 'fr' END, CONCAT('user', n, '@', d), CASE WHEN n % 100 < 2 THEN 'left_out' "
            "WHEN "
            "n % 100 = 2 THEN 'bounced' ELSE 'sent' END, CASE WHEN n % 100 < 2 THEN 'control_group' ELSE '' "
            "END, "
            "CASE WHEN n % 100 = 2 THEN 'hard' WHEN n % 100 = 3 THEN 'soft' ELSE '' END, CASE WHEN n % 100 = "
            "2 "
            "THEN '550 5.1.1 user unknown' ELSE '' END, CASE WHEN n % 3 = 0 THEN 1 + n % 4 ELSE 0 END, CASE "
            "WHEN "
            "n % 7 = 0 THEN 1 ELSE 0 END, CASE WHEN n % 10 = 0 THEN 1 + n % 2 ELSE 0 END, CASE WHEN n % 11 = "
            "0 "
            "THEN 1 ELSE 0 END, d, '2026-01-05 09:10:00', CASE WHEN n % 3 = 0 THEN '2026-01-05 10:00:00' "
            "END, CASE "
            "WHEN n % 10 = 0 THEN '2026-01-05 10:30:00' END, CASE WHEN n % 500 = 0 THEN '2026-01-05 "
            "12:00:00' END, "
            "CASE WHEN n % 2000 = 0 THEN '2026-01-06 08:00:00' END FROM (SELECT a.n * 1000 + b.n + 1 AS n, " +
            Poco::replace(domain, std::string("n %"), std::string("(a.n * 1000 + b.n + 1) %")) +
            " AS d FROM bench_numbers a CROSS JOIN bench_numbers b) x WHERE n <= " + limit + " ORDER BY n");
    std::printf("  wrote %ld recipients in %.1f s\n", o.recipients, watch.elapsed() / 1e6);
    watch.restart();
    Poco::Int64 first = 0;
    session << "SELECT MIN(id) FROM mm_recipients WHERE campaign_id = ?", use(campaign), into(first), now;
    // Three events per recipient (opens and clicks), spread over 72 hours.
    for (long done = 0; done < o.events; done += o.recipients)
    {
        long batch = std::min(o.recipients, o.events - done);
        exec(session,
             "INSERT INTO mm_events (campaign_id, recipient_row, kind, machine, link_id, at, user_agent, ip) "
             "SELECT " +
                 c + ", " + std::to_string(first) +
                 " + (a.n * 1000 + b.n), CASE WHEN b.n % 3 = 0 THEN "
                 "'click' ELSE 'open' END, CASE WHEN b.n % 7 = 0 THEN 1 ELSE 0 END, b.n % 20, "
                 "DATE_ADD('2026-01-05 09:00:00', INTERVAL ((a.n * 1000 + b.n) % 259200) SECOND), "
                 "'Mozilla/5.0 bench', '127.0.0.1' FROM bench_numbers a CROSS JOIN bench_numbers b "
                 "WHERE a.n * 1000 + b.n < " +
                 std::to_string(batch));
    }
    std::printf("  wrote %ld events in %.1f s\n", o.events, watch.elapsed() / 1e6);
    exec(session,
         "INSERT INTO mm_result_hours (campaign_id, hour, opens, machine_opens, clicks, machine_clicks) "
         "SELECT " +
             c +
             ", DATE_ADD('2026-01-05 09:00:00', INTERVAL n HOUR), 20000 - n * 250, n * 10, 3000 - n * "
             "40, n FROM bench_numbers WHERE n < 72");
    exec(session,
         "INSERT INTO mm_links (campaign_id, url, url_hash, clicks, unique_clicks, machine_clicks) SELECT " +
             c +
             ", CONCAT('https://example.org/page/', n), SHA2(CONCAT('https://example.org/page/', n), 256), "
             "20000 - n * 900, 15000 - n * 700, n * 30 FROM "
             "bench_numbers WHERE n < 20");
    // Orders of the group in the week after the send: every 13th person.
    exec(session, "INSERT INTO orders (group_id, person_id, catalogue_id, ordered_at) SELECT " +
                      std::to_string(group) +
                      ", a.n * 1000 + b.n + 1, 1, '2026-01-07 12:00:00' FROM bench_numbers a CROSS JOIN "
                      "bench_numbers b WHERE (a.n * 1000 + b.n + 1) % 13 = 0 AND a.n * 1000 + b.n < " +
                      limit);
    exec(session, "ANALYZE TABLE mm_recipients, mm_events, orders");
    return long(campaign);
}

void clean(CrmHost::Database& database, long campaign)
{
    Poco::Data::Session session = database.session();
    Poco::Int64 group = 0;
    session << "SELECT group_id FROM mm_campaigns WHERE id = ?", use(campaign), into(group), now;
    for (const char* table :
         {"mm_recipients", "mm_events", "mm_result_hours", "mm_links", "mm_campaign_versions"})
        session << std::string("DELETE FROM ") + table + " WHERE campaign_id = ?", use(campaign), now;
    session << "DELETE FROM mm_campaigns WHERE id = ?", use(campaign), now;
    session << "DELETE FROM orders WHERE group_id = ?", use(group), now;
    session << "DELETE FROM host_groups WHERE id = ?", use(group), now;
    exec(session, "DROP TABLE IF EXISTS bench_numbers");
}
} // namespace

int main(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc ||
                    (i < argc && (std::string(argv[i]) == "--keep" || std::string(argv[i]) == "--csv-only"));
         ++i)
    {
        std::string name = argv[i];
        if (name == "--keep" || name == "--csv-only")
        {
            (name == "--keep" ? o.keep : o.csvOnly) = true;
            continue;
        }
        std::string value = argv[++i];
        if (name == "--connector")
            o.connector = value;
        else if (name == "--connect")
            o.connect = value;
        else if (name == "--recipients")
            o.recipients = std::stol(value);
        else if (name == "--events")
            o.events = std::stol(value);
        else if (name == "--runs")
            o.runs = std::stoi(value);
        else if (name == "--campaign")
            o.campaign = std::stol(value);
        else if (name == "--db-pid")
            o.dbPid = std::stol(value);
    }
    if (o.connect.empty())
    {
        std::cerr
            << "usage: bench_results --connector MySQL --connect CONNECTION [--recipients N] [--events N] "
               "[--runs N] [--keep] [--campaign ID] [--db-pid PID] [--csv-only]\n";
        return 2;
    }
    try
    {
        CrmHost::SqlDatabase database(o.connector, o.connect, 4);
        std::printf("bench/results: %ld recipients, %ld events, %s\n", o.recipients, o.events,
                    o.connector.c_str());
        long id = o.campaign > 0 ? o.campaign : fill(database, o);

        MassMailing::Campaigns campaigns(database);
        MassMailing::Campaign campaign = *campaigns.find(id);
        MassMailing::Results results(database, [] { return Poco::DateTime(); });
        const std::string templates = std::string(CRMHOST_RESOURCE_DIR) + "/templates";
        CrmHost::Catalogue catalogue;
        catalogue.load(templates, "massmailing");
        CrmHost::MustacheRenderer renderer(templates, "massmailing", catalogue);
        MassMailing::Wizard wizard(renderer, campaigns);
        MassMailing::ResultsScreen screen(wizard, campaigns, results);
        CrmHost::Request request;
        request.method = "GET";
        request.params["id"] = std::to_string(id);
        request.groupId = campaign.groupId;
        request.userId = 1;
        request.hasRight = [](const std::string&, long) { return true; };
        request.moduleEnabled = [](long) { return true; };

        // The task's count (every 30 s while the campaign sends, and when events came in), then
        // what a page view costs with it.
        dbPid = o.dbPid;
        std::printf("  load average before: %s\n", loadAverage().c_str());
        const int runs = o.csvOnly ? 0 : o.runs;
        Cost refresh = best(runs, [&] { results.refresh(campaign); });
        Cost of = best(runs, [&] { results.of(campaign); });
        std::size_t jsonBytes = 0, pageBytes = 0;
        Cost json = best(runs, [&] { jsonBytes = screen.json(request).body.size(); });
        Cost page = best(runs, [&] { pageBytes = screen.page(request).body.size(); });
        // The page of a finished campaign whose counts are months old, nothing new since (made
        // after the orders' week, the latest event in them): read as they are, not made again.
        Cost oldPage;
        if (runs > 0)
        {
            Poco::Data::Session session = database.session();
            session
                << "UPDATE mm_result_snapshots SET computed_at = '2026-01-13 00:00:00' WHERE campaign_id = ?",
                use(id), now;
            oldPage = best(runs, [&] { screen.page(request); });
        }
        CountingBuffer counted;
        std::ostream sink(&counted);
        Cost csv = best(1, [&] { screen.csv(request).stream(sink); });
        const double rows = double(counted.lines - 1), rowsPerSecond = rows / csv.wall;
        const double rowsPerCpu = csv.db < 0 ? 0 : rows / (csv.own + csv.db);
        std::printf("  load average after: %s\n", loadAverage().c_str());

        std::printf("\n| what | time | CPU: bench + MariaDB | size | goal |\n|---|---|---|---|---|\n");
        if (!o.csvOnly)
        {
            std::printf("| Results::refresh (the task's count, in the background) | %.3f s | %s | | |\n",
                        refresh.wall, cpuText(refresh).c_str());
            std::printf("| Results::of (from the counts) | %.3f s | %s | | |\n", of.wall,
                        cpuText(of).c_str());
            std::printf("| JSON campaigns/{id}/results | %.3f s | %s | %zu bytes | |\n", json.wall,
                        cpuText(json).c_str(), jsonBytes);
            std::printf("| page campaigns/{id}/results | %.3f s | %s | %zu bytes | under 1 s: %s |\n",
                        page.wall, cpuText(page).c_str(), pageBytes, page.wall < 1.0 ? "met" : "MISSED");
            std::printf("| page, counts months old, nothing new since | %.3f s | %s | | under 1 s: %s |\n",
                        oldPage.wall, cpuText(oldPage).c_str(), oldPage.wall < 1.0 ? "met" : "MISSED");
        }
        std::printf("| CSV results.csv | %.2f s, %.0f rows/s | %s (%.0f rows per CPU second) | %zu lines, "
                    "%.1f MB | over 100,000 rows/s: %s |\n",
                    csv.wall, rowsPerSecond, cpuText(csv).c_str(), rowsPerCpu, counted.lines - 1,
                    double(counted.bytes) / 1e6, rowsPerSecond > 100000 ? "met" : "MISSED");
        if (!o.keep)
            clean(database, id);
        else
            std::printf("kept campaign %ld\n", id);
        return 0;
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << error.displayText() << "\n";
        return 1;
    }
}
