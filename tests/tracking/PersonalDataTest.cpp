#include "tracking/PersonalData.h"
#include "FieldException.h"
#include "TestDatabase.h"
#include "audience/Audience.h"
#include "audience/EmailAddress.h"
#include "audience/RecipientDirectory.h"
#include "audience/Suppressions.h"
#include "audience/TargetsLoader.h"
#include "content/Campaigns.h"
#include "delivery/Deliveries.h"
#include "delivery/TestSends.h"
#include "tracking/Results.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <sstream>

using namespace Poco::Data::Keywords;
using MassMailing::FieldException;
using MassMailing::PersonalData;
using MassMailing::PersonalExport;
using MassMailing::Suppressions;

// A person's data held by the module (X2): exported, then erased, on the database CRMHOST_TEST_DB
// names. The rows of other stages (bounces, opens, clicks, events, audience lines) are written
// with SQL as their writers leave them. What the erasure must leave is checked generically: every
// text of every column of every mm_ table (read from the schema, so that a table added later is
// covered) is searched for the address.
class PersonalDataTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PersonalDataTest);
    CPPUNIT_TEST(testExportHoldsEveryRowAboutThePerson);
    CPPUNIT_TEST(testErasureLeavesTheAddressInNoTableAndTheCountsAsTheyWere);
    CPPUNIT_TEST(testAnErasedPersonLoadedByAddressOrAsAMemberIsLeftOut);
    CPPUNIT_TEST(testErasureNeedsTheAddressTypedAgainAndIsRecordedWithoutIt);
    CPPUNIT_TEST(testOtherPeopleAndOtherGroupsAreUntouched);
    CPPUNIT_TEST(testSqliteSha2IsMariaDbs);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _database = makeTestDatabase("crmhost_test_personal_data");
        const CrmHostTests::TwoFoodGroups world = CrmHostTests::seedTwoFoodGroups(
            *_database, "Marie", "Sklodowska", "Marie.Sklodowska@example.org", "administratrice");
        _amap = world.group;
        _other = world.otherGroup;
        _marie = world.person;
        _paul = world.otherPerson;
        _user = world.user;
        _clock = [] { return Poco::DateTime(2026, 12, 4, 10); };
        _directory = std::make_unique<MassMailing::RecipientDirectory>(*_database);
        _data = std::make_unique<PersonalData>(*_database, *_directory, _clock);
    }

    void tearDown() override
    {
        _data.reset();
        _directory.reset();
        _database.reset();
    }

    void testExportHoldsEveryRowAboutThePerson()
    {
        seed();
        // Every row of every mm_ table that names her, found from the schema...
        std::map<std::string, long> named = rowsNaming(ADDRESS);
        CPPUNIT_ASSERT(named.size() >= 9);
        PersonalExport data = _data->exportOf(_amap, "food", " Marie.SKLODOWSKA@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string(ADDRESS), data.address);
        // ... is in the export, table by table (the other group's row is that group's).
        for (const auto& [table, count] : named)
        {
            long ofOthers = table == "mm_recipients" ? 1 : table == "mm_test_sends" ? 1 : 0;
            CPPUNIT_ASSERT_MESSAGE(table,
                                   long(data.count(table)) >= count - ofOthers && data.count(table) > 0);
        }
        // With the rows that hold no address but are about her: her events, her unchecked id.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), data.count("mm_events"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), data.count("mm_audience_unchecked"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), data.count("mm_recipients"));

        // JSON: each table's rows by column; the click's link and the bounce's text are there.
        Poco::JSON::Object::Ptr json =
            Poco::JSON::Parser().parse(data.json()).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string(ADDRESS), json->getValue<std::string>("address"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-04T10:00:00Z"), json->getValue<std::string>("exported_at"));
        auto tables = json->getObject("tables");
        auto recipients = tables->getArray("mm_recipients");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), recipients->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Octobre"),
                             recipients->getObject(0)->getValue<std::string>("campaign_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), recipients->getObject(0)->getValue<std::string>("opens"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-01 08:00:00"),
                             recipients->getObject(0)->getValue<std::string>("sent_at"));
        CPPUNIT_ASSERT(
            recipients->getObject(1)->getValue<std::string>("bounce_detail").find("user unknown") !=
            std::string::npos);
        auto events = tables->getArray("mm_events");
        bool link = false;
        for (std::size_t i = 0; i < events->size(); ++i)
            link = link ||
                   events->getObject(i)->getValue<std::string>("url") == "https://amap.example.org/paniers";
        CPPUNIT_ASSERT(link);

        // CSV: a header, then table,row,column,value, safe for a spreadsheet.
        std::ostringstream csv;
        data.csv(csv);
        CPPUNIT_ASSERT_EQUAL(std::string("table,row,column,value\r\n"), csv.str().substr(0, 24));
        CPPUNIT_ASSERT(csv.str().find("mm_recipients,1,email,Marie.Sklodowska@example.org\r\n") !=
                       std::string::npos);
        CPPUNIT_ASSERT(csv.str().find("mm_events,1,ip,192.0.2.7\r\n") != std::string::npos);
        CPPUNIT_ASSERT(csv.str().find("mm_unsubscribes,1,method,link\r\n") != std::string::npos);
    }

    void testErasureLeavesTheAddressInNoTableAndTheCountsAsTheyWere()
    {
        seed();
        std::string before = counts();
        MassMailing::Results results(*_database, _clock);
        MassMailing::Campaigns campaigns(*_database);
        std::string resultsBefore =
            resultsOf(results, *campaigns.find(_october)) + resultsOf(results, *campaigns.find(_november));

        long changed = _data->erase(_amap, "food", "marie.sklodowska@example.org",
                                    "MARIE.Sklodowska@example.org", _user);
        CPPUNIT_ASSERT(changed >= 12);

        // No mm_ table holds her address in clear, nor her family name, except the other group's rows.
        std::map<std::string, long> named = rowsNaming(ADDRESS);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), named.size());
        CPPUNIT_ASSERT_EQUAL(1L, named["mm_recipients"]); // "Ailleurs", of the other group
        CPPUNIT_ASSERT_EQUAL(1L, named["mm_test_sends"]); // a test of the other group
        CPPUNIT_ASSERT(rowsNaming("sklodowska").size() == 2);
        // Nor her person id, nor her IP address.
        CPPUNIT_ASSERT_EQUAL(
            0L, count("SELECT COUNT(*) FROM mm_recipients WHERE recipient_id = " + std::to_string(_marie) +
                      " AND campaign_id <> " + std::to_string(_elsewhere)));
        CPPUNIT_ASSERT_EQUAL(
            0L, count("SELECT COUNT(*) FROM mm_audience_unchecked WHERE recipient_key = 'person:" +
                      std::to_string(_marie) + "'"));
        CPPUNIT_ASSERT(rowsNaming("192.0.2.7").empty());
        // Her suppressions are kept as a hash, with the reasons she had.
        CPPUNIT_ASSERT_EQUAL(
            std::string("unsubscribed,bounced"),
            text("SELECT reasons FROM mm_erased_addresses WHERE group_id = " + std::to_string(_amap) +
                 " AND address_hash = '" + MassMailing::EmailAddress::erasedForm(ADDRESS) + "'"));
        CPPUNIT_ASSERT_EQUAL(1L, count("SELECT COUNT(*) FROM mm_erased_addresses WHERE group_id = 0"));

        // The campaigns count what they counted: statuses, reasons, bounces, opens, clicks, events,
        // domains, and the results page's numbers.
        CPPUNIT_ASSERT_EQUAL(before, counts());
        CPPUNIT_ASSERT_EQUAL(resultsBefore, resultsOf(results, *campaigns.find(_october)) +
                                                resultsOf(results, *campaigns.find(_november)));

        // The export of the address now says only that it was erased.
        PersonalExport after = _data->exportOf(_amap, "food", ADDRESS);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), after.count("mm_recipients"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), after.count("mm_events"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), after.count("mm_erased_addresses"));
        Suppressions suppressions(*_database);
        CPPUNIT_ASSERT(suppressions.isErased(_amap, "Marie.Sklodowska@EXAMPLE.org"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("erased"),
            suppressions.reasons(_amap, {"marie.sklodowska@example.org"}).at("marie.sklodowska@example.org"));
        auto entries = suppressions.ofAddress(_amap, ADDRESS);
        CPPUNIT_ASSERT(!entries.empty());
        bool erased = false;
        for (const auto& e : entries)
            erased = erased || (e.reason == "erased" && e.holds() && !e.liftable());
        CPPUNIT_ASSERT(erased);
        // Erasing again changes nothing more and is recorded again.
        _data->erase(_amap, "food", ADDRESS, ADDRESS, _user);
        CPPUNIT_ASSERT_EQUAL(before, counts());
    }

    void testAnErasedPersonLoadedByAddressOrAsAMemberIsLeftOut()
    {
        seed();
        _data->erase(_amap, "food", ADDRESS, ADDRESS, _user);
        MassMailing::TargetsLoader loader(*_database);
        MassMailing::Audience audience(*_database, loader, [](long) { return 0L; });
        // Typed by address, in another case: left out as erased; Pierre is planned.
        long typed = campaign(_amap, "Janvier", "draft");
        MassMailing::AudienceOwner owner{typed, _amap, "members", "address"};
        audience.addAddresses(owner, {"MARIE.SKLODOWSKA@example.org", "pierre@example.org"});
        auto summary = audience.resolve(owner, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("erased"));
        CPPUNIT_ASSERT_EQUAL(std::string("left_out"),
                             text("SELECT status FROM mm_recipients WHERE campaign_id = " +
                                  std::to_string(typed) + " AND reason = 'erased'"));
        // Still a member of the group in the host: loaded as a member, left out as well.
        long members = campaign(_amap, "Février", "draft");
        MassMailing::AudienceOwner all{members, _amap, "members", "address"};
        audience.addTarget(all, "members.all", {}, false);
        summary = audience.resolve(all, 0);
        CPPUNIT_ASSERT_EQUAL(0L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("erased"));
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("unsubscribed")); // Paul
        // In the other group, the block of every group she had still holds, as erased (a hash).
        long elsewhere = campaign(_other, "Ailleurs 2", "draft");
        MassMailing::AudienceOwner other{elsewhere, _other, "members", "address"};
        audience.addAddresses(other, {"marie.sklodowska@example.org", "paul@example.org"});
        summary = audience.resolve(other, 0);
        CPPUNIT_ASSERT_EQUAL(1L, summary.planned);
        CPPUNIT_ASSERT_EQUAL(1L, summary.count("erased"));
        // Sending a campaign to her again by hand is refused: she is suppressed (erased).
        MassMailing::Deliveries deliveries(*_database, _clock);
        long row = id("SELECT id FROM mm_recipients WHERE campaign_id = " + std::to_string(_october) +
                      " AND email LIKE 'erased-%'");
        try
        {
            deliveries.sendAgain(_october, row, _user, "she asked");
            CPPUNIT_FAIL("an erased person was sent a campaign again");
        }
        catch (const FieldException& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("erased"), error.code());
        }
    }

    void testErasureNeedsTheAddressTypedAgainAndIsRecordedWithoutIt()
    {
        seed();
        std::string before = everything();
        for (const std::string confirmation : {"", "paul@example.org", "marie.sklodowska@example.com"})
        {
            try
            {
                _data->erase(_amap, "food", ADDRESS, confirmation, _user);
                CPPUNIT_FAIL("an erasure without its confirmation was done");
            }
            catch (const FieldException& error)
            {
                CPPUNIT_ASSERT_EQUAL(std::string("confirm"), error.field());
                CPPUNIT_ASSERT_EQUAL(std::string("mismatch"), error.code());
            }
        }
        CPPUNIT_ASSERT_EQUAL(before, everything());
        CPPUNIT_ASSERT(_data->erasures(_amap).empty());
        CPPUNIT_ASSERT_THROW(_data->erase(_amap, "food", "not an address", "not an address", _user),
                             FieldException);

        _data->erase(_amap, "food", ADDRESS, ADDRESS, _user);
        auto erasures = _data->erasures(_amap);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), erasures.size());
        CPPUNIT_ASSERT_EQUAL(std::string("administratrice"), erasures[0].erasedByLogin);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-04 10:00:00"), erasures[0].at);
        CPPUNIT_ASSERT(erasures[0].rows > 0);
        CPPUNIT_ASSERT(_data->erasures(_other).empty());
    }

    void testOtherPeopleAndOtherGroupsAreUntouched()
    {
        seed();
        std::string paul =
            text("SELECT " + rowText() + " FROM mm_recipients WHERE email = 'paul@example.org' ORDER BY id");
        std::string elsewhere = text("SELECT " + rowText() +
                                     " FROM mm_recipients WHERE campaign_id = " + std::to_string(_elsewhere));
        _data->erase(_amap, "food", ADDRESS, ADDRESS, _user);
        CPPUNIT_ASSERT_EQUAL(paul, text("SELECT " + rowText() +
                                        " FROM mm_recipients WHERE email = 'paul@example.org' ORDER BY id"));
        CPPUNIT_ASSERT_EQUAL(elsewhere,
                             text("SELECT " + rowText() +
                                  " FROM mm_recipients WHERE campaign_id = " + std::to_string(_elsewhere)));
        CPPUNIT_ASSERT_EQUAL(
            1L, count("SELECT COUNT(*) FROM mm_unsubscribes WHERE address = 'paul@example.org'"));
        CPPUNIT_ASSERT_EQUAL(1L, count("SELECT COUNT(*) FROM mm_events WHERE ip = '198.51.100.1'"));
        // The other group keeps its own rows; only the block of every group (a hash now) holds there.
        CPPUNIT_ASSERT(Suppressions(*_database).isErased(_other, ADDRESS));
        CPPUNIT_ASSERT_EQUAL(
            0L, count("SELECT COUNT(*) FROM mm_erased_addresses WHERE group_id = " + std::to_string(_other)));
        CPPUNIT_ASSERT(!Suppressions(*_database).isErased(_amap, "paul@example.org"));
    }

    void testSqliteSha2IsMariaDbs()
    {
        // The erased list's SQL twin: SHA2(identity, 256), on both databases.
        Poco::Data::Session session = _database->session();
        Suppressions::prepare(session);
        std::string hash;
        session << "SELECT SHA2('marie.sklodowska@example.org', 256)", into(hash), now;
        CPPUNIT_ASSERT_EQUAL(MassMailing::EmailAddress::erasedForm("Marie.Sklodowska@example.org"), hash);
        CPPUNIT_ASSERT_EQUAL(
            std::string("3d8e2b5c8f1b1c2f0b8a39f0d2b0e6fd0c6cfd5b0ff35e0bf0bd4b4c9e5bbd3f").size(),
            hash.size());
    }

