#include "tracking/DeliveryReport.h"
#include "ReportSamples.h"
#include "content/BounceAddress.h"
#include <Poco/Stopwatch.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using MassMailing::BounceAddress;
using MassMailing::DeliveryReport;
using Kind = DeliveryReport::Kind;
using TrackingTests::sampleReport;

namespace
{
const BounceAddress& signer()
{
    static BounceAddress instance(std::string(32, 'k'));
    return instance;
}

std::string token()
{
    return signer().token({3, 12, false});
}

std::string envelope()
{
    return "bounce+" + token() + "@bounces.example.org";
}

DeliveryReport read(const std::string& name, bool withEnvelope = true)
{
    return DeliveryReport::read(sampleReport(name, token()),
                                withEnvelope ? std::vector<std::string>{envelope()}
                                             : std::vector<std::string>{},
                                Poco::DateTime(2026, 12, 3, 12, 0, 0));
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

// Delivery status notifications and feedback reports in the forms real servers send them,
// each read as what it is; bad input read as "not understood", with the reason, never a crash.
class DeliveryReportTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DeliveryReportTest);
    CPPUNIT_TEST(testPostfixRefusalIsAHardBounceWithTheServersText);
    CPPUNIT_TEST(testPostfixDelayIsASoftBounce);
    CPPUNIT_TEST(testPostfixGivingUpOnA452IsASoftBounceGivenUp);
    CPPUNIT_TEST(testEximDsnIsAHardBounce);
    CPPUNIT_TEST(testSendmailDsnIsAHardBounce);
    CPPUNIT_TEST(testExchangeDsnIsFoundByItsReturnedHeadersAlone);
    CPPUNIT_TEST(testGmailDsnIsAHardBounce);
    CPPUNIT_TEST(testQmailTextIsAHardBounceFoundByTheQuotedReturnPath);
    CPPUNIT_TEST(testQmailAddressLineIsClippedToAnAddressLength);
    CPPUNIT_TEST(testEximTextWithoutDsnIsAHardBounce);
    CPPUNIT_TEST(testMailDeliverySubsystemTextIsAHardBounce);
    CPPUNIT_TEST(testOutOfOfficeIsAnAutoReplyNotABounce);
    CPPUNIT_TEST(testFrenchAbsenceIsAnAutoReply);
    CPPUNIT_TEST(testFeedbackLoopReportIsAComplaint);
    CPPUNIT_TEST(testFeedbackReportWithHeadersOnlyIsAComplaint);
    CPPUNIT_TEST(testSuccessReportIsNotUnderstood);
    CPPUNIT_TEST(testReportNamingNoRecipientIsNotUnderstood);
    CPPUNIT_TEST(testTruncatedMimeIsNotUnderstood);
    CPPUNIT_TEST(testBounceWithoutTokenIsNotUnderstood);
    CPPUNIT_TEST(testOrdinaryMailAndGarbageAreNotUnderstood);
    CPPUNIT_TEST(testThirtyMegabyteReportIsReadFromItsFirstTwo);
    CPPUNIT_TEST(testDeeplyNestedMultipartsAreReadToABoundedDepth);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPostfixRefusalIsAHardBounceWithTheServersText()
    {
        DeliveryReport report = read("postfix-hard.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("dsn"), report.format);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.recipients.size());
        const auto& r = report.recipients[0];
        CPPUNIT_ASSERT_EQUAL(std::string("anne@example.net"), r.finalRecipient);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), r.action);
        CPPUNIT_ASSERT_EQUAL(std::string("5.1.1"), r.status);
        CPPUNIT_ASSERT(
            contains(r.diagnostic, "550 5.1.1 <anne@example.net>: Recipient address rejected: User unknown"));
        CPPUNIT_ASSERT(contains(r.detail(), "5.1.1 550 5.1.1"));
        CPPUNIT_ASSERT_EQUAL(token(), r.token);
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
        CPPUNIT_ASSERT(Poco::DateTime(2026, 12, 3, 9, 15, 2) == report.at); // its Date, in UTC
    }

    void testPostfixDelayIsASoftBounce()
    {
        DeliveryReport report = read("postfix-delayed.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::SoftBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("delayed"), report.recipients.at(0).action);
        CPPUNIT_ASSERT_EQUAL(std::string("4.2.2"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(!report.recipients.at(0).hard());
    }

    void testPostfixGivingUpOnA452IsASoftBounceGivenUp()
    {
        DeliveryReport report = read("postfix-soft-failed.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::SoftBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("4.2.2"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(report.givenUp());
        CPPUNIT_ASSERT(!read("postfix-delayed.eml").givenUp());
    }

    void testEximDsnIsAHardBounce()
    {
        DeliveryReport report = read("exim-dsn.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("bob@example.com"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT_EQUAL(std::string("5.0.0"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "Relay access denied"));
    }

    void testSendmailDsnIsAHardBounce()
    {
        DeliveryReport report = read("sendmail-dsn.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("carol@example.edu"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "User unknown"));
    }

    void testExchangeDsnIsFoundByItsReturnedHeadersAlone()
    {
        // Office 365 sends the report to the envelope sender, but here it came by hand: only the
        // returned message's X-MM-Recipient names the row.
        DeliveryReport report = read("exchange-dsn.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("5.1.10"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "RESOLVER.ADR.RecipientNotFound"));
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
    }

    void testGmailDsnIsAHardBounce()
    {
        DeliveryReport report = read("gmail-dsn.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("erin.nobody@gmail.com"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "does not exist"));
    }

    void testQmailTextIsAHardBounceFoundByTheQuotedReturnPath()
    {
        DeliveryReport report = read("qmail.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("qmail"), report.format);
        CPPUNIT_ASSERT_EQUAL(std::string("frank@example.info"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT_EQUAL(std::string("5.1.1"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "550 5.1.1 <frank@example.info>"));
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
    }

    // Found by fuzz_delivery_report: qmail's "<address>:" line was taken whole, however long.
    void testQmailAddressLineIsClippedToAnAddressLength()
    {
        const std::string longAddress = std::string(5000, 'f') + "@example.info";
        const std::string text =
            Poco::replace(sampleReport("qmail.eml", token()), std::string("<frank@example.info>:\n"),
                          "<" + longAddress + ">:\n");
        DeliveryReport report = DeliveryReport::read(text, {}, Poco::DateTime(2026, 12, 3, 12, 0, 0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), report.recipients.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(320), report.recipients.at(0).finalRecipient.size());
        CPPUNIT_ASSERT(report.recipients.at(0).detail().size() <= 500);
    }

    void testEximTextWithoutDsnIsAHardBounce()
    {
        DeliveryReport report = read("exim-text.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("text"), report.format);
        CPPUNIT_ASSERT_EQUAL(std::string("grace@example.co.uk"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT_EQUAL(std::string("5.0.0"), report.recipients.at(0).status);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "550 No such user here"));
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
    }

    void testMailDeliverySubsystemTextIsAHardBounce()
    {
        DeliveryReport report = read("subsystem-text.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("henri@example.fr"), report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT(contains(report.recipients.at(0).diagnostic, "550 Requested action not taken"));
    }

    void testOutOfOfficeIsAnAutoReplyNotABounce()
    {
        DeliveryReport report = read("out-of-office.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::AutoReply),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(report.recipients.empty());
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
    }

    void testFrenchAbsenceIsAnAutoReply()
    {
        DeliveryReport report = read("absence.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::AutoReply),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(contains(report.subject, "Absence du bureau"));
    }

    void testFeedbackLoopReportIsAComplaint()
    {
        DeliveryReport report = read("arf-complaint.eml", false); // sent to the feedback address
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::Complaint),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(std::string("arf"), report.format);
        CPPUNIT_ASSERT_EQUAL(std::string("abuse"), report.feedbackType);
        CPPUNIT_ASSERT_EQUAL(std::string("redacted@example-yahoo.com"),
                             report.recipients.at(0).finalRecipient);
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
        CPPUNIT_ASSERT(Poco::DateTime(2026, 12, 3, 10, 30, 0) == report.at); // when the mail arrived
    }

    void testFeedbackReportWithHeadersOnlyIsAComplaint()
    {
        DeliveryReport report = read("arf-headers-only.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::Complaint),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_EQUAL(token(), report.token);
    }

    void testSuccessReportIsNotUnderstood()
    {
        DeliveryReport report = read("delivered-dsn.eml");
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(contains(report.reason, "delivery, not of a failure"));
    }

    void testReportNamingNoRecipientIsNotUnderstood()
    {
        DeliveryReport report = read("no-recipient.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(contains(report.reason, "names no recipient"));
    }

    void testTruncatedMimeIsNotUnderstood()
    {
        DeliveryReport report = read("truncated.eml", false);
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(contains(report.reason, "without its message/delivery-status part"));
        // Cut anywhere, it never throws.
        const std::string whole = sampleReport("postfix-hard.eml", token());
        for (std::size_t size = 0; size < whole.size(); size += 7)
            DeliveryReport::read(whole.substr(0, size), {}, Poco::DateTime());
    }

    void testBounceWithoutTokenIsNotUnderstood()
    {
        std::string report = sampleReport("sendmail-dsn.eml", "");
        report = Poco::replace(report, std::string("X-MM-Recipient: \n"), std::string());
        DeliveryReport read = DeliveryReport::read(report, {"postmaster@example.org"}, Poco::DateTime());
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(read.kind));
        CPPUNIT_ASSERT(contains(read.reason, "names no message of ours"));
    }

    void testOrdinaryMailAndGarbageAreNotUnderstood()
    {
        DeliveryReport mail =
            DeliveryReport::read("From: a@example.net\nSubject: hello\n\nWhen is the next market?\n",
                                 {envelope()}, Poco::DateTime());
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(mail.kind));
        CPPUNIT_ASSERT(contains(mail.reason, "neither"));
        DeliveryReport garbage =
            DeliveryReport::read(std::string("\0\xff\r\n\r\n\x01", 7), {}, Poco::DateTime());
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(garbage.kind));
        CPPUNIT_ASSERT(contains(garbage.reason, "no headers"));
    }

    void testThirtyMegabyteReportIsReadFromItsFirstTwo()
    {
        const std::string big = TrackingTests::largeReport(token(), 30 * 1024 * 1024);
        CPPUNIT_ASSERT(big.size() > 30 * 1024 * 1024);
        Poco::Stopwatch watch;
        watch.start();
        DeliveryReport report = DeliveryReport::read(big, {envelope()}, Poco::DateTime());
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::HardBounce),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT(watch.elapsed() < 5 * 1000 * 1000); // reading 2 MB, not 30

        // In a child allowed 24 MB more address space than it holds with the message: reading
        // copies the first 2 MB a few times; one copy of the whole 30 MB would not fit.
        const pid_t child = fork();
        if (child == 0)
        {
            long pages = 0;
            std::FILE* statm = std::fopen("/proc/self/statm", "r");
            if (!statm || std::fscanf(statm, "%ld", &pages) != 1)
                _exit(2);
            std::fclose(statm);
            rlimit limit{};
            limit.rlim_cur = limit.rlim_max =
                rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + 24 * 1024 * 1024;
            setrlimit(RLIMIT_AS, &limit);
            try
            {
                DeliveryReport inChild = DeliveryReport::read(big, {envelope()}, Poco::DateTime());
                _exit(inChild.kind == Kind::HardBounce ? 0 : 3);
            }
            catch (...)
            {
                _exit(4);
            }
        }
        int status = 0;
        CPPUNIT_ASSERT(child > 0 && waitpid(child, &status, 0) == child);
        CPPUNIT_ASSERT_MESSAGE("the child ended with " + std::to_string(status), WIFEXITED(status));
        CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
    }

    void testDeeplyNestedMultipartsAreReadToABoundedDepth()
    {
        Poco::Stopwatch watch;
        watch.start();
        DeliveryReport report =
            DeliveryReport::read(TrackingTests::nestedMultiparts(20000), {envelope()}, Poco::DateTime());
        CPPUNIT_ASSERT_EQUAL(DeliveryReport::kindName(Kind::NotUnderstood),
                             DeliveryReport::kindName(report.kind));
        CPPUNIT_ASSERT_MESSAGE(report.reason, contains(report.reason, "nested more than 10 deep"));
        CPPUNIT_ASSERT(watch.elapsed() < 5 * 1000 * 1000);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeliveryReportTest);
