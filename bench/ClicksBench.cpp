// bench/clicks: clicks recorded per second through the module's signed redirect, under concurrent
// HTTP clients, against a real crmhost on MariaDB (issue 13: over 2,000 recorded clicks a second
// with 50 clients).
//
//   bench_clicks --connect "host=127.0.0.1;port=P;user=root;password=X" --crmhost build/bin/crmhost
//                --modules build/modules --resources . [--rows 20000] [--links 5] [--clients 50]
//                [--seconds 10] [--db bench_clicks] [--db-pid PID]
//
// It makes the database `db` afresh (migrated by `crmhost migrate`), one campaign of `rows` sent
// recipients and `links` links, signs a click token per row with the host's secret, starts
// `crmhost serve` and has `clients` threads, each on its own keep-alive connection, ask for
// /p/massmailing/c/{token} of row after row for `seconds`. A click counts as recorded once its
// event is in mm_events; the counters are checked against the events. CPU per click is read from
// /proc for crmhost, for MariaDB (its pid: --db-pid) and for this process (the clients).
#include "SqlDatabase.h"
#include "tracking/CampaignLinks.h"
#include "tracking/LinkSigner.h"
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NullStream.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Thread.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Poco::Data::Keywords;

namespace
{
struct Options
{
    std::string connect, crmhost = "build/bin/crmhost", modules = "build/modules", resources = ".";
    std::string db = "bench_clicks";
    long rows = 20000, links = 5, dbPid = 0;
    int clients = 50, seconds = 10;
};

const std::string SECRET = "bench-clicks-secret-0123456789abcdef-0123456789";
const std::string AGENT =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

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

long count(CrmHost::Database& database, const std::string& sql)
{
    Poco::Data::Session session = database.session();
    Poco::Int64 n = 0;
    session << sql, into(n), now;
    return long(n);
}

int run(const std::string& program, const std::vector<std::string>& args)
{
    Poco::ProcessHandle handle = Poco::Process::launch(program, args);
    return handle.wait();
}

unsigned short freePort()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

bool answers(unsigned short port)
{
    try
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(2, 0));
        Poco::Net::HTTPRequest request("GET", "/login");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(body, sink);
        return response.getStatus() == 200;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}
} // namespace