private:
    static constexpr const char* ADDRESS = "marie.sklodowska@example.org";

    // Marie in the group: two campaigns (one opened and clicked, one bounced), three events, a
    // test, a resend, an unsubscription, a bounce suppression, a block of every group, a typed
    // line of a draft, an unchecked row by id and by address, a gathered exclusion. Paul beside
    // her, and Marie in another group's campaign and test.
    void seed()
    {
        _october = campaign(_amap, "Octobre", "done");
        _november = campaign(_amap, "Novembre", "done");
        _elsewhere = campaign(_other, "Ailleurs", "done");
        long draft = campaign(_amap, "Brouillon", "draft");
        long opened = row(_october, "Marie.Sklodowska@example.org", _marie, "sent", "2026-10-01 08:00:00");
        execute("UPDATE mm_recipients SET opens = 3, machine_opens = 1, clicks = 2, first_open_at = "
                "'2026-10-01 09:15:00', first_click_at = '2026-10-01 09:16:00' WHERE id = " +
                std::to_string(opened));
        long bounced = row(_november, "marie.sklodowska@example.org", _marie, "sent", "2026-11-01 08:00:00");
        execute("UPDATE mm_recipients SET status = 'bounced', bounce = 'hard', bounce_detail = '550 5.1.1 "
                "<MARIE.sklodowska@example.org>: user unknown', detail = '250 ok for "
                "marie.sklodowska@example.org', bounced_at = '2026-11-01 08:01:00', unsubscribed_at = "
                "'2026-11-01 09:00:00' WHERE id = " +
                std::to_string(bounced));
        long paulRow = row(_october, "paul@example.org", _paul, "sent", "2026-10-01 08:00:00");
        row(_november, "paul@example.org", _paul, "sent", "2026-11-01 08:00:00");
        row(_elsewhere, "marie.sklodowska@example.org", _marie, "sent", "2026-11-02 08:00:00");
        execute("INSERT INTO mm_links (campaign_id, url, url_hash, clicks, unique_clicks) VALUES (" +
                std::to_string(_october) + ", 'https://amap.example.org/paniers', 'h1', 2, 1)");
        long link = id("SELECT MAX(id) FROM mm_links");
        const std::string events =
            "INSERT INTO mm_events (campaign_id, recipient_row, kind, machine, link_id, at, "
            "user_agent, ip, detail) VALUES ";
        execute(events + "(" + std::to_string(_october) + ", " + std::to_string(opened) +
                ", 'open', 0, 0, '2026-10-01 09:15:00', 'Mozilla/5.0 (Marie)', '192.0.2.7', '')");
        execute(events + "(" + std::to_string(_october) + ", " + std::to_string(opened) + ", 'click', 0, " +
                std::to_string(link) + ", '2026-10-01 09:16:00', 'Mozilla/5.0', '192.0.2.7', '')");
        execute(events + "(" + std::to_string(_november) + ", " + std::to_string(bounced) +
                ", 'bounce', 0, 0, '2026-11-01 08:01:00', '', '', '5.1.1 <Marie.Sklodowska@example.org> "
                "unknown')");
        execute(events + "(" + std::to_string(_october) + ", " + std::to_string(paulRow) +
                ", 'open', 0, 0, '2026-10-01 10:00:00', 'Thunderbird', '198.51.100.1', '')");
        MassMailing::TestSends tests(*_database);
        tests.record(_amap, _november, "Marie.Sklodowska@example.org", "person:" + std::to_string(_marie),
                     "2026-10-30 17:00:00");
        tests.record(_other, _elsewhere, "marie.sklodowska@example.org", "", "2026-10-30 17:00:00");
        execute(
            "INSERT INTO mm_resends (campaign_id, recipient_row, address, previous_status, previous_detail, "
            "requested_by, reason, created_at) VALUES (" +
            std::to_string(_november) + ", " + std::to_string(bounced) +
            ", 'marie.sklodowska@example.org', 'sent', '452 marie.sklodowska@example.org full', " +
            std::to_string(_user) + ", 'she made room', '2026-11-02 10:00:00')");
        Suppressions suppressions(*_database);
        suppressions.unsubscribe(_amap, "Marie.Sklodowska@example.org", _november,
                                 MassMailing::UnsubscribeMethod::Link);
        suppressions.unsubscribe(_amap, "paul@example.org", _november, MassMailing::UnsubscribeMethod::Link);
        suppressions.suppress(_amap, ADDRESS, "bounced", "550 5.1.1 user unknown", _november,
                              Poco::DateTime(2026, 11, 1, 8, 1));
        execute("INSERT INTO mm_address_blocks (address, reason, detail) VALUES ('" + std::string(ADDRESS) +
                "', 'complained', 'from the old lists')");
        execute("INSERT INTO mm_audience_sources (campaign_id, action, source, params, label) VALUES (" +
                std::to_string(draft) + ", 'add', 'addresses', '{}', 'typed')");
        long source = id("SELECT MAX(id) FROM mm_audience_sources");
        execute(
            "INSERT INTO mm_audience_addresses (source_id, line, address, first_name, last_name) VALUES (" +
            std::to_string(source) + ", 1, ' Marie.Sklodowska@Example.org', 'Marie', 'Sklodowska'), (" +
            std::to_string(source) + ", 2, 'paul@example.org', 'Paul', 'Langevin')");
        execute("INSERT INTO mm_audience_unchecked (campaign_id, recipient_key) VALUES (" +
                std::to_string(draft) + ", 'person:" + std::to_string(_marie) + "'), (" +
                std::to_string(draft) + ", '" + ADDRESS + "')");
        execute("INSERT INTO mm_audience_exclusions (campaign_id, email, recipient_key) VALUES (" +
                std::to_string(draft) + ", '" + ADDRESS + "', 'person:" + std::to_string(_marie) + "')");
    }

    // Every mm_ table and column, from the schema: the tables holding the text (any ASCII case)
    // in a column, with how many of their rows do.
    std::map<std::string, long> rowsNaming(const std::string& text)
    {
        Poco::Data::Session session = _database->session();
        std::vector<std::string> tables, columns;
        bool mysql = CrmHostTests::testDatabaseKind() == "mysql";
        if (mysql)
            session << "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                       "DATABASE() AND table_name LIKE 'mm\\_%' ORDER BY table_name, ordinal_position",
                into(tables), into(columns), now;
        else
        {
            std::vector<std::string> names;
            session
                << "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'mm\\_%' ESCAPE '\\'",
                into(names), now;
            for (const auto& table : names)
            {
                Poco::Data::Statement info(session);
                info << "SELECT name FROM pragma_table_info('" + table + "')";
                std::vector<std::string> these;
                info, into(these);
                info.execute();
                for (const auto& column : these)
                {
                    tables.push_back(table);
                    columns.push_back(column);
                }
            }
        }
        CPPUNIT_ASSERT(tables.size() > 100);
        std::map<std::string, std::vector<std::string>> byTable;
        for (std::size_t i = 0; i < tables.size(); ++i)
            byTable[tables[i]].push_back(columns[i]);
        CPPUNIT_ASSERT(byTable.count("mm_erasures") && byTable.count("mm_recipients") &&
                       byTable.count("mm_events"));
        std::map<std::string, long> found;
        std::string pattern = "%" + MassMailing::EmailAddress::identity(text) + "%";
        for (const auto& [table, cols] : byTable)
        {
            std::string where;
            for (const auto& column : cols)
                where +=
                    (where.empty() ? "" : " OR ") + std::string("LOWER(CAST(") + column + " AS CHAR)) LIKE ?";
            Poco::Data::Statement select(session);
            Poco::Int64 n = 0;
            select << "SELECT COUNT(*) FROM " + table + " WHERE " + where, into(n);
            for (std::size_t i = 0; i < cols.size(); ++i)
                select, bind(pattern);
            select.execute();
            if (n > 0)
                found[table] = long(n);
        }
        return found;
    }

    // What the group's campaigns count: per campaign, status, reason, bounce, domain and locale,
    // the rows, their opens, clicks, dates; the events by kind; the links' counts.
    std::string counts()
    {
        return text(
                   "SELECT campaign_id, status, reason, bounce, domain, locale, COUNT(*), SUM(opens), "
                   "SUM(machine_opens), SUM(clicks), SUM(machine_clicks), COUNT(sent_at), COUNT(bounced_at), "
                   "COUNT(first_open_at), COUNT(first_click_at), COUNT(unsubscribed_at), "
                   "COUNT(complained_at) "
                   "FROM mm_recipients GROUP BY campaign_id, status, reason, bounce, domain, locale ORDER BY "
                   "1, 2, "
                   "3, 4, 5, 6") +
               text("SELECT campaign_id, kind, machine, link_id, COUNT(*) FROM mm_events GROUP BY "
                    "campaign_id, "
                    "kind, machine, link_id ORDER BY 1, 2, 3, 4") +
               text("SELECT campaign_id, clicks, unique_clicks, machine_clicks FROM mm_links ORDER BY id");
    }

    std::string resultsOf(MassMailing::Results& results, const MassMailing::Campaign& campaign)
    {
        results.refresh(campaign);
        auto c = results.of(campaign).counts;
        std::ostringstream out;
        out << c.planned << "," << c.sent << "," << c.delivered << "," << c.bouncedHard << ","
            << c.bouncedSoft << "," << c.openedUnique << "," << c.openedTotal << "," << c.openedMachine << ","
            << c.clickedUnique << "," << c.clickedTotal << "," << c.clickedMachine << "," << c.unsubscribed
            << "," << c.complained << ";";
        return out.str();
    }

    std::string rowText()
    {
        return "email, first_name, last_name, status, detail, bounce_detail, recipient_id, dedupe_key";
    }

    // Every row of the tables the erasure touches, as text.
    std::string everything()
    {
        std::string out;
        for (const char* table :
             {"mm_recipients", "mm_events", "mm_test_sends", "mm_resends", "mm_unsubscribes",
              "mm_group_suppressions", "mm_address_blocks", "mm_audience_addresses", "mm_audience_unchecked",
              "mm_audience_exclusions", "mm_erased_addresses"})
            out += std::string(table) + ":" + text("SELECT * FROM " + std::string(table));
        return out;
    }

    // All the values of a query's rows, as text.
    std::string text(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        Poco::Data::Statement select(session);
        select << sql;
        select.execute();
        Poco::Data::RecordSet records(select);
        std::string out;
        for (std::size_t r = 0; r < records.rowCount(); ++r)
        {
            for (std::size_t c = 0; c < records.columnCount(); ++c)
            {
                Poco::Dynamic::Var value = records.value(c, r);
                out +=
                    (c ? "|" : "") + (value.isEmpty() ? std::string("NULL") : value.convert<std::string>());
            }
            out += records.rowCount() > 1 ? "\n" : "";
        }
        return out;
    }

    void execute(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        session << sql, now;
    }

    long count(const std::string& sql)
    {
        Poco::Data::Session session = _database->session();
        Poco::Int64 n = 0;
        session << sql, into(n), now;
        return long(n);
    }

    long id(const std::string& sql) { return count(sql); }

    long campaign(long group, const std::string& name, const std::string& status)
    {
        Poco::Data::Session session = _database->session();
        std::string n = name, s = status;
        session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, status, started_at, html, "
                   "text_body) VALUES (?, 'members', ?, ?, '2026-10-01 08:00:00', '', '')",
            use(group), use(n), use(s), now;
        return id("SELECT MAX(id) FROM mm_campaigns");
    }

    long row(long campaignId, const std::string& email, long person, const std::string& status,
             const std::string& sentAt)
    {
        Poco::Data::Session session = _database->session();
        std::string e = email, s = status, key = MassMailing::EmailAddress::identity(email);
        std::string domain = MassMailing::EmailAddress::domain(email);
        std::string first = person == _marie ? "Marie" : "Paul",
                    last = person == _marie ? "Sklodowska" : "Langevin";
        Poco::Data::Statement insert(session);
        insert << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
                  "last_name, dedupe_key, status, reason, domain, locale, sent_at) VALUES (?, 1, 'person', "
                  "?, ?, ?, "
                  "?, ?, ?, '', ?, 'fr', ?)",
            use(campaignId), use(person), use(e), use(first), use(last), use(key), use(s), use(domain),
            bind(sentAt);
        insert.execute();
        return id("SELECT MAX(id) FROM mm_recipients");
    }

    std::unique_ptr<CrmHost::SqlDatabase> _database;
    std::unique_ptr<MassMailing::RecipientDirectory> _directory;
    std::unique_ptr<PersonalData> _data;
    MassMailing::Clock _clock;
    long _amap = 0, _other = 0, _marie = 0, _paul = 0;
    long _october = 0, _november = 0, _elsewhere = 0;
    Poco::Int64 _user = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PersonalDataTest);
