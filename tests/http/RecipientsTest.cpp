// Step 3 of the campaign wizard, "Recipients", seen from a browser against the real crmhost binary
// serving demo data: loading targets and the summary of "Calculer", the checkbox of each row,
// addresses typed by hand and CSV imports reported line by line, people without a valid address
// listed but not selectable, the consent warning, and numbers that add up (and agree with the
// JSON API).
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using CrmHostTests::apiGet;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;
using CrmHostTests::unescapeHtml;

namespace
{
/// One seeded server for the suite; every test makes its own campaigns.
struct Demo
{
    std::unique_ptr<CrmHostServer> server;
    std::string password; // the same for admin, coordinator and member
    std::string food;     // "AMAP des Capucins"
    std::string other;    // another food group
    std::string token;    // the administrator's API token
};
std::unique_ptr<Demo> demo;

long number(const std::string& text)
{
    return long(Poco::NumberParser::parse64(text));
}

void startDemo()
{
    demo = std::make_unique<Demo>();
    demo->server = std::make_unique<CrmHostServer>("crmhost_test_recipients");
    CrmHostServer& server = *demo->server;
    std::string seeded = server.runOrFail({"seed-demo", "--people", "400"});
    demo->password = match(seeded, "^Administrator: login admin, password (\\S+)$");
    std::vector<std::string> foods = server.groupsOf("food", 2);
    demo->food = foods[0];
    demo->other = foods[1];
    for (const auto& group : foods)
        server.runOrFail({"module", "enable", "massmailing", "--group", group});
    demo->token = Poco::trim(server.runOrFail({"user", "token", "--login", "admin"}));
    server.start();
}

void stopDemo()
{
    if (demo && demo->server)
        demo->server->stop();
    demo.reset();
}

/// A multipart POST (what the CSV import form sends) with the browser's cookies.
HttpAnswer postFile(Browser& browser, const std::string& path,
                    const std::map<std::string, std::string>& fields, const std::string& field,
                    const std::string& filename, const std::string& bytes)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", demo->server->port());
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept-Language", "en");
    Poco::Net::NameValueCollection cookies;
    for (const char* name : {"crmhost_session", "lang"})
        if (!browser.cookie(name).empty())
            cookies.add(name, browser.cookie(name));
    request.setCookies(cookies);
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    for (const auto& [name, value] : fields)
        form.add(name, value);
    form.addPart(field, new Poco::Net::StringPartSource(bytes, "text/csv", filename));
    form.prepareSubmit(request);
    form.write(session.sendRequest(request));
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpAnswer answer;
    answer.status = response.getStatus();
    Poco::StreamCopier::copyToString(body, answer.body);
    answer.location = response.get("Location", "");
    return answer;
}

std::string base(const std::string& group)
{
    return "/g/" + group + "/massmailing/";
}

/// The numbers of the page's summary and its rows left out, by reason.
struct Numbers
{
    std::map<std::string, long> counts; // loaded, invalid, duplicates, unsubscribed, planned, ...
    std::map<std::string, long> leftOut;

    long operator[](const std::string& name) const
    {
        auto it = counts.find(name);
        if (it == counts.end())
            throw Poco::NotFoundException("no count " + name + " on the page");
        return it->second;
    }
    long reason(const std::string& name) const
    {
        auto it = leftOut.find(name);
        return it == leftOut.end() ? 0 : it->second;
    }
    long sumOfLeftOut() const
    {
        long sum = 0;
        for (const auto& [reason, count] : leftOut)
            sum += count;
        return sum;
    }
};

Numbers numbersOf(const std::string& page)
{
    Numbers numbers;
    Poco::RegularExpression count(
        "<tr data-count=\"([a-z_]+)\"[^>]*><th>[^<]*</th><td class=\"number\">(?:<a [^>]*>)?"
        "([0-9]+|[a-z ]+)");
    Poco::RegularExpression reason(
        "<li data-reason=\"([a-z_]+)\"><a [^>]*>[^<]*</a> <span class=\"count\">([0-9]+)</span>");
    Poco::RegularExpression::MatchVec found;
    for (std::string::size_type at = 0; count.match(page, at, found) > 0;
         at = found[0].offset + found[0].length)
    {
        std::string value = page.substr(found[2].offset, found[2].length);
        numbers.counts[page.substr(found[1].offset, found[1].length)] =
            std::isdigit(static_cast<unsigned char>(value[0])) ? number(value) : -1;
    }
    for (std::string::size_type at = 0; reason.match(page, at, found) > 0;
         at = found[0].offset + found[0].length)
        numbers.leftOut[page.substr(found[1].offset, found[1].length)] =
            number(page.substr(found[2].offset, found[2].length));
    if (numbers.counts.empty())
        throw Poco::DataFormatException("no summary on the page:\n" + page.substr(0, 6000));
    return numbers;
}