int main(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string key = argv[i], value = argv[i + 1];
        if (key == "--connect")
            o.connect = value;
        else if (key == "--crmhost")
            o.crmhost = value;
        else if (key == "--modules")
            o.modules = value;
        else if (key == "--resources")
            o.resources = value;
        else if (key == "--db")
            o.db = value;
        else if (key == "--rows")
            o.rows = std::stol(value);
        else if (key == "--links")
            o.links = std::stol(value);
        else if (key == "--clients")
            o.clients = std::stoi(value);
        else if (key == "--seconds")
            o.seconds = std::stoi(value);
        else if (key == "--db-pid")
            o.dbPid = std::stol(value);
        else
        {
            std::cerr << "unknown option " << key << "\n";
            return 2;
        }
    }
    if (o.connect.empty())
    {
        std::cerr
            << "usage: bench_clicks --connect \"host=...;port=...;user=...;password=...\" [--crmhost F] "
               "[--modules D] [--resources D] [--rows N] [--links N] [--clients N] [--seconds S] "
               "[--db NAME] [--db-pid PID]\n";
        return 2;
    }
    try
    {
        {
            CrmHost::SqlDatabase server("MySQL", o.connect, 2);
            Poco::Data::Session session = server.session();
            session << "DROP DATABASE IF EXISTS " + o.db, now;
            session << "CREATE DATABASE " + o.db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", now;
        }
        const std::string connect = o.connect + ";db=" + o.db;
        Poco::TemporaryFile folder;
        folder.createDirectories();
        const std::string dir = folder.path();
        const unsigned short port = freePort();
        const std::string config = dir + "/crmhost.properties";
        {
            Poco::FileOutputStream out(config);
            out << "db.connector = MySQL\ndb.connect = " << connect
                << "\ndb.sessions = 64\ndata.dir = " << dir
                << "/data\nmodules.dir = " << Poco::Path(o.modules).absolute().toString()
                << "\nresources.dir = " << Poco::Path(o.resources).absolute().toString()
                << "\nhttp.address = 127.0.0.1\nhttp.port = " << port
                << "\nhttp.threads = " << (o.clients + 14)
                << "\nmassmailing.transport = outbox\nmassmailing.secret = " << SECRET << "\n";
        }
        if (run(o.crmhost, {"--config", config, "migrate"}) != 0)
            throw Poco::RuntimeException("crmhost migrate failed");

        // One campaign sent an hour ago to `rows` people, with `links` links.
        CrmHost::SqlDatabase database("MySQL", connect, 4);
        std::vector<long> linkIds;
        long group = 0, campaign = 0;
        {
            Poco::Data::Session session = database.session();
            session << "INSERT INTO host_groups (kind, name) VALUES ('food', 'Bench')", now;
            group = count(database, "SELECT MAX(id) FROM host_groups");
            session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, status, html, text_body) "
                       "VALUES "
                       "(?, 'members', 'bench', 'done', '', '')",
                use(group), now;
            campaign = count(database, "SELECT MAX(id) FROM mm_campaigns");
            for (long start = 0; start < o.rows; start += 1000)
            {
                std::string sql =
                    "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, "
                    "dedupe_key, status, sent_at) VALUES ";
                for (long i = start; i < std::min(o.rows, start + 1000); ++i)
                    sql += std::string(i == start ? "" : ",") + "(" + std::to_string(campaign) +
                           ", 0, 'person', " + std::to_string(i) + ", 'p" + std::to_string(i) +
                           "@example.org', 'p" + std::to_string(i) +
                           "@example.org', 'sent', UTC_TIMESTAMP() - INTERVAL 1 HOUR)";
                session << sql, now;
            }
            MassMailing::CampaignLinks links(database);
            for (long l = 0; l < o.links; ++l)
                linkIds.push_back(
                    links.idOf(campaign, "https://shop.example/page" + std::to_string(l) + "?from=mail"));
        }
        std::vector<long> rows;
        {
            Poco::Data::Session session = database.session();
            std::vector<Poco::Int64> ids;
            session << "SELECT id FROM mm_recipients WHERE campaign_id = ? ORDER BY id", use(campaign),
                into(ids), now;
            for (auto id : ids)
                rows.push_back(long(id));
        }
        MassMailing::LinkSigner signer(SECRET);
        std::vector<std::string> paths;
        for (std::size_t i = 0; i < rows.size(); ++i)
        {
            MassMailing::LinkToken token{
                MassMailing::LinkPurpose::Click, group, campaign, rows[i], "", false};
            token.linkId = linkIds[i % linkIds.size()];
            paths.push_back("/p/massmailing/c/" + signer.sign(token));
        }

        Poco::ProcessHandle host = Poco::Process::launch(o.crmhost, {"--config", config, "serve"});
        const long hostPid = long(host.id());
        for (int waited = 0; !answers(port); waited += 100)
        {
            if (waited > 60000)
                throw Poco::TimeoutException("crmhost did not answer within 60 s");
            Poco::Thread::sleep(100);
        }

        std::atomic<long> next{0}, sent{0}, failed{0};
        std::atomic<bool> stop{false};
        auto client = [&]
        {
            Poco::Net::HTTPClientSession session("127.0.0.1", port);
            session.setKeepAlive(true);
            session.setTimeout(Poco::Timespan(10, 0));
            while (!stop)
            {
                const std::string& path = paths[std::size_t(next++) % paths.size()];
                try
                {
                    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
                    request.set("User-Agent", AGENT);
                    request.setKeepAlive(true);
                    session.sendRequest(request);
                    Poco::Net::HTTPResponse response;
                    std::istream& body = session.receiveResponse(response);
                    Poco::NullOutputStream sink;
                    Poco::StreamCopier::copyStream(body, sink);
                    if (response.getStatus() == 302)
                        ++sent;
                    else
                        ++failed;
                }
                catch (const Poco::Exception&)
                {
                    ++failed;
                    session.reset();
                }
            }
        };
        // Warm: each link's URL read once.
        for (std::size_t i = 0; i < linkIds.size() && i < paths.size(); ++i)
        {
            Poco::Net::HTTPClientSession warm("127.0.0.1", port);
            Poco::Net::HTTPRequest request("GET", paths[i]);
            request.set("User-Agent", AGENT);
            warm.sendRequest(request);
            Poco::Net::HTTPResponse response;
            Poco::NullOutputStream sink;
            Poco::StreamCopier::copyStream(warm.receiveResponse(response), sink);
        }
        for (int waited = 0;
             count(database, "SELECT COUNT(*) FROM mm_events") < long(linkIds.size()) && waited < 10000;
             waited += 50)
            Poco::Thread::sleep(50);
        const long before = count(database, "SELECT COUNT(*) FROM mm_events");
        const long beforeId = count(database, "SELECT COALESCE(MAX(id), 0) FROM mm_events");

        const double hostCpu0 = cpuOf(hostPid), dbCpu0 = o.dbPid ? cpuOf(o.dbPid) : -1, ownCpu0 = ownCpu();
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> threads;
        for (int c = 0; c < o.clients; ++c)
            threads.emplace_back(client);
        std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
        stop = true;
        for (auto& t : threads)
            t.join();
        const double requestSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // Waiting for the last event: MAX(id) is one index seek, where a COUNT(*) polled every
        // few milliseconds would read the whole table each time and slow down what it measures.
        // Ids leave no gap but a failed write's, so the count is checked once they reach it.
        long recorded = 0;
        for (int waited = 0; waited < 600000; waited += 20)
        {
            if (count(database, "SELECT COALESCE(MAX(id), 0) FROM mm_events") - beforeId >= sent)
            {
                recorded = count(database, "SELECT COUNT(*) FROM mm_events") - before;
                if (recorded >= sent)
                    break;
            }
            Poco::Thread::sleep(20);
        }
        const double recordSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double hostCpu = cpuOf(hostPid) - hostCpu0, dbCpu = o.dbPid ? cpuOf(o.dbPid) - dbCpu0 : -1,
                     clientCpu = ownCpu() - ownCpu0;

        const long rowClicks = count(database, "SELECT SUM(clicks) FROM mm_recipients");
        const long linkClicks = count(database, "SELECT SUM(clicks) FROM mm_links");
        const long unique = count(database, "SELECT SUM(unique_clicks) FROM mm_links");
        const long hours = count(database, "SELECT SUM(clicks) FROM mm_result_hours");
        const long people =
            count(database, "SELECT COUNT(*) FROM mm_recipients WHERE first_click_at IS NOT NULL");

        Poco::Process::requestTermination(hostPid);
        host.wait();

        auto perClick = [&](double cpu)
        {
            char text[32];
            if (cpu < 0)
                return std::string("n/a (no --db-pid)");
            std::snprintf(text, sizeof text, "%.3f ms", recorded > 0 ? cpu * 1000 / double(recorded) : 0.0);
            return std::string(text);
        };
        std::printf("\nbench/clicks: %d clients, %ld rows, %ld links, %d s, MariaDB\n\n", o.clients, o.rows,
                    o.links, o.seconds);
        std::printf("| measure | value |\n|---|---|\n");
        std::printf("| redirects answered (302) | %ld |\n", long(sent));
        std::printf("| failed requests | %ld |\n", long(failed));
        std::printf("| redirects per second | %.0f |\n", double(sent) / requestSeconds);
        std::printf("| clicks recorded (mm_events) | %ld |\n", recorded);
        std::printf("| **recorded clicks per second** | **%.0f** |\n", double(recorded) / recordSeconds);
        std::printf("| last click recorded after the last request | %.2f s |\n",
                    recordSeconds - requestSeconds);
        std::printf("| CPU per click, crmhost | %s |\n", perClick(hostCpu).c_str());
        std::printf("| CPU per click, MariaDB | %s |\n", perClick(dbCpu).c_str());
        std::printf("| CPU per click, the %d clients | %s |\n", o.clients, perClick(clientCpu).c_str());
        std::printf("| counters: rows' clicks / links' clicks / hours' clicks | %ld / %ld / %ld |\n",
                    rowClicks, linkClicks, hours);
        std::printf("| people who clicked / unique clicks of links | %ld / %ld |\n", people, unique);
        const bool consistent =
            rowClicks == recorded + before && linkClicks == rowClicks && hours == rowClicks;
        std::printf("\ncounters %s the events\n", consistent ? "match" : "DO NOT match");
        return consistent && recorded >= sent ? 0 : 1;
    }
    catch (const Poco::Exception& error)
    {
        std::cerr << "bench_clicks: " << error.displayText() << "\n";
        return 1;
    }
}
