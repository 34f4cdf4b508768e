#ifndef CrmHostTests_ResultsFixture_INCLUDED
#define CrmHostTests_ResultsFixture_INCLUDED

#include <Poco/Data/Session.h>
#include <string>
#include <vector>

namespace CrmHostTests
{
/// A finished campaign with what came back, written straight into the tables that tracking
/// fills (mm_recipients' counters, mm_links, mm_result_hours) and the host's orders, for the
/// results' tests (tests/tracking and tests/http). Its numbers, as the results must show them:
///
///   planned 9 · sent 8 · delivered 6 · bounced hard 1, soft 1 · opened 4 (7 in all, 3 by
///   machines) · clicked 2 (3 in all, 1 by a scanner) · unsubscribed 1 · complained 1 ·
///   control group 2; domains example.org 4, gmail.com 2, then example.net, orange.fr,
///   yahoo.fr 1 each; versions: main 6, "en" 3; hours 09:00 to 12:00 of 2001-11-02; the send
///   began 2001-11-02 09:00:00; of the sent group 2 ordered within 7 days, of the control group 1.
///
/// Names and texts hold commas, quotes, line breaks, non-ASCII letters and cells a spreadsheet
/// would run as formulas, for the CSV's tests.
struct ResultsFixture
{
    long campaignId = 0;
    std::vector<std::string> emails; /// Of the rows, in the order written.

    static ResultsFixture write(Poco::Data::Session& session, long groupId, const std::vector<long>& people,
                                long catalogueId);
    /// The campaign in the group (12 person ids, a catalogue of the group for the orders).
    /// Throws the database's exceptions.

    static const char* const STARTED_AT; /// "2001-11-02 09:00:00"
};
} // namespace CrmHostTests

#endif
