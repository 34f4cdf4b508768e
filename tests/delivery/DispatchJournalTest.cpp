// The node's journal (D7): a process that died is read back from its journal by the next round
// of its node (accepted rows sent, the one handed over and not answered in doubt, the rest of
// its leases queued again), the leases of a node that never came back are in doubt and listed,
// and the group commit writes the records of all workers with few fdatasyncs.
#include "DispatchFixture.h"
#include "delivery/Journal.h"
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <thread>

namespace DeliveryTests
{
class DispatchJournalTest : public DispatchFixture
{
    CPPUNIT_TEST_SUITE(DispatchJournalTest);
    CPPUNIT_TEST(testTheJournalOfADeadProcessSaysWhatWasSentAndWhatIsInDoubt);
    CPPUNIT_TEST(testATornLastRecordIsIgnored);
    CPPUNIT_TEST(testTheLeaseOfANodeThatNeverCameBackIsInDoubtAndListed);
    CPPUNIT_TEST(testALeaseOfThisNodeWithoutAJournalWasNeverHandedOver);
    CPPUNIT_TEST(testAJournalHeldByALiveProcessIsLeftToIt);
    CPPUNIT_TEST(testASendRecordsEveryRowAndLeavesTheJournalEmpty);
    CPPUNIT_TEST(testGroupCommitSyncsTheRecordsOfAllWorkersTogether);
    CPPUNIT_TEST(testAJournalIsReadUpToTheZerosWrittenAheadOfItsRecords);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTheJournalOfADeadProcessSaysWhatWasSentAndWhatIsInDoubt()
    {
        // A process of this node died: person1 accepted (not yet in the database), person2
        // handed over and not answered, person3 refused for good, person4 leased and never
        // handed over; person5 waits in the queue. The lease has not run out.
        long campaign = newCampaign(5);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        const std::string owner = "test/j4242.dead/0/1";
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = '" + owner +
                "', lease_until = '2026-12-01 08:04:00' WHERE email IN ('person1@example.org', "
                "'person2@example.org', 'person3@example.org', 'person4@example.org')");
        const std::string c = std::to_string(campaign);
        writeJournal("j4242.dead", "H " + id(campaign, 1) + " " + c + " " + owner + "\nA " + id(campaign, 1) +
                                       " S\nH " + id(campaign, 3) + " " + c + " " + owner + "\nA " +
                                       id(campaign, 3) + " P\nH " + id(campaign, 2) + " " + c + " " + owner +
                                       "\n");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person1@example.org").status);
        RowState doubt = row(campaign, "person2@example.org");
        CPPUNIT_ASSERT_EQUAL(std::string("in_doubt"), doubt.status);
        CPPUNIT_ASSERT(doubt.detail.find("may have been delivered") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), row(campaign, "person3@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person4@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person5@example.org").status);
        std::map<std::string, int> sent = outbox();
        CPPUNIT_ASSERT_EQUAL(0, sent["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(0, sent["person2@example.org"]);
        CPPUNIT_ASSERT_EQUAL(0, sent["person3@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, sent["person4@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, sent["person5@example.org"]);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        // Read once: the file is gone, and nothing changes at the next round.
        CPPUNIT_ASSERT(!Poco::File(journalFolder() + "/j4242.dead.journal").exists());
        advance(60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(2L, outboxCount());
        CPPUNIT_ASSERT_EQUAL(1L, count(campaign, "in_doubt"));
    }

    void testATornLastRecordIsIgnored()
    {
        // The process died in the middle of writing person1's "handed over": it never was
        // durable, so the message never went out; the row goes back to the queue.
        long campaign = newCampaign(1);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        const std::string owner = "test/j7.torn/0/1";
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = '" + owner +
                "', lease_until = '2026-12-01 08:04:00'");
        writeJournal("j7.torn", "H " + id(campaign, 1) + " " + std::to_string(campaign) + " " + owner);
        runOnce(); // the lease still runs: the row waits for it
        advance(5);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person1@example.org"]);
    }

    void testTheLeaseOfANodeThatNeverCameBackIsInDoubtAndListed()
    {
        // Node "gone" claimed three rows and died; its journal is on its own disk. Once its
        // lease ran out, this node finishes the campaign and leaves the three in doubt.
        long campaign = newCampaign(5);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'gone/j99.x/0/7', lease_until = "
                "'2026-12-01 08:03:00' WHERE email IN ('person1@example.org', 'person2@example.org', "
                "'person3@example.org')");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("leased"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), statusOf(campaign));
        advance(4);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(3L, count(campaign, "in_doubt"));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "sent"));
        for (const char* address : {"person1@example.org", "person2@example.org", "person3@example.org"})
        {
            RowState doubt = row(campaign, address);
            CPPUNIT_ASSERT_EQUAL(std::string("in_doubt"), doubt.status);
            CPPUNIT_ASSERT_MESSAGE(doubt.detail, doubt.detail.find("node gone") != std::string::npos);
            CPPUNIT_ASSERT_EQUAL(0, outbox()[address]);
        }
        // Never sent again by itself.
        advance(24 * 60);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(2L, outboxCount());
    }

    void testALeaseOfThisNodeWithoutAJournalWasNeverHandedOver()
    {
        // A lease of this node whose process left no journal (read already, or emptied once all
        // it had handed over was in the database): nothing of it went out.
        long campaign = newCampaign(2);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'test/j5.gone/1/3', lease_until = "
                "'2026-12-01 07:59:00' WHERE email = 'person1@example.org'");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(2L, count(campaign, "sent"));
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person1@example.org"]);
    }

    void testAJournalHeldByALiveProcessIsLeftToIt()
    {
        // Another process of this node, alive (it holds its journal), whose lease ran out: its
        // rows are its own to give back.
        long campaign = newCampaign(2);
        sendNow(campaign);
        execute("UPDATE mm_campaigns SET status = 'sending'");
        MassMailing::Journal live(journalFolder());
        execute("UPDATE mm_recipients SET status = 'leased', lease_owner = 'test/" + live.id() +
                "/0/1', lease_until = '2026-12-01 07:59:00' WHERE email = 'person1@example.org'");
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("leased"), row(campaign, "person1@example.org").status);
        CPPUNIT_ASSERT_EQUAL(0, outbox()["person1@example.org"]);
        CPPUNIT_ASSERT_EQUAL(1, outbox()["person2@example.org"]);
    }

    void testASendRecordsEveryRowAndLeavesTheJournalEmpty()
    {
        settings.workers = 3;
        settings.batch = 7;
        long campaign = newCampaign(60);
        sendNow(campaign);
        runOnce();
        CPPUNIT_ASSERT_EQUAL(std::string("done"), statusOf(campaign));
        CPPUNIT_ASSERT_EQUAL(60L, count(campaign, "sent"));
        std::map<std::string, int> received = outbox();
        CPPUNIT_ASSERT_EQUAL(std::size_t(60), received.size());
        for (const auto& [address, times] : received)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(address, 1, times);
        // Every sent row has its time; the journal of this process is empty after the round.
        CPPUNIT_ASSERT_EQUAL(60L, numberOf("SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = " +
                                           std::to_string(campaign) + " AND sent_at IS NOT NULL"));
        std::vector<std::string> files;
        Poco::File(journalFolder()).list(files);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), files.size());
        CPPUNIT_ASSERT_EQUAL(Poco::File::FileSize(0), Poco::File(journalFolder() + "/" + files[0]).getSize());
    }

    void testGroupCommitSyncsTheRecordsOfAllWorkersTogether()
    {
        CrmHostTests::TempFolder folder("journal-group");
        MassMailing::Journal journal(folder.path());
        const int threads = 8, each = 200;
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back(
                [&, t]
                {
                    for (int n = 0; n < each; ++n)
                    {
                        long row = t * each + n + 1;
                        journal.handedOver(row, 1, "test/" + journal.id() + "/" + std::to_string(t) + "/1");
                        journal.answered(row, MassMailing::Journal::accepted);
                    }
                });
        for (auto& worker : workers)
            worker.join();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * threads * each), journal.records());
        // One fdatasync per hand-over at most; with eight writers, fewer.
        CPPUNIT_ASSERT(journal.fsyncs() <= std::uint64_t(threads * each));
        std::cerr << "\nDispatchJournalTest: " << threads * each << " hand-overs from " << threads
                  << " threads in " << journal.fsyncs() << " fdatasyncs\n";
        journal.flush();
        // What a reader finds after a crash: every row, each answered.
        std::vector<MassMailing::Journal::Dead> none = MassMailing::Journal::dead(folder.path());
        CPPUNIT_ASSERT(none.empty()); // held by this live journal
        journal.settled(std::size_t(threads * each));
    }

    void testAJournalIsReadUpToTheZerosWrittenAheadOfItsRecords()
    {
        // The records overwrite zeros written ahead, so that the file keeps its size from one
        // fdatasync to the next; what a crash leaves is read up to the first zero.
        CrmHostTests::TempFolder folder("journal-zeros");
        MassMailing::Journal journal(folder.path());
        const std::string owner = "test/" + journal.id() + "/0/1";
        journal.handedOver(11, 3, owner);
        const std::string path = folder.path() + "/" + journal.id() + ".journal";
        const Poco::File::FileSize size = Poco::File(path).getSize();
        CPPUNIT_ASSERT(size >= 4096);
        journal.answered(11, MassMailing::Journal::accepted);
        journal.handedOver(12, 3, owner);
        CPPUNIT_ASSERT_EQUAL(size, Poco::File(path).getSize());
        // What the next process would find had this one been killed now: a copy nobody holds.
        Poco::File(path).copyTo(folder.path() + "/j1.killed.journal");
        std::vector<MassMailing::Journal::Dead> dead = MassMailing::Journal::dead(folder.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), dead.size());
        std::vector<MassMailing::Journal::Entry> entries = dead[0].entries();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), entries.size());
        CPPUNIT_ASSERT_EQUAL(11L, entries[0].row);
        CPPUNIT_ASSERT_EQUAL(MassMailing::Journal::accepted, entries[0].outcome);
        CPPUNIT_ASSERT_EQUAL(12L, entries[1].row);
        CPPUNIT_ASSERT_EQUAL(3L, entries[1].campaign);
        CPPUNIT_ASSERT_EQUAL(owner, entries[1].owner);
        CPPUNIT_ASSERT_EQUAL(char(0), entries[1].outcome);
        dead[0].remove();
        // Settled and flushed: the file is empty again, as after a round.
        journal.settled(2);
        journal.flush();
        CPPUNIT_ASSERT_EQUAL(Poco::File::FileSize(0), Poco::File(path).getSize());
    }

private:
    std::string id(long campaign, int person)
    {
        return std::to_string(row(campaign, "person" + std::to_string(person) + "@example.org").id);
    }

    void writeJournal(const std::string& journalId, const std::string& text)
    {
        Poco::File(journalFolder()).createDirectories();
        Poco::FileOutputStream out(journalFolder() + "/" + journalId + ".journal");
        out << text;
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(DispatchJournalTest, "dispatch");
} // namespace DeliveryTests