/// A row of the list as the page shows it.
struct Row
{
    std::string key; // what the stage's setChecked takes: "person:12", or an address
    std::string reason;
    std::string email;
};

std::vector<Row> rowsOf(const std::string& page)
{
    std::vector<Row> rows;
    Poco::RegularExpression row(
        "<tr data-row=\"\\d+\" data-key=\"([^\"]*)\" data-reason=\"([a-z_]*)\"[^\\n]*\\n"
        "<td class=\"check\">.*\\n<td>.*</td>\\n<td class=\"email\">(.*)</td>");
    Poco::RegularExpression::MatchVec found;
    for (std::string::size_type at = 0; row.match(page, at, found) > 0;
         at = found[0].offset + found[0].length)
        rows.push_back({unescapeHtml(page.substr(found[1].offset, found[1].length)),
                        page.substr(found[2].offset, found[2].length),
                        unescapeHtml(page.substr(found[3].offset, found[3].length))});
    return rows;
}
} // namespace

class RecipientsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecipientsTest);
    CPPUNIT_TEST(testStepOffersTheGroupsTargetsWithTheirLabelsInTheUsersLanguage);
    CPPUNIT_TEST(testLoadingATargetShowsTheSummary);
    CPPUNIT_TEST(testSecondTargetAddsItsPeopleOnceAndAnExcludedTargetLeavesThemOut);
    CPPUNIT_TEST(testUncheckingARowLowersPlannedByOneAndListsItAsUnchecked);
    CPPUNIT_TEST(testRemovingAnAddressLeavesItOutUntilItIsCheckedAgain);
    CPPUNIT_TEST(testAddressAddedByHandIsPlannedAndABadLineIsNamed);
    CPPUNIT_TEST(testCsvWithBadLinesKeepsTheGoodOnesAndReportsEachBadLine);
    CPPUNIT_TEST(testPeopleWithoutAValidAddressAreListedButNotSelectable);
    CPPUNIT_TEST(testNumbersAddUpAndAgreeWithTheJsonApi);
    CPPUNIT_TEST(testFormWithoutTheCsrfTokenChangesNothing);
    CPPUNIT_TEST(testCampaignOfAnotherGroupCannotBeExcluded);
    CPPUNIT_TEST(testJsonApiRefusesAValueOfTheWrongTypeNamingTheFieldAndChangesNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void testStepOffersTheGroupsTargetsWithTheirLabelsInTheUsersLanguage()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Cibles proposées");
        HttpAnswer page = admin.get(recipients(id));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "<li class=\"current\" data-step=\"3\">"));
        std::string text = unescapeHtml(page.body);
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, ">Not yet ordered for the next distribution</option>"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "Users who already ordered from the catalogue "));
        // Only this group's lists for members: no CRM filter, no studio session.
        CPPUNIT_ASSERT_MESSAGE(text, !contains(text, "value=\"contacts."));
        CPPUNIT_ASSERT_MESSAGE(text, !contains(text, "value=\"session."));

        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=fr").status);
        HttpAnswer french = admin.get(recipients(id));
        std::string frenchText = unescapeHtml(french.body);
        CPPUNIT_ASSERT_MESSAGE(
            frenchText,
            contains(frenchText, ">N'ayant pas commandé pour la prochaine distribution</option>"));
        std::string buyers =
            match(frenchText, ">(Utilisateurs ayant déjà commandé dans le catalogue [^<{]+)</option>");
        CPPUNIT_ASSERT_MESSAGE(buyers, !contains(buyers, "{"));
        CPPUNIT_ASSERT_MESSAGE(frenchText, contains(frenchText, "E-mails prévus pour cette campagne"));
        CPPUNIT_ASSERT_MESSAGE(frenchText, contains(frenchText, ">Calculer</button>"));
        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=en").status);
    }

    void testLoadingATargetShowsTheSummary()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Pas encore commandé");
        Numbers before = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT_EQUAL(0L, before["loaded"]);

        HttpAnswer loaded =
            act(admin, id, {{"action", "load"}, {"target", "members.not_ordered_next_distribution"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 303, loaded.status);
        CPPUNIT_ASSERT_MESSAGE(loaded.location, contains(loaded.location, "/recipients?done=load"));
        HttpAnswer page = admin.get(loaded.location.substr(loaded.location.find("/g/")));
        Numbers after = numbersOf(page.body);
        CPPUNIT_ASSERT_MESSAGE(page.body, after["loaded"] > 0);
        CPPUNIT_ASSERT_MESSAGE(page.body, after["planned"] > 0);
        CPPUNIT_ASSERT_EQUAL(after["loaded"], after["planned"] + after.sumOfLeftOut());
        CPPUNIT_ASSERT_EQUAL(-1L, after["monthly_limit"]); // "no limit" in the demo configuration
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "id=\"notice\">The list is loaded"));
        std::string sources =
            match(page.body, "(<table class=\"mm-sources\" id=\"sources\">[\\s\\S]*?</table>)");
        CPPUNIT_ASSERT_MESSAGE(sources, contains(sources, "Not yet ordered for the next distribution"));
        CPPUNIT_ASSERT_MESSAGE(sources, contains(sources, std::to_string(after["loaded"]) + " records"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(std::min(50L, after["loaded"])), rowsOf(page.body).size());
    }

    void testSecondTargetAddsItsPeopleOnceAndAnExcludedTargetLeavesThemOut()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Union et exclusion");
        act(admin, id, {{"action", "load"}, {"target", "members.ordered_next_distribution"}});
        Numbers first = numbersOf(admin.get(recipients(id)).body);
        act(admin, id, {{"action", "load"}, {"target", "members.not_ordered_next_distribution"}});
        Numbers both = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT(both["loaded"] > first["loaded"]);
        // Everybody, once: the two lists are the group's members split in two.
        act(admin, id, {{"action", "load"}, {"target", "members.all"}});
        Numbers all = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT_EQUAL(both["planned"], all["planned"]);
        CPPUNIT_ASSERT(all["loaded"] > both["loaded"]);
        CPPUNIT_ASSERT(all.reason("duplicate") > both.reason("duplicate"));

        HttpAnswer excluded = act(admin, id, {{"action", "exclude"}, {"target", "members.admins"}});
        CPPUNIT_ASSERT_EQUAL(303, excluded.status);
        Numbers after = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT(after.reason("excluded") > 0);
        CPPUNIT_ASSERT(after["planned"] < all["planned"]);
        CPPUNIT_ASSERT_EQUAL(after["loaded"], after["planned"] + after.sumOfLeftOut());
        HttpAnswer list = admin.get(recipients(id) + "?list=excluded");
        for (const auto& row : rowsOf(list.body))
            CPPUNIT_ASSERT_EQUAL(std::string("excluded"), row.reason);
    }

    void testUncheckingARowLowersPlannedByOneAndListsItAsUnchecked()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Une case décochée");
        act(admin, id, {{"action", "load"}, {"target", "members.all"}});
        HttpAnswer planned = admin.get(recipients(id) + "?list=planned");
        Numbers before = numbersOf(planned.body);
        // A row whose address no other person shares: unchecking a shared one lets the other
        // person's row take the address (one message per address), and planned stays the same.
        std::string duplicates = admin.get(recipients(id) + "?list=duplicate").body;
        auto rows = rowsOf(planned.body);
        std::string key;
        for (std::size_t n = 3; key.empty(); ++n)
        {
            CPPUNIT_ASSERT(n < 40);
            if (!contains(Poco::toLower(duplicates), Poco::toLower(rows[n].email)))
                key = rows[n].key;
        }

        // The whole page's form as the browser sends it, that box unticked, the 49 others ticked.
        std::string shown = unescapeHtml(match(planned.body, "name=\"shown\" value=\"([^\"]*)\""));
        Poco::StringTokenizer tokens(shown, " ");
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), tokens.count());
        std::map<std::string, std::string> form{{"action", "checks"}, {"list", "planned"}, {"shown", shown}};
        for (std::size_t n = 0; n < tokens.count(); ++n)
            if (tokens[n] != "1" + key)
                form["check_" + std::to_string(n)] = "1";
        HttpAnswer unchecked = act(admin, id, form);
        CPPUNIT_ASSERT_EQUAL(303, unchecked.status);
        CPPUNIT_ASSERT_MESSAGE(unchecked.location, contains(unchecked.location, "?list=planned&done=checks"));
        HttpAnswer page = admin.get(recipients(id) + "?list=unchecked");
        Numbers after = numbersOf(page.body);
        CPPUNIT_ASSERT_EQUAL(before["planned"] - 1, after["planned"]);
        CPPUNIT_ASSERT_EQUAL(1L, after.reason("unchecked"));
        CPPUNIT_ASSERT_EQUAL(before["loaded"], after["loaded"]);
        auto left = rowsOf(page.body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), left.size());
        CPPUNIT_ASSERT_EQUAL(key, left[0].key);
        CPPUNIT_ASSERT_EQUAL(std::string("unchecked"), left[0].reason);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, ">Unchecked<"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "name=\"shown\" value=\"0" + key + "\""));

        // Ticked again, it is planned again.
        HttpAnswer checked = act(
            admin, id, {{"action", "checks"}, {"list", "unchecked"}, {"shown", "0" + key}, {"check_0", "1"}});
        CPPUNIT_ASSERT_EQUAL(303, checked.status);
        Numbers again = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT_EQUAL(before["planned"], again["planned"]);
        CPPUNIT_ASSERT_EQUAL(0L, again.reason("unchecked"));
    }

    void testRemovingAnAddressLeavesItOutUntilItIsCheckedAgain()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Adresse retirée");
        act(admin, id, {{"action", "load"}, {"target", "members.all"}});
        HttpAnswer page = admin.get(recipients(id) + "?list=planned");
        Numbers before = numbersOf(page.body);
        std::string email = unescapeHtml(match(page.body, "name=\"remove\" value=\"([^\"]+)\""));
        HttpAnswer removed = act(admin, id, {{"remove", email}});
        CPPUNIT_ASSERT_EQUAL(303, removed.status);
        HttpAnswer after = admin.get(removed.location.substr(removed.location.find("/g/")));
        CPPUNIT_ASSERT_MESSAGE(after.body, contains(after.body, "The address is removed"));
        Numbers numbers = numbersOf(after.body);
        CPPUNIT_ASSERT_EQUAL(before["planned"] - 1, numbers["planned"]);
        CPPUNIT_ASSERT(numbers.reason("unchecked") >= 1); // more when another person shares the address
        HttpAnswer list = admin.get(recipients(id) + "?list=unchecked");
        CPPUNIT_ASSERT_MESSAGE(list.body, contains(list.body, "<td class=\"email\">" + email + "</td>"));

        // Its box ticked again brings it back, though it was left out by its address.
        std::string key = rowsOf(list.body).at(0).key;
        act(admin, id, {{"action", "checks"}, {"shown", "0" + key}, {"check_0", "1"}});
        CPPUNIT_ASSERT_EQUAL(before["planned"], numbersOf(admin.get(recipients(id)).body)["planned"]);
    }

    void testAddressAddedByHandIsPlannedAndABadLineIsNamed()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "À la main");
        act(admin, id, {{"action", "load"}, {"target", "members.admins"}});
        Numbers before = numbersOf(admin.get(recipients(id)).body);

        HttpAnswer added =
            act(admin, id, {{"action", "add"}, {"addresses", "nouvelle.adherente@example.org\n"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(added.body, 200, added.status);
        CPPUNIT_ASSERT_MESSAGE(added.body, contains(added.body, "id=\"report-taken\">1 address taken."));
        Numbers after = numbersOf(added.body);
        CPPUNIT_ASSERT_EQUAL(before["loaded"] + 1, after["loaded"]);
        CPPUNIT_ASSERT_EQUAL(before["planned"] + 1, after["planned"]);
        HttpAnswer planned = admin.get(recipients(id) + "?list=planned");
        std::string row =
            match(planned.body,
                  "(<tr data-row=\"\\d+\" data-key=\"nouvelle.adherente@example.org\"[\\s\\S]*?</tr>)");
        CPPUNIT_ASSERT_MESSAGE(row, contains(row, "<td class=\"source\">Added by hand</td>"));

        // A bad line is named with its number and stays in the box; the good ones are taken.
        HttpAnswer mixed = act(
            admin, id,
            {{"action", "add"},
             {"addresses",
              "un@example.org\npas une adresse\n\ndeux@example.org, trois@example.org\ndeux@example.org"}});
        CPPUNIT_ASSERT_EQUAL(200, mixed.status);
        std::string text = unescapeHtml(mixed.body);
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "id=\"report-taken\">2 addresses taken."));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "<li data-line=\"2\" data-code=\"invalid_address\">Line 2: "
                                              "\"pas une adresse\" is not a valid email address.</li>"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "<li data-line=\"4\" data-code=\"invalid_address\">Line "
                                                    "4: \"deux@example.org, trois@example.org\""));
        CPPUNIT_ASSERT_MESSAGE(
            text, contains(text, ">pas une adresse\ndeux@example.org, trois@example.org\n</textarea>"));
        CPPUNIT_ASSERT_EQUAL(after["planned"] + 2, numbersOf(mixed.body)["planned"]);

        HttpAnswer empty = act(admin, id, {{"action", "add"}, {"addresses", "  \n"}});
        CPPUNIT_ASSERT_EQUAL(422, empty.status);
        CPPUNIT_ASSERT_MESSAGE(
            empty.body,
            contains(empty.body,
                     "id=\"error-addresses\" data-field=\"addresses\">Write at least one address"));
    }

    void testCsvWithBadLinesKeepsTheGoodOnesAndReportsEachBadLine()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Import CSV");
        std::string csrf = admin.get(recipients(id)).csrfToken();
        HttpAnswer imported =
            postFile(admin, recipients(id), {{"csrf", csrf}, {"action", "import"}}, "csv", "adherents.csv",
                     "email,first_name,last_name\r\n"
                     "alice@example.org,Alice,Martin\r\n"
                     ",Sans,Adresse\r\n"
                     "pas-une-adresse,Bob,Durand\r\n"
                     "carl@example.org,Carl,Petit,en trop\r\n"
                     "\xff\xfe"
                     "dan@example.org,Dan\r\n"
                     "eve@Example.ORG;Ève;Leroy\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(imported.body, 200, imported.status);
        std::string text = unescapeHtml(imported.body);
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "<h2>Import of the CSV file</h2>"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "id=\"report-taken\">2 addresses taken."));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "id=\"report-refused\">4 lines refused, the others are kept:"));
        CPPUNIT_ASSERT_MESSAGE(
            text, contains(text, "<li data-line=\"3\" data-code=\"no_address\">Line 3: no address.</li>"));
        CPPUNIT_ASSERT_MESSAGE(text,
                               contains(text, "<li data-line=\"4\" data-code=\"invalid_address\">Line 4: "
                                              "\"pas-une-adresse\" is not a valid email address.</li>"));
        CPPUNIT_ASSERT_MESSAGE(
            text,
            contains(text, "<li data-line=\"5\" data-code=\"columns\">Line 5: 4 columns instead of 1 to 3"));
        CPPUNIT_ASSERT_MESSAGE(
            text, contains(text, "<li data-line=\"6\" data-code=\"not_utf8\">Line 6: the text is not UTF-8"));
        CPPUNIT_ASSERT_MESSAGE(text, !contains(text, "data-line=\"2\""));
        CPPUNIT_ASSERT_MESSAGE(text, !contains(text, "data-line=\"7\""));

        Numbers numbers = numbersOf(imported.body);
        CPPUNIT_ASSERT_EQUAL(2L, numbers["loaded"]);
        CPPUNIT_ASSERT_EQUAL(2L, numbers["planned"]);
        HttpAnswer list = admin.get(recipients(id));
        std::string listText = unescapeHtml(list.body);
        CPPUNIT_ASSERT_MESSAGE(
            listText,
            contains(listText, "<td>Alice Martin</td>\n<td class=\"email\">alice@example.org</td>\n<td "
                               "class=\"source\">File adherents.csv</td>"));
        CPPUNIT_ASSERT_MESSAGE(
            listText, contains(listText, "<td>Ève Leroy</td>\n<td class=\"email\">eve@example.org</td>"));
        CPPUNIT_ASSERT_MESSAGE(
            listText, contains(listText, "File adherents.csv</td>\n<td class=\"number\">2 records</td>"));

        // Nothing good: refused as a whole, and nothing changes.
        HttpAnswer bad = postFile(admin, recipients(id), {{"csrf", csrf}, {"action", "import"}}, "csv",
                                  "vide.csv", ";;;;\n");
        CPPUNIT_ASSERT_EQUAL(422, bad.status);
        CPPUNIT_ASSERT_MESSAGE(bad.body, contains(bad.body, "id=\"report-taken\">0 addresses taken."));
        HttpAnswer none =
            postFile(admin, recipients(id), {{"csrf", csrf}, {"action", "import"}}, "csv", "", "");
        CPPUNIT_ASSERT_EQUAL(422, none.status);
        CPPUNIT_ASSERT_MESSAGE(
            none.body, contains(none.body, "id=\"error-import\" data-field=\"csv\">Choose a CSV file first"));
        CPPUNIT_ASSERT_EQUAL(2L, numbersOf(admin.get(recipients(id)).body)["planned"]);
    }

    void testPeopleWithoutAValidAddressAreListedButNotSelectable()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Adresses manquantes");
        act(admin, id, {{"action", "load"}, {"target", "members.all"}});
        Numbers numbers = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT_MESSAGE("the demo's AMAP has members with an invalid address",
                               numbers.reason("invalid") > 0);
        CPPUNIT_ASSERT_EQUAL(numbers.reason("invalid") + numbers.reason("no_address"), numbers["invalid"]);

        for (const char* reason : {"invalid", "no_address"})
        {
            if (numbers.reason(reason) == 0)
                continue;
            HttpAnswer list = admin.get(recipients(id) + "?list=" + reason);
            auto rows = rowsOf(list.body);
            CPPUNIT_ASSERT_EQUAL(std::size_t(std::min(50L, numbers.reason(reason))), rows.size());
            std::string row = match(list.body, "(<tr data-row=[\\s\\S]*?</tr>)");
            std::string person = match(row, "data-key=\"person:(\\d+)\"");
            CPPUNIT_ASSERT_MESSAGE(row, contains(row, "<input type=\"checkbox\" disabled"));
            CPPUNIT_ASSERT_MESSAGE(row, !contains(row, "mm-row-check"));
            CPPUNIT_ASSERT_MESSAGE(row, !contains(row, "name=\"remove\""));
            CPPUNIT_ASSERT_MESSAGE(
                row,
                contains(unescapeHtml(row),
                         "<a href=\"/g/" + demo->food +
                             "/members\" class=\"mm-profile\" title=\"The platform has no record page yet: "
                             "find the person by name in the members list.\">"
                             "Fix their record (person no. " +
                             person + ")</a>"));
        }

        // A8: the planned people without consent to marketing email, as the JSON API counts them.
        HttpAnswer page = admin.get(recipients(id));
        Poco::JSON::Object::Ptr api = summaryOf(id);
        long withoutConsent = long(api->getValue<Poco::Int64>("without_consent"));
        CPPUNIT_ASSERT(withoutConsent > 0);
        CPPUNIT_ASSERT_MESSAGE(
            page.body, contains(page.body, "id=\"consent-warning\">" + std::to_string(withoutConsent) +
                                               " of the " + std::to_string(numbers["planned"]) +
                                               " planned recipients have not agreed"));
    }

    void testNumbersAddUpAndAgreeWithTheJsonApi()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Le compte est bon");
        act(admin, id, {{"action", "load"}, {"target", "members.all"}});
        act(admin, id, {{"action", "load"}, {"target", "members.without_order"}});
        act(admin, id, {{"action", "exclude"}, {"target", "members.admins"}});
        act(admin, id, {{"action", "add"}, {"addresses", "extra@example.org\nextra@EXAMPLE.org"}});
        HttpAnswer control = act(admin, id, {{"action", "control_group"}, {"control_group", "10"}});
        CPPUNIT_ASSERT_EQUAL(303, control.status);
        HttpAnswer first = admin.get(recipients(id) + "?list=planned");
        act(admin, id, {{"action", "checks"}, {"shown", "1" + rowsOf(first.body).at(0).key}});
        HttpAnswer calculated = act(admin, id, {{"action", "calculate"}});
        CPPUNIT_ASSERT_EQUAL(303, calculated.status);

        HttpAnswer page = admin.get(recipients(id));
        Numbers numbers = numbersOf(page.body);
        for (const char* reason : {"unchecked", "excluded", "duplicate", "control_group"})
            CPPUNIT_ASSERT_MESSAGE(reason, numbers.reason(reason) > 0);
        CPPUNIT_ASSERT_EQUAL(numbers["loaded"], numbers["planned"] + numbers.sumOfLeftOut());
        CPPUNIT_ASSERT_MESSAGE(
            page.body,
            contains(page.body, "name=\"control_group\" min=\"0\" max=\"50\" step=\"1\" value=\"10\""));

        // Each reason's link lists exactly its rows.
        for (const auto& [reason, count] : numbers.leftOut)
        {
            HttpAnswer list = admin.get(recipients(id) + "?list=" + reason);
            auto rows = rowsOf(list.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(reason, std::size_t(std::min(50L, count)), rows.size());
            for (const auto& row : rows)
                CPPUNIT_ASSERT_EQUAL(std::string(reason), row.reason);
        }

        // The JSON API says the same.
        Poco::JSON::Object::Ptr api = summaryOf(id);
        CPPUNIT_ASSERT_EQUAL(numbers["loaded"], long(api->getValue<Poco::Int64>("loaded")));
        CPPUNIT_ASSERT_EQUAL(numbers["planned"], long(api->getValue<Poco::Int64>("planned")));
        CPPUNIT_ASSERT_EQUAL(numbers["invalid"], long(api->getValue<Poco::Int64>("invalid")));
        CPPUNIT_ASSERT_EQUAL(numbers["duplicates"], long(api->getValue<Poco::Int64>("duplicates")));
        CPPUNIT_ASSERT_EQUAL(numbers["unsubscribed"], long(api->getValue<Poco::Int64>("unsubscribed")));
        CPPUNIT_ASSERT_EQUAL(numbers["sent_this_month"], long(api->getValue<Poco::Int64>("sent_this_month")));

        // Removing the exclusion takes it back.
        std::string excluded =
            match(page.body, "<tr data-source=\"(\\d+)\">\\s*<td><span class=\"mm-tag exclude\">");
        HttpAnswer removed = act(admin, id, {{"remove_source", excluded}});
        CPPUNIT_ASSERT_EQUAL(303, removed.status);
        Numbers after = numbersOf(admin.get(recipients(id)).body);
        CPPUNIT_ASSERT_EQUAL(0L, after.reason("excluded"));
        CPPUNIT_ASSERT_EQUAL(after["loaded"], after["planned"] + after.sumOfLeftOut());
    }

    void testFormWithoutTheCsrfTokenChangesNothing()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Sans jeton");
        HttpAnswer forged = admin.post(recipients(id), {{"action", "load"}, {"target", "members.all"}});
        CPPUNIT_ASSERT_EQUAL(403, forged.status);
        HttpAnswer forgedFile =
            postFile(admin, recipients(id), {{"action", "import"}}, "csv", "a.csv", "a@example.org\n");
        CPPUNIT_ASSERT_EQUAL(403, forgedFile.status);
        CPPUNIT_ASSERT_EQUAL(0L, numbersOf(admin.get(recipients(id)).body)["loaded"]);

        // Without any right of the module in its group, the campaign does not exist for them.
        Browser member = loggedIn("member");
        CPPUNIT_ASSERT_EQUAL(404, member.get(recipients(id)).status);
    }

    void testCampaignOfAnotherGroupCannotBeExcluded()
    {
        Browser admin = loggedIn("admin");
        std::string theirs = createCampaign(admin, "Autre groupe", demo->other);
        std::string mine = createCampaign(admin, "Exclusion interdite");
        HttpAnswer refused = act(admin, mine, {{"action", "exclude_campaign"}, {"campaign", theirs}});
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(
            refused.body, contains(refused.body, "id=\"error\">This campaign does not exist in this group."));
        HttpAnswer unknown = act(admin, mine, {{"action", "load"}, {"target", "contacts.all"}});
        CPPUNIT_ASSERT_EQUAL(422, unknown.status);
        CPPUNIT_ASSERT_EQUAL(404, admin.get(base(demo->food) + "campaigns/" + theirs + "/recipients").status);
    }

    void testJsonApiRefusesAValueOfTheWrongTypeNamingTheFieldAndChangesNothing()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, "Types du JSON");
        std::string path = "campaigns/" + id + "/audience?wait=true";
        HttpAnswer typed = CrmHostTests::apiRequest(demo->server->port(), "POST", path, demo->token,
                                                    "{\"addresses\": [\"kept@example.org\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(typed.body, 200, typed.status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), summaryOf(id)->getValue<Poco::Int64>("planned"));

        std::string deep = "{\"add\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
        const std::pair<std::string, std::string> refused[] = {
            {"{\"exclude\": [{\"campaign\": \"x\"}]}", "exclude[0].campaign"},
            {"{\"control_group\": \"x\"}", "control_group"},
            {"{\"control_group\": 1e99}", "control_group"},
            {"{\"reset\": null}", "reset"},
            {"{\"reset\": \"no\"}", "reset"},
            {"{\"reset\": \"no\", \"addresses\": [\"other@example.org\"]}", "reset"},
            {"{\"reset\": true, \"add\": [{\"target\": 5}]}", "add[0].target"},
            {"{\"reset\": true, \"addresses\": [\"a@example.org\", 3]}", "addresses[1]"},
            {"{\"reset\": true, \"add\": [{\"target\": \"members.all\", \"params\": [1]}]}", "add[0].params"},
            {deep, ""}};
        for (const auto& [body, field] : refused)
        {
            HttpAnswer answer =
                CrmHostTests::apiRequest(demo->server->port(), "POST", path, demo->token, body);
            std::string shown = body.substr(0, 100) + " -> " + answer.body.substr(0, 300);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, 400, answer.status);
            CPPUNIT_ASSERT_MESSAGE(shown, contains(answer.body, "\"error\""));
            auto error = Poco::JSON::Parser()
                             .parse(answer.body)
                             .extract<Poco::JSON::Object::Ptr>()
                             ->getObject("error");
            CPPUNIT_ASSERT_MESSAGE(shown, error);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, field, error->getValue<std::string>("field"));
            CPPUNIT_ASSERT_MESSAGE(shown, contains(error->getValue<std::string>("message"), field));
            // The audience typed before is untouched: "no" wiped it before.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, Poco::Int64(1),
                                         summaryOf(id)->getValue<Poco::Int64>("planned"));
        }
    }

