// Fuzz target: the CSV import and the address box of step 3 (audience/Audience::importCsv,
// addAddressLines), into an SQLite database in memory with the real schema (the host's
// Migrator over schema/, foreign keys on as SqlDatabase sets them). Any bytes: separators,
// quotes, byte order marks, invalid UTF-8, long lines. Every refused line is reported; nothing
// throws, and no more lines are taken than the text has.
#include "FuzzInput.h"
#include "Migrator.h"
#include "audience/Audience.h"
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <algorithm>
#include <cstdlib>

using namespace Poco::Data::Keywords;

namespace
{
Poco::Data::Session openMemory()
{
    Poco::Data::SQLite::Connector::registerConnector();
    return Poco::Data::Session("SQLite", ":memory:");
}

// One connection to a database in memory, shared by every session asked for.
class MemoryDatabase : public CrmHost::Database
{
public:
    MemoryDatabase() : _session(openMemory()) { _session << "PRAGMA foreign_keys=ON", now; }
    Poco::Data::Session session() override { return _session; }
    CrmHost::Dialect dialect() const override { return CrmHost::Dialect::SQLite; }

private:
    Poco::Data::Session _session;
};

class NoTargets : public CrmHost::RecipientLoader
{
public:
    std::string name() const override { return "fuzz"; }
    std::vector<CrmHost::Target> targets(long) const override { return {}; }
    CrmHost::RecipientQuery query(const CrmHost::Target&, long, CrmHost::Dialect) const override
    {
        return {};
    }
};

MemoryDatabase& database()
{
    static MemoryDatabase* db = []
    {
        auto* d = new MemoryDatabase;
        CrmHost::Migrator migrator(*d, CRMHOST_RESOURCE_DIR "/schema");
        migrator.migrate("host");
        migrator.migrate("massmailing");
        Poco::Data::Session session = d->session();
        session << "INSERT INTO host_groups (id, kind, name) VALUES (1, 'food', 'Fuzz')", now;
        session
            << "INSERT INTO mm_campaigns (id, group_id, recipient_type, name) VALUES (1, 1, 'members', 'F')",
            now;
        return d;
    }();
    return *db;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static NoTargets loader;
    std::string text = MassMailingFuzz::textOf(data, size);
    MassMailing::Audience audience(database(), loader, [](long) { return 0L; });
    MassMailing::AudienceOwner owner{1, 1, "members", "address"};

    long lines = long(std::count(text.begin(), text.end(), '\n')) + 1;
    for (int csv = 0; csv < 2; ++csv)
    {
        MassMailing::CsvReport report =
            csv ? audience.importCsv(owner, text, "people.csv") : audience.addAddressLines(owner, text);
        if (report.taken < 0 || report.taken + long(report.refused.size()) > lines)
            std::abort(); // more lines taken or refused than the text has
        for (const auto& refusal : report.refused)
            if (refusal.line < 1 || refusal.line > lines || refusal.code.empty() || refusal.message.empty())
                std::abort(); // a refusal that does not say where or why
    }
    Poco::Data::Session session = database().session();
    session << "DELETE FROM mm_audience_addresses", now;
    session << "DELETE FROM mm_audience_sources", now;
    return 0;
}