private:
    static Browser loggedIn(const std::string& login)
    {
        Browser browser(demo->server->port());
        HttpAnswer answer = browser.logIn(login, demo->password);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + login, 303, answer.status);
        return browser;
    }

    /// Creates a campaign for members through the details form; returns its id.
    static std::string createCampaign(Browser& browser, const std::string& name,
                                      const std::string& group = "")
    {
        std::string g = group.empty() ? demo->food : group;
        std::map<std::string, std::string> fields{
            {"csrf", browser.get(base(g) + "campaigns/new").csrfToken()},
            {"name", name},
            {"recipient_type", "members"},
            {"sender_name", "AMAP"},
            {"sender_local", "paniers"},
            {"sender_domain", "example.org"},
            {"reply_to", ""},
            {"subject_prefix", ""},
            {"dedupe", "address"}};
        HttpAnswer created = browser.post(base(g) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 303, created.status);
        return match(created.location, "/campaigns/(\\d+)/composition$");
    }

    static std::string recipients(const std::string& id)
    {
        return base(demo->food) + "campaigns/" + id + "/recipients";
    }

    /// Posts one of the page's forms with its CSRF token.
    static HttpAnswer act(Browser& browser, const std::string& id, std::map<std::string, std::string> fields)
    {
        fields["csrf"] = browser.get(recipients(id)).csrfToken();
        return browser.post(recipients(id), fields);
    }

    static Poco::JSON::Object::Ptr summaryOf(const std::string& id)
    {
        HttpAnswer answer =
            apiGet(demo->server->port(), "/api/v1/massmailing/campaigns/" + id + "/summary", demo->token);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        return Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    }
};

namespace
{
CrmHostTests::SuiteRegistration
    registration([]() { return new CrmHostTests::SuiteSetup(RecipientsTest::suite(), startDemo, stopDemo); });
} // namespace
