// The campaign wizard's pages (details, composition, preview and test) and the outbox, seen from
// a browser against the real crmhost binary serving demo data: forms with their CSRF token,
// refusals shown next to their field, test sends that land in the outbox, variables that cannot
// be filled, the 25 MB limit, files, templates, reuse, and the editor's assets.
#include "CrmHostServer.h"
#include "HttpClient.h"
#include "SuiteSetup.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>
#include <memory>

using CrmHostTests::answerOf;
using CrmHostTests::Browser;
using CrmHostTests::contains;
using CrmHostTests::CrmHostServer;
using CrmHostTests::HttpAnswer;
using CrmHostTests::match;
using CrmHostTests::objectOf;
using CrmHostTests::unescapeHtml;

namespace
{
/// One seeded server for the suite; every test makes its own campaigns, so that none depends
/// on another. massmailing is enabled in both food groups.
struct Demo
{
    std::unique_ptr<CrmHostServer> server;
    std::string password;    // the same for admin, coordinator and member
    std::string food, ruche; // group ids: "AMAP des Capucins" and "La Ruche du Canal"
    std::string token;       // the administrator's API token
};
std::unique_ptr<Demo> demo;

void startDemo()
{
    demo = std::make_unique<Demo>();
    demo->server = std::make_unique<CrmHostServer>("crmhost_test_composition");
    CrmHostServer& server = *demo->server;
    std::string seeded = server.runOrFail({"seed-demo", "--people", "300"});
    demo->password = match(seeded, "^Administrator: login admin, password (\\S+)$");
    std::vector<std::string> foods = server.groupsOf("food", 2);
    demo->food = foods[0];
    demo->ruche = foods[1];
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

/// A file of a multipart form.
struct Upload
{
    std::string field;
    std::string filename;
    std::string contentType;
    std::string bytes;
};

/// A multipart POST (what the composition form sends) with the browser's cookies.
HttpAnswer postMultipart(Browser& browser, const std::string& path,
                         const std::map<std::string, std::string>& fields,
                         const std::vector<Upload>& files = {})
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
    for (const auto& file : files)
        form.addPart(file.field,
                     new Poco::Net::StringPartSource(file.bytes, file.contentType, file.filename));
    form.prepareSubmit(request);
    form.write(session.sendRequest(request));
    return answerOf(session);
}

/// A JSON request of the administrator to the module's API.
HttpAnswer api(const std::string& method, const std::string& path, const std::string& body = "")
{
    return CrmHostTests::apiRequest(demo->server->port(), method, path, demo->token, body);
}

/// "field code" of an API refusal.
std::string refusalOf(const HttpAnswer& answer)
{
    auto error = objectOf(answer)->getObject("error");
    if (!error)
        return "no error in " + answer.body;
    return error->optValue<std::string>("field", "") + " " + error->optValue<std::string>("code", "");
}

std::string base(const std::string& group)
{
    return "/g/" + group + "/massmailing/";
}

// Bytes that do not compress and are not text: a stand-in for a photo or a PDF.
std::string noise(std::size_t size)
{
    std::string bytes(size, '\0');
    unsigned state = 2463534242u;
    for (auto& byte : bytes)
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        byte = char(state & 0xFF);
    }
    return bytes;
}
} // namespace

class CompositionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CompositionTest);
    CPPUNIT_TEST(testCampaignIsCreatedThroughTheDetailsFormAndListedAmongTheDrafts);
    CPPUNIT_TEST(testFormWithoutTheCsrfTokenIsRefusedAndCreatesNothing);
    CPPUNIT_TEST(testRefusedFieldIsShownNextToItWithEverythingTypedKept);
    CPPUNIT_TEST(testRecipientTypeIsFixedOnceTheCampaignExists);
    CPPUNIT_TEST(testTestSendLandsInTheOutboxFilledWithTheChosenRecipientsValues);
    CPPUNIT_TEST(testTestSendsUnsubscribeLinksLeaveTheSampleMemberSubscribed);
    CPPUNIT_TEST(testUnfillableVariableIsReportedWithTheNumberOfRecipientsItAffects);
    CPPUNIT_TEST(testMessageOver25MBIsRefusedWithItsSizeAndTheLimit);
    CPPUNIT_TEST(testFileLargerThanAWholeMessageIsRefusedAtUpload);
    CPPUNIT_TEST(testFilesAreListedWithTheirSizesGoWithTheMessageAndCanBeRemoved);
    CPPUNIT_TEST(testSavedTemplateStartsAnotherCampaign);
    CPPUNIT_TEST(testMessageOfAnotherGroupIsReusedSubjectAndBodyOnly);
    CPPUNIT_TEST(testOutboxShowsAGroupOnlyItsOwnMessagesAndNothingToAPlainMember);
    CPPUNIT_TEST(testEditorAssetsAreServedWithTheirTypesAndNothingElse);
    CPPUNIT_TEST(testFrenchUserGetsTheWizardAndItsErrorsInFrench);
    CPPUNIT_TEST(testLanguageVersionsRoundTripThroughTheJsonApi);
    CPPUNIT_TEST(testWrongLanguageVersionIsRefusedByTheApiNamingItsField);
    CPPUNIT_TEST(testLanguageVersionIsAddedTranslatedForcedAndRemovedOnTheCompositionPage);
    CPPUNIT_TEST(testViewOnlinePageShowsAScriptSenderNameEscaped);
    CPPUNIT_TEST(testTenThousandNestedDivsAreRefusedNamingTheFieldAndTheHostLivesOn);
    CPPUNIT_TEST(testNulInASubjectIsRefusedAndLimitsCountCharacters);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCampaignIsCreatedThroughTheDetailsFormAndListedAmongTheDrafts()
    {
        Browser admin = loggedIn("admin");
        HttpAnswer form = admin.get(base(demo->food) + "campaigns/new");
        CPPUNIT_ASSERT_EQUAL(200, form.status);
        CPPUNIT_ASSERT_MESSAGE(form.body, contains(form.body, "<option value=\"members\""));
        CPPUNIT_ASSERT_MESSAGE(form.body, contains(form.body, "<option>example.org</option>"));

        HttpAnswer created =
            admin.post(base(demo->food) + "campaigns/new", details(form.csrfToken(), "Rappel du jeudi"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 303, created.status);
        std::string id = match(created.location, "/campaigns/(\\d+)/composition$");

        HttpAnswer home = admin.get(base(demo->food));
        std::string drafts = home.body.substr(home.body.find("data-section=\"drafts\""));
        drafts = drafts.substr(0, drafts.find("</section>"));
        CPPUNIT_ASSERT_MESSAGE(drafts,
                               contains(drafts, "data-campaign=\"" + id + "\" data-status=\"draft\""));
        CPPUNIT_ASSERT_MESSAGE(drafts, contains(drafts, "Rappel du jeudi"));
        CPPUNIT_ASSERT_MESSAGE(drafts, contains(drafts, "<td>Members</td>"));

        HttpAnswer edit = admin.get(base(demo->food) + "campaigns/" + id + "/details");
        CPPUNIT_ASSERT_MESSAGE(edit.body, contains(edit.body, "value=\"[RAPPEL]\""));
        CPPUNIT_ASSERT_MESSAGE(edit.body, contains(edit.body, "name=\"sender_local\" value=\"paniers\""));
    }

    void testFormWithoutTheCsrfTokenIsRefusedAndCreatesNothing()
    {
        Browser admin = loggedIn("admin");
        HttpAnswer refused = admin.post(base(demo->food) + "campaigns/new", details("", "Sans jeton"));
        CPPUNIT_ASSERT_EQUAL(403, refused.status);
        CPPUNIT_ASSERT(!contains(admin.get(base(demo->food)).body, "Sans jeton"));
        std::string id = createCampaign(admin, demo->food, "Avec jeton");
        HttpAnswer forged = postMultipart(admin, composition(demo->food, id),
                                          {{"action", "save"}, {"subject", "forged"}, {"html", "<p>x</p>"}});
        CPPUNIT_ASSERT_EQUAL(403, forged.status);
        CPPUNIT_ASSERT(!contains(admin.get(composition(demo->food, id)).body, "forged"));
    }

    void testRefusedFieldIsShownNextToItWithEverythingTypedKept()
    {
        Browser admin = loggedIn("admin");
        std::string csrf = admin.get(base(demo->food) + "campaigns/new").csrfToken();

        auto fields = details(csrf, "");
        HttpAnswer noName = admin.post(base(demo->food) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL(422, noName.status);
        CPPUNIT_ASSERT_MESSAGE(
            noName.body,
            contains(noName.body, "id=\"error-name\" data-field=\"name\">This field is required."));
        CPPUNIT_ASSERT_MESSAGE(noName.body, contains(noName.body, "value=\"[RAPPEL]\""));

        fields = details(csrf, "Domaine inconnu");
        fields["sender_domain"] = "gmail.com";
        HttpAnswer domain = admin.post(base(demo->food) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL(422, domain.status);
        CPPUNIT_ASSERT_MESSAGE(domain.body,
                               contains(domain.body, "id=\"error-sender_email\" data-field=\"sender_email\">"
                                                     "This domain is not a verified sending domain"));
        CPPUNIT_ASSERT_MESSAGE(domain.body, contains(domain.body, "aria-describedby=\"error-sender_email\""));
        CPPUNIT_ASSERT_MESSAGE(domain.body, contains(domain.body, "value=\"Domaine inconnu\""));
        CPPUNIT_ASSERT_MESSAGE(domain.body, contains(domain.body, "name=\"sender_local\" value=\"paniers\""));
        CPPUNIT_ASSERT_MESSAGE(domain.body, !contains(domain.body, "error-name"));

        fields = details(csrf, "Réponse fausse");
        fields["reply_to"] = "pas une adresse";
        HttpAnswer replyTo = admin.post(base(demo->food) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL(422, replyTo.status);
        CPPUNIT_ASSERT_MESSAGE(replyTo.body, contains(replyTo.body, "id=\"error-reply_to\""));
        CPPUNIT_ASSERT_MESSAGE(replyTo.body, contains(replyTo.body, "value=\"pas une adresse\""));
        CPPUNIT_ASSERT(!contains(admin.get(base(demo->food)).body, "Domaine inconnu"));
    }

    void testRecipientTypeIsFixedOnceTheCampaignExists()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Type fixe");
        HttpAnswer edit = admin.get(base(demo->food) + "campaigns/" + id + "/details");
        CPPUNIT_ASSERT_MESSAGE(edit.body, contains(edit.body, "name=\"recipient_type\" disabled"));
        auto fields = details(edit.csrfToken(), "Type fixe");
        fields["recipient_type"] = "contacts";
        HttpAnswer forged = admin.post(base(demo->food) + "campaigns/" + id + "/details", fields);
        CPPUNIT_ASSERT_EQUAL(422, forged.status);
        CPPUNIT_ASSERT_MESSAGE(forged.body, contains(forged.body, "id=\"error-recipient_type\""));
        CPPUNIT_ASSERT_MESSAGE(forged.body, contains(forged.body, "cannot change once the campaign exists"));
        fields.erase("recipient_type"); // what the disabled select sends: nothing
        fields["name"] = "Type fixe, renommée";
        HttpAnswer saved = admin.post(base(demo->food) + "campaigns/" + id + "/details", fields);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);
        CPPUNIT_ASSERT(contains(unescapeHtml(admin.get(base(demo->food)).body), "Type fixe, renommée"));
    }

    void testTestSendLandsInTheOutboxFilledWithTheChosenRecipientsValues()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Test dans la boîte");
        HttpAnswer saved =
            compose(admin, demo->food, id, "Bonjour {{first_name}}, test 5",
                    "<p>Chère {{first_name}} {{last_name}}, la distribution de {{group_name}}.</p>");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);

        // The fifth recipient of the preview's list, with an address.
        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        CPPUNIT_ASSERT_EQUAL(200, preview.status);
        Poco::RegularExpression option(
            "<option value=\"(person:\\d+)\"[^>]*>([^<]+) · ([^<@]+@[^<]+)</option>");
        std::vector<std::string> found;
        std::string::size_type offset = 0;
        std::string recipient, label, email;
        for (int n = 0; n < 5; ++n)
        {
            Poco::RegularExpression::MatchVec matches;
            CPPUNIT_ASSERT_MESSAGE(preview.body, option.match(preview.body, offset, matches) > 0);
            recipient = preview.body.substr(matches[1].offset, matches[1].length);
            label = unescapeHtml(preview.body.substr(matches[2].offset, matches[2].length));
            email = preview.body.substr(matches[3].offset, matches[3].length);
            offset = matches[0].offset + matches[0].length;
        }
        HttpAnswer chosen =
            admin.get(base(demo->food) + "campaigns/" + id + "/preview?recipient=" + recipient);
        std::string subject =
            unescapeHtml(match(chosen.body, "id=\"preview-subject\"><strong>([^<]*)</strong>"));
        std::string firstName = match(subject, "^\\[RAPPEL\\] Bonjour (.+), test 5$");
        CPPUNIT_ASSERT_MESSAGE(label + " / " + firstName, label.compare(0, firstName.size(), firstName) == 0);
        CPPUNIT_ASSERT_MESSAGE(chosen.body,
                               contains(chosen.body, "name=\"recipient\" value=\"" + recipient + "\""));

        HttpAnswer sent =
            admin.post(base(demo->food) + "campaigns/" + id + "/test",
                       {{"csrf", chosen.csrfToken()}, {"recipient", recipient}, {"to", "moi@example.org"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sent.body, 200, sent.status);
        std::string notice = unescapeHtml(match(sent.body, "id=\"test-sent\">([^<]*)<"));
        CPPUNIT_ASSERT_MESSAGE(notice, contains(notice, "Test message sent to moi@example.org"));
        CPPUNIT_ASSERT_MESSAGE(notice, contains(notice, label.substr(0, label.find(" · "))));
        CPPUNIT_ASSERT_MESSAGE(notice, contains(notice, "it is in the outbox"));

        // The newest message of the outbox is this test.
        HttpAnswer outbox = admin.get(base(demo->food) + "outbox");
        std::string name = match(outbox.body, "<tr data-message=\"([^\"]+)\">");
        CPPUNIT_ASSERT_MESSAGE(outbox.body, contains(unescapeHtml(outbox.body), subject));
        HttpAnswer message = admin.get(base(demo->food) + "outbox/" + name);
        CPPUNIT_ASSERT_EQUAL(200, message.status);
        std::string text =
            unescapeHtml(match(message.body, "<pre class=\"mm-text\" id=\"message-text\">([^<]*)</pre>"));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "Chère " + firstName + " "));
        CPPUNIT_ASSERT_MESSAGE(text, contains(text, "la distribution de AMAP des Capucins"));
        CPPUNIT_ASSERT_MESSAGE(
            message.body, contains(message.body, "<th>X-Outbox-Envelope-To</th><td>moi@example.org</td>"));
        CPPUNIT_ASSERT_MESSAGE(message.body, contains(message.body, "sandbox=\"\""));
        CPPUNIT_ASSERT_EQUAL(200, admin.get(base(demo->food) + "outbox/" + name + "?download=1").status);

        // Its "view online" link (in the sample's language) shows the same message to whoever holds it,
        // without a login.
        std::string view = match(text, "(?:View this message online|Voir ce message en ligne): "
                                       "http://[^/]+(/p/massmailing/view/[A-Za-z0-9_-]+)");
        Browser anyone(demo->server->port());
        HttpAnswer online = anyone.get(view);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(online.body, 200, online.status);
        CPPUNIT_ASSERT_MESSAGE(online.body, contains(unescapeHtml(online.body), "Chère " + firstName + " "));
        CPPUNIT_ASSERT_MESSAGE(online.body,
                               contains(unescapeHtml(online.body), "<title>" + subject + "</title>"));
        std::string altered = view; // a character inside the tag: the last one may hold unused bits
        altered[altered.size() - 5] = altered[altered.size() - 5] == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT_EQUAL(400, anyone.get(altered).status);
    }

    void testTestSendsUnsubscribeLinksLeaveTheSampleMemberSubscribed()
    {
        // Finding 6: a test sent to an outside address carried the sample member's own signed
        // unsubscribe link, and its one-click POST unsubscribed the member.
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Test sans effet");
        HttpAnswer saved =
            compose(admin, demo->food, id, "Bonjour {{first_name}}", "<p>Chère {{first_name}}.</p>");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);
        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        Poco::RegularExpression option(
            "<option value=\"(person:\\d+)\"[^>]*>[^<]+ · ([^<@]+@[^<]+)</option>");
        Poco::RegularExpression::MatchVec matches;
        CPPUNIT_ASSERT_MESSAGE(preview.body, option.match(preview.body, 0, matches) > 0);
        const std::string recipient = preview.body.substr(matches[1].offset, matches[1].length);
        const std::string email = unescapeHtml(preview.body.substr(matches[2].offset, matches[2].length));
        HttpAnswer sent = admin.post(
            base(demo->food) + "campaigns/" + id + "/test",
            {{"csrf", preview.csrfToken()}, {"recipient", recipient}, {"to", "dehors@example.net"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sent.body, 200, sent.status);

        // The outbox's newest message is this test: its List-Unsubscribe and footer links.
        HttpAnswer outbox = admin.get(base(demo->food) + "outbox");
        std::string name = match(outbox.body, "<tr data-message=\"([^\"]+)\">");
        HttpAnswer message = admin.get(base(demo->food) + "outbox/" + name);
        CPPUNIT_ASSERT_EQUAL(200, message.status);
        const std::string page = unescapeHtml(message.body);
        std::string header = match(
            page, "<th>List-Unsubscribe</th><td><http://[^/]+(/p/massmailing/unsubscribe/[A-Za-z0-9_-]+)>");
        std::string footer = match(
            page, "(?:Unsubscribe|Se désinscrire): http://[^/]+(/p/massmailing/unsubscribe/[A-Za-z0-9_-]+)");
        CPPUNIT_ASSERT_EQUAL(header, footer);

        Browser anyone(demo->server->port());
        HttpAnswer shown = anyone.get(header);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.body, 200, shown.status);
        CPPUNIT_ASSERT_MESSAGE(shown.body, contains(shown.body, "nothing was changed"));
        HttpAnswer oneClick = anyone.post(header, {{"List-Unsubscribe", "One-Click"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(oneClick.body, 200, oneClick.status);
        CPPUNIT_ASSERT_MESSAGE(oneClick.body, contains(oneClick.body, "nothing was changed"));
        HttpAnswer confirmed = anyone.post(header, {{"confirm", "1"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(confirmed.body, 200, confirmed.status);

        // The sample member still gets the group's messages: an audience of their address plans them.
        HttpAnswer loaded =
            api("POST", "campaigns/" + id + "/audience?wait=true", "{\"addresses\": [\"" + email + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 200, loaded.status);
        auto summary = objectOf(api("GET", "campaigns/" + id + "/summary"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), summary->getValue<Poco::Int64>("unsubscribed"));
        CPPUNIT_ASSERT(summary->getValue<Poco::Int64>("planned") >= 1);
    }

    void testUnfillableVariableIsReportedWithTheNumberOfRecipientsItAffects()
    {
        Browser admin = loggedIn("admin");
        std::string members = match(admin.get("/g/" + demo->food + "/members").body, "<p>(\\d+) ");
        std::string id = createCampaign(admin, demo->food, "Variables impossibles");
        compose(admin, demo->food, id, "Bonjour {{first_name}}",
                "<p>Votre société : {{company}}, {{prenom}}</p>");

        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        std::string problems = unescapeHtml(match(
            preview.body, "(<div class=\"error\" role=\"alert\" id=\"variable-problems\">[\\s\\S]*?</div>)"));
        CPPUNIT_ASSERT_MESSAGE(
            problems, contains(problems, "{{company}} does not exist for these recipients: " + members +
                                             " recipients would get it empty."));
        CPPUNIT_ASSERT_MESSAGE(
            problems, contains(problems, "{{prenom}} is not a known variable: " + members + " recipients"));
        CPPUNIT_ASSERT_MESSAGE(preview.body, !contains(preview.body, "id=\"preview-html\""));

        std::size_t before = outboxSize(admin, demo->food);
        HttpAnswer refused = admin.post(base(demo->food) + "campaigns/" + id + "/test",
                                        {{"csrf", preview.csrfToken()}, {"to", "moi@example.org"}});
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               contains(refused.body, "Nothing was sent: the message uses variables"));
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               contains(unescapeHtml(refused.body), "{{company}} does not exist"));
        CPPUNIT_ASSERT_EQUAL(before, outboxSize(admin, demo->food));
    }

    void testMessageOver25MBIsRefusedWithItsSizeAndTheLimit()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Trop lourd");
        HttpAnswer uploaded =
            compose(admin, demo->food, id, "Le bulletin", "<p>Le bulletin est joint.</p>", "upload",
                    {{"file", "bulletin.pdf", "application/pdf", noise(20 * 1024 * 1024)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(uploaded.body, 303, uploaded.status);

        // 20 MB in base64 is over 26 MB: said on the composition page, before anything is sent.
        HttpAnswer page = admin.get(composition(demo->food, id));
        std::string said = match(page.body, "id=\"size-error\">([^<]*)<");
        std::string size = match(said, "^The message is ([0-9.]+) MB; the limit is 25 MB\\. ");
        CPPUNIT_ASSERT_MESSAGE(said, Poco::NumberParser::parseFloat(size) > 26.0);
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "bulletin.pdf"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "attachment · 20 MB"));

        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        CPPUNIT_ASSERT_MESSAGE(preview.body, contains(preview.body, said));
        std::size_t before = outboxSize(admin, demo->food);
        HttpAnswer refused = admin.post(base(demo->food) + "campaigns/" + id + "/test",
                                        {{"csrf", preview.csrfToken()}, {"to", "moi@example.org"}});
        CPPUNIT_ASSERT_EQUAL(413, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "id=\"test-error\">The message is " +
                                                                        size + " MB; the limit is 25 MB."));
        CPPUNIT_ASSERT_EQUAL(before, outboxSize(admin, demo->food));
    }

    void testFileLargerThanAWholeMessageIsRefusedAtUpload()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Fichier énorme");
        HttpAnswer refused = compose(admin, demo->food, id, "Le film", "<p>Le film de la fête.</p>", "upload",
                                     {{"file", "fete.mp4", "video/mp4", noise(26 * 1024 * 1024)}});
        CPPUNIT_ASSERT_EQUAL(413, refused.status);
        CPPUNIT_ASSERT_MESSAGE(
            refused.body, contains(refused.body, "id=\"error-file\" data-field=\"file\">fete.mp4 is 26 MB: "
                                                 "a whole message may not exceed 25 MB"));
        // What was typed is saved all the same.
        HttpAnswer page = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "value=\"Le film\""));
        CPPUNIT_ASSERT_MESSAGE(page.body, !contains(page.body, "fete.mp4"));
    }

    void testFilesAreListedWithTheirSizesGoWithTheMessageAndCanBeRemoved()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Avec pièces jointes");
        std::string png = "\x89PNG\r\n\x1a\n" + noise(3000);
        compose(admin, demo->food, id, "Le programme", "<p>Voici le programme.</p>", "upload",
                {{"file", "programme.txt", "text/plain", "Jeudi : distribution.\n"}});
        HttpAnswer image = compose(admin, demo->food, id, "Le programme", "<p>Voici le programme.</p>",
                                   "upload", {{"file", "logo.png", "image/png", png}}, {{"inline", "1"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(image.body, 303, image.status);

        HttpAnswer page = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "programme.txt</span><br><small>attachment · 22 bytes"));
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "logo.png</span><br><small>image in the message · 3 KB"));
        std::string logo = match(page.body, "<tr data-file=\"(\\d+)\">\\s*<td><img");
        std::string logoUrl = base(demo->food) + "campaigns/" + id + "/files/" + logo;
        HttpAnswer served = admin.get(logoUrl);
        CPPUNIT_ASSERT_EQUAL(200, served.status);
        CPPUNIT_ASSERT_EQUAL(std::string("image/png"), served.contentType);
        CPPUNIT_ASSERT(served.body == png);

        // The editor shows the image by its address; it is stored, and sent, as a cid: reference.
        compose(admin, demo->food, id, "Le programme",
                "<p>Voici le programme.</p><p><img src=\"" + logoUrl + "\"></p>");
        CPPUNIT_ASSERT_MESSAGE(unescapeHtml(admin.get(composition(demo->food, id)).body),
                               contains(unescapeHtml(admin.get(composition(demo->food, id)).body),
                                        "<img src=\"" + logoUrl + "\""));
        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        HttpAnswer sent = admin.post(base(demo->food) + "campaigns/" + id + "/test",
                                     {{"csrf", preview.csrfToken()}, {"to", "moi@example.org"}});
        CPPUNIT_ASSERT_EQUAL(200, sent.status);
        std::string name =
            match(admin.get(base(demo->food) + "outbox").body, "<tr data-message=\"([^\"]+)\"");
        std::string raw = admin.get(base(demo->food) + "outbox/" + name + "?download=1").body;
        CPPUNIT_ASSERT_MESSAGE(raw.substr(0, 3000), contains(raw, "Content-Type: multipart/mixed"));
        CPPUNIT_ASSERT_MESSAGE(raw.substr(0, 3000), contains(raw, "multipart/related"));
        CPPUNIT_ASSERT_MESSAGE(raw, contains(raw, "filename=\"programme.txt\""));
        std::string cid = match(raw, "Content-ID: <([^>]+)>");
        CPPUNIT_ASSERT_MESSAGE(raw, contains(raw, "src=3D\"cid:" + cid) || contains(raw, "src=\"cid:" + cid));
        HttpAnswer shown = admin.get(base(demo->food) + "outbox/" + name);
        CPPUNIT_ASSERT_MESSAGE(shown.body, contains(shown.body, "<ul id=\"message-files\"><li>logo.png"));

        std::string text = match(page.body, "<tr data-file=\"(\\d+)\">\\s*<td><span");
        HttpAnswer removed = compose(admin, demo->food, id, "Le programme", "<p>Voici le programme.</p>",
                                     "save", {}, {{"remove", text}});
        CPPUNIT_ASSERT_EQUAL(303, removed.status);
        CPPUNIT_ASSERT(contains(removed.location, "done=remove"));
        HttpAnswer after = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(after.body, !contains(after.body, "programme.txt"));
        CPPUNIT_ASSERT_MESSAGE(after.body, contains(after.body, "logo.png"));
        CPPUNIT_ASSERT_EQUAL(404, admin.get(base(demo->food) + "campaigns/" + id + "/files/" + text).status);
    }

    void testSavedTemplateStartsAnotherCampaign()
    {
        Browser admin = loggedIn("admin");
        std::string first = createCampaign(admin, demo->food, "Modèle source");
        HttpAnswer saved = compose(admin, demo->food, first, "Distribution de la semaine",
                                   "<h2>Au programme</h2><p>Des <b>légumes</b>.</p>", "save_template", {},
                                   {{"template_name", "Distribution hebdomadaire"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);
        HttpAnswer noName =
            compose(admin, demo->food, first, "Distribution de la semaine", "<p>x</p>", "save_template");
        CPPUNIT_ASSERT_EQUAL(422, noName.status);
        CPPUNIT_ASSERT_MESSAGE(
            noName.body, contains(noName.body, "id=\"error-template_name\" data-field=\"template_name\">"
                                               "Give the template a name."));

        std::string second = createCampaign(admin, demo->food, "Depuis le modèle");
        HttpAnswer page = admin.get(composition(demo->food, second));
        std::string templateId =
            match(page.body, "<option value=\"(\\d+)\">Distribution hebdomadaire</option>");
        HttpAnswer used =
            compose(admin, demo->food, second, "", "", "use_template", {}, {{"template", templateId}});
        CPPUNIT_ASSERT_EQUAL(303, used.status);
        HttpAnswer after = admin.get(used.location.substr(used.location.find("/g/")));
        CPPUNIT_ASSERT_MESSAGE(after.body, contains(after.body, "value=\"Distribution de la semaine\""));
        CPPUNIT_ASSERT_MESSAGE(after.body, contains(unescapeHtml(after.body), "<h2>Au programme</h2>"));
        CPPUNIT_ASSERT_MESSAGE(after.body,
                               contains(after.body, "The template&#39;s subject and message are in place."));
    }

    void testMessageOfAnotherGroupIsReusedSubjectAndBodyOnly()
    {
        Browser admin = loggedIn("admin");
        std::string other = createCampaign(admin, demo->ruche, "Message de la Ruche", "ruche");
        compose(admin, demo->ruche, other, "Ouverture des ventes {{first_name}}",
                "<p>Les ventes de la Ruche ouvrent.</p>");

        std::string mine = createCampaign(admin, demo->food, "Reprise");
        HttpAnswer page = admin.get(composition(demo->food, mine));
        std::string option = match(page.body, "<option value=\"" + other + "\">([^<]*)</option>");
        CPPUNIT_ASSERT_MESSAGE(option, contains(option, "La Ruche du Canal · Message de la Ruche"));
        HttpAnswer reused = compose(admin, demo->food, mine, "", "", "reuse", {}, {{"previous", other}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reused.body, 303, reused.status);
        HttpAnswer after = admin.get(composition(demo->food, mine));
        CPPUNIT_ASSERT_MESSAGE(after.body,
                               contains(after.body, "value=\"Ouverture des ventes {{first_name}}\""));
        CPPUNIT_ASSERT_MESSAGE(after.body,
                               contains(unescapeHtml(after.body), "Les ventes de la Ruche ouvrent."));
        // Not the sender, nor the recipients: the details are this campaign's own.
        HttpAnswer mineDetails = admin.get(base(demo->food) + "campaigns/" + mine + "/details");
        CPPUNIT_ASSERT_MESSAGE(mineDetails.body,
                               contains(mineDetails.body, "name=\"sender_local\" value=\"paniers\""));
        CPPUNIT_ASSERT_MESSAGE(mineDetails.body, contains(mineDetails.body, "value=\"Reprise\""));

        // The coordinator composes in the food group only: the Ruche's messages are not offered.
        Browser coordinator = loggedIn("coordinator");
        HttpAnswer theirs = coordinator.get(composition(demo->food, mine));
        CPPUNIT_ASSERT_EQUAL(200, theirs.status);
        CPPUNIT_ASSERT_MESSAGE(theirs.body, !contains(theirs.body, "Message de la Ruche"));
        HttpAnswer forged =
            compose(coordinator, demo->food, mine, "", "", "reuse", {}, {{"previous", other}});
        CPPUNIT_ASSERT_EQUAL(422, forged.status);
        CPPUNIT_ASSERT_MESSAGE(forged.body, contains(forged.body, "This message cannot be reused"));
    }

    void testOutboxShowsAGroupOnlyItsOwnMessagesAndNothingToAPlainMember()
    {
        Browser admin = loggedIn("admin");
        std::string ruche = createCampaign(admin, demo->ruche, "Test de la Ruche", "ruche");
        compose(admin, demo->ruche, ruche, "Seulement pour la Ruche", "<p>Bonjour</p>");
        HttpAnswer preview = admin.get(base(demo->ruche) + "campaigns/" + ruche + "/preview");
        CPPUNIT_ASSERT_EQUAL(200, admin
                                      .post(base(demo->ruche) + "campaigns/" + ruche + "/test",
                                            {{"csrf", preview.csrfToken()}, {"to", "ruche@example.org"}})
                                      .status);
        std::string name = match(admin.get(base(demo->ruche) + "outbox").body,
                                 "<tr data-message=\"([^\"]+)\">[^\\n]*Seulement pour la Ruche");

        Browser coordinator = loggedIn("coordinator"); // composes in the food group only
        HttpAnswer list = coordinator.get(base(demo->food) + "outbox");
        CPPUNIT_ASSERT_EQUAL(200, list.status);
        CPPUNIT_ASSERT_MESSAGE(list.body, !contains(list.body, "Seulement pour la Ruche"));
        CPPUNIT_ASSERT_EQUAL(404, coordinator.get(base(demo->food) + "outbox/" + name).status);
        CPPUNIT_ASSERT_EQUAL(
            404, coordinator.get(base(demo->food) + "outbox/..%2F..%2Fcrmhost.properties").status);
        CPPUNIT_ASSERT_EQUAL(404, coordinator.get(base(demo->ruche) + "outbox").status);

        Browser member = loggedIn("member");
        CPPUNIT_ASSERT_EQUAL(403, member.get(base(demo->food) + "outbox").status);
        CPPUNIT_ASSERT_EQUAL(403, member.get(base(demo->food) + "outbox/" + name).status);
        CPPUNIT_ASSERT_EQUAL(403, member.get(base(demo->food) + "campaigns/new").status);
    }

    void testEditorAssetsAreServedWithTheirTypesAndNothingElse()
    {
        Browser anonymous(demo->server->port());
        HttpAnswer quill = anonymous.get("/p/massmailing/assets/quill.js");
        CPPUNIT_ASSERT_EQUAL(200, quill.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/javascript; charset=utf-8"), quill.contentType);
        CPPUNIT_ASSERT_MESSAGE(quill.body.substr(0, 200), contains(quill.body, "Quill"));
        HttpAnswer css = anonymous.get("/p/massmailing/assets/quill.snow.css");
        CPPUNIT_ASSERT_EQUAL(200, css.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/css; charset=utf-8"), css.contentType);
        CPPUNIT_ASSERT_EQUAL(200, anonymous.get("/p/massmailing/assets/composition.js").status);
        CPPUNIT_ASSERT_EQUAL(200, anonymous.get("/p/massmailing/assets/screens.css").status);
        for (const char* path : {"/p/massmailing/assets/quill.js.map", "/p/massmailing/assets/package.json",
                                 "/p/massmailing/assets/..%2F..%2F..%2FCMakeLists.txt",
                                 "/p/massmailing/assets/%2Fetc%2Fpasswd", "/p/massmailing/assets/"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 404, anonymous.get(path).status);
    }

    void testFrenchUserGetsTheWizardAndItsErrorsInFrench()
    {
        Browser admin = loggedIn("admin");
        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=fr").status);
        HttpAnswer form = admin.get(base(demo->food) + "campaigns/new");
        CPPUNIT_ASSERT_MESSAGE(form.body, contains(form.body, "<h1>Nouvelle campagne</h1>"));
        CPPUNIT_ASSERT_MESSAGE(form.body, contains(form.body, "Type de destinataires"));
        auto fields = details(form.csrfToken(), "");
        HttpAnswer refused = admin.post(base(demo->food) + "campaigns/new", fields);
        CPPUNIT_ASSERT_MESSAGE(refused.body,
                               contains(refused.body, "data-field=\"name\">Ce champ est obligatoire."));

        std::string id = createCampaign(admin, demo->food, "En français");
        HttpAnswer page = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "<h1>Composition de En français</h1>"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Personnaliser avec"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Prénom · {{first_name}}"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Poids du message"));
        CPPUNIT_ASSERT_EQUAL(303, admin.get("/lang?to=en").status);
    }

    void testLanguageVersionsRoundTripThroughTheJsonApi()
    {
        HttpAnswer created = api("POST", "campaigns", newCampaignJson(R"([{"locale": "en",
            "subject": "Thursday baskets", "html": "<p>Hello {{first_name}}</p><script>alert(1)</script>",
            "text": "Hello {{first_name}}"}])"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        std::string id = std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));

        auto campaign = objectOf(api("GET", "campaigns/" + id));
        auto versions = campaign->getArray("versions");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), versions->size());
        auto en = versions->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("en"), en->getValue<std::string>("locale"));
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"), en->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("<p>Hello {{first_name}}</p>"),
                             Poco::trim(en->getValue<std::string>("html"))); // sanitised
        CPPUNIT_ASSERT_EQUAL(std::string("Hello {{first_name}}"), en->getValue<std::string>("text"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), campaign->getValue<std::string>("forced_locale"));

        HttpAnswer changed = api("PUT", "campaigns/" + id, R"({"forced_locale": "de", "versions": [
            {"locale": "de", "subject": "Körbe am Donnerstag", "html": "<p>Hallo {{first_name}}</p>"},
            {"locale": "en", "subject": "Baskets on Thursday", "html": "<p>Hello</p>"}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(changed.body, 200, changed.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), objectOf(changed)->getArray("versions")->size());
        // A change that says nothing of the versions keeps them.
        CPPUNIT_ASSERT_EQUAL(200, api("PUT", "campaigns/" + id, R"({"name": "Renamed"})").status);
        campaign = objectOf(api("GET", "campaigns/" + id));
        CPPUNIT_ASSERT_EQUAL(std::string("de"), campaign->getValue<std::string>("forced_locale"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), campaign->getArray("versions")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Körbe am Donnerstag"),
                             campaign->getArray("versions")->getObject(0)->getValue<std::string>("subject"));

        // The forced version is what anyone gets, the preview's sample whatever their language.
        HttpAnswer preview = api("GET", "campaigns/" + id + "/preview");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(preview.body, 200, preview.status);
        CPPUNIT_ASSERT_EQUAL(std::string("[RAPPEL] Körbe am Donnerstag"),
                             objectOf(preview)->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_MESSAGE(preview.body,
                               contains(objectOf(preview)->getValue<std::string>("html"), "Hallo "));

        CPPUNIT_ASSERT_EQUAL(
            200, api("PUT", "campaigns/" + id, R"({"versions": [], "forced_locale": ""})").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             objectOf(api("GET", "campaigns/" + id))->getArray("versions")->size());
    }

    void testWrongLanguageVersionIsRefusedByTheApiNamingItsField()
    {
        HttpAnswer refused = api("POST", "campaigns", newCampaignJson(R"([
            {"locale": "en", "subject": "Thursday baskets", "html": "<p>Hello</p>"},
            {"locale": "english", "subject": "Baskets", "html": "<p>Hello</p>"}])"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 400, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("versions[1].locale bad_locale"), refusalOf(refused));
        CPPUNIT_ASSERT_MESSAGE(
            refused.body, contains(objectOf(refused)->getObject("error")->getValue<std::string>("message"),
                                   "versions[1].locale: \"english\""));

        HttpAnswer created = api("POST", "campaigns", newCampaignJson("[]"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        std::string path = "campaigns/" + std::to_string(objectOf(created)->getValue<Poco::Int64>("id"));
        const std::vector<std::pair<std::string, std::string>> cases{
            {R"({"versions": [{"locale": "en", "subject": " ", "html": "<p>x</p>"}]})",
             "versions[0].subject required"},
            {R"({"versions": [{"locale": "en", "subject": "a"}, {"locale": "EN", "subject": "b"}]})",
             "versions[1].locale duplicate_locale"},
            {R"({"versions": [{"locale": 5, "subject": "a"}]})", "versions[0].locale bad_type"},
            {R"({"versions": ["en"]})", "versions[0] bad_type"},
            {R"({"versions": "en"})", "versions bad_type"},
            {R"({"forced_locale": "de"})", "forced_locale bad_locale"}};
        for (const auto& [body, expected] : cases)
        {
            HttpAnswer answer = api("PUT", path, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + answer.body, 400, answer.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, expected, refusalOf(answer));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), objectOf(api("GET", path))->getArray("versions")->size());
    }

    void testLanguageVersionIsAddedTranslatedForcedAndRemovedOnTheCompositionPage()
    {
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "En deux langues");
        HttpAnswer added = compose(admin, demo->food, id, "Les paniers", "<p>Bonjour</p>", "add_version", {},
                                   {{"versions", "0"}, {"new_version_locale", "en"}, {"forced_locale", ""}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(added.body, 303, added.status);
        HttpAnswer page = admin.get(composition(demo->food, id));
        // The new version starts as a copy of the main one.
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "name=\"version_0_subject\" value=\"Les paniers\""));
        CPPUNIT_ASSERT_MESSAGE(page.body,
                               contains(page.body, "<option value=\"en\" selected>English</option>"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "Everyone gets the version in English"));

        std::map<std::string, std::string> translated{{"versions", "1"},
                                                      {"version_0_locale", "en"},
                                                      {"version_0_subject", "Thursday baskets"},
                                                      {"version_0_html", "<p>Hello</p>"},
                                                      {"forced_locale", "en"}};
        HttpAnswer saved =
            compose(admin, demo->food, id, "Les paniers", "<p>Bonjour</p>", "save", {}, translated);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);
        page = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "value=\"Thursday baskets\""));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(unescapeHtml(page.body), "<p>Hello</p>"));
        CPPUNIT_ASSERT_MESSAGE(page.body, contains(page.body, "<option value=\"en\" selected>Everyone gets"));
        auto campaign = objectOf(api("GET", "campaigns/" + id));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), campaign->getValue<std::string>("forced_locale"));
        CPPUNIT_ASSERT_EQUAL(std::string("Thursday baskets"),
                             campaign->getArray("versions")->getObject(0)->getValue<std::string>("subject"));

        // A version without a subject is refused next to it, what was typed kept.
        translated["version_0_subject"] = "";
        translated["version_0_html"] = "<p>Hello again</p>";
        HttpAnswer refused =
            compose(admin, demo->food, id, "Les paniers", "<p>Bonjour</p>", "save", {}, translated);
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(
            refused.body,
            contains(refused.body, "data-field=\"versions[0].subject\">This field is required."));
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(unescapeHtml(refused.body), "<p>Hello again</p>"));

        translated["version_0_subject"] = "Thursday baskets";
        translated["remove_version"] = "0";
        HttpAnswer removed =
            compose(admin, demo->food, id, "Les paniers", "<p>Bonjour</p>", "save", {}, translated);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(removed.body, 303, removed.status);
        page = admin.get(composition(demo->food, id));
        CPPUNIT_ASSERT_MESSAGE(page.body, !contains(page.body, "version_0_subject"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             objectOf(api("GET", "campaigns/" + id))->getArray("versions")->size());
    }

    void testViewOnlinePageShowsAScriptSenderNameEscaped()
    {
        // Finding 2: {{{sender_name}}} and {{&sender_name}} used to insert the name raw into the
        // public page, on the host's origin.
        Browser admin = loggedIn("admin");
        auto fields = details(admin.get(base(demo->food) + "campaigns/new").csrfToken(), "Nom piégé");
        fields["sender_name"] = "<script>alert('mm')</script>";
        HttpAnswer created = admin.post(base(demo->food) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 303, created.status);
        std::string id = match(created.location, "/campaigns/(\\d+)/composition$");
        HttpAnswer saved = compose(admin, demo->food, id, "Bonjour {{first_name}}",
                                   "<p>De {{{sender_name}}} et {{&sender_name}}.</p>"
                                   "<p><a href=\"{{sender_name}}\">site</a></p>");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(saved.body, 303, saved.status);

        HttpAnswer preview = admin.get(base(demo->food) + "campaigns/" + id + "/preview");
        HttpAnswer sent = admin.post(base(demo->food) + "campaigns/" + id + "/test",
                                     {{"csrf", preview.csrfToken()}, {"to", "moi@example.org"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sent.body, 200, sent.status);
        HttpAnswer outbox = admin.get(base(demo->food) + "outbox");
        std::string name = match(outbox.body, "<tr data-message=\"([^\"]+)\">");
        std::string text = unescapeHtml(match(admin.get(base(demo->food) + "outbox/" + name).body,
                                              "<pre class=\"mm-text\" id=\"message-text\">([^<]*)</pre>"));
        std::string view = match(text, "(?:View this message online|Voir ce message en ligne): "
                                       "http://[^/]+(/p/massmailing/view/[A-Za-z0-9_-]+)");

        HttpAnswer online = Browser(demo->server->port()).get(view);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(online.body, 200, online.status);
        CPPUNIT_ASSERT_MESSAGE(online.body, !contains(online.body, "<script"));
        CPPUNIT_ASSERT_MESSAGE(online.body, contains(online.body, "De &lt;script&gt;alert("));
        CPPUNIT_ASSERT_MESSAGE(online.body, contains(online.body, " et &lt;script&gt;alert("));
        CPPUNIT_ASSERT_MESSAGE(online.body, contains(online.body, "<a href=\"&lt;script&gt;alert("));
    }

    void testTenThousandNestedDivsAreRefusedNamingTheFieldAndTheHostLivesOn()
    {
        // Finding 3: such a body overflowed the stack and killed the host.
        std::string deep;
        for (int i = 0; i < 10000; ++i)
            deep += "<div>";
        deep += "x";
        for (int i = 0; i < 10000; ++i)
            deep += "</div>";
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Trop profond");
        HttpAnswer refused = compose(admin, demo->food, id, "Profond", deep);
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "id=\"error-html\""));
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "nested too deeply"));

        HttpAnswer put = api("PUT", "campaigns/" + id, "{\"html\": \"" + deep + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 400, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("html too_deep"), refusalOf(put));

        // The host still answers.
        CPPUNIT_ASSERT_EQUAL(200, admin.get(composition(demo->food, id)).status);
        CPPUNIT_ASSERT_EQUAL(200, api("GET", "campaigns/" + id).status);
    }

    void testNulInASubjectIsRefusedAndLimitsCountCharacters()
    {
        // Finding 11: a NUL cut the subject where it was stored, silently.
        Browser admin = loggedIn("admin");
        std::string id = createCampaign(admin, demo->food, "Sujet coupé");
        HttpAnswer refused =
            compose(admin, demo->food, id, std::string("Les paniers\0 de jeudi", 22), "<p>x</p>");
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "id=\"error-subject\""));
        CPPUNIT_ASSERT_MESSAGE(refused.body, contains(refused.body, "invisible control character"));

        HttpAnswer put = api("PUT", "campaigns/" + id, R"({"subject": "Les paniers\u0000 de jeudi"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 400, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("subject control_character"), refusalOf(put));

        // 500 characters are allowed, however many bytes they take.
        std::string subject;
        for (int i = 0; i < 500; ++i)
            subject += "\xC3\xA9";
        HttpAnswer accepted = api("PUT", "campaigns/" + id, "{\"subject\": \"" + subject + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(accepted.body, 200, accepted.status);
        CPPUNIT_ASSERT_EQUAL(subject,
                             objectOf(api("GET", "campaigns/" + id))->getValue<std::string>("subject"));
        HttpAnswer tooLong = api("PUT", "campaigns/" + id, "{\"subject\": \"" + subject + "e\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tooLong.body, 400, tooLong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("subject too_long"), refusalOf(tooLong));
    }

private:
    static Browser loggedIn(const std::string& login)
    {
        Browser browser(demo->server->port());
        HttpAnswer answer = browser.logIn(login, demo->password);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + login, 303, answer.status);
        return browser;
    }

    static std::map<std::string, std::string> details(const std::string& csrf, const std::string& name)
    {
        std::map<std::string, std::string> fields{{"name", name},
                                                  {"recipient_type", "members"},
                                                  {"sender_name", "AMAP des Capucins"},
                                                  {"sender_local", "paniers"},
                                                  {"sender_domain", "example.org"},
                                                  {"reply_to", ""},
                                                  {"subject_prefix", "[RAPPEL]"},
                                                  {"dedupe", "address"}};
        if (!csrf.empty())
            fields["csrf"] = csrf;
        return fields;
    }

    /// Creates a campaign through the details form; returns its id.
    static std::string createCampaign(Browser& browser, const std::string& group, const std::string& name,
                                      const std::string& local = "paniers")
    {
        auto fields = details(browser.get(base(group) + "campaigns/new").csrfToken(), name);
        fields["sender_local"] = local;
        HttpAnswer created = browser.post(base(group) + "campaigns/new", fields);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 303, created.status);
        return match(created.location, "/campaigns/(\\d+)/composition$");
    }

    /// The body of a POST campaigns with these versions (a JSON array).
    static std::string newCampaignJson(const std::string& versions)
    {
        return R"({"group": )" + demo->food +
               R"(, "recipient_type": "members", "name": "Versions", "sender_name": "AMAP",
            "sender_email": "paniers@example.org", "subject_prefix": "[RAPPEL]", "subject": "Les paniers",
            "html": "<p>Bonjour {{first_name}}</p>", "versions": )" +
               versions + "}";
    }

    static std::string composition(const std::string& group, const std::string& id)
    {
        return base(group) + "campaigns/" + id + "/composition";
    }

    /// Posts the composition form as the page does (multipart, with its CSRF token).
    static HttpAnswer compose(Browser& browser, const std::string& group, const std::string& id,
                              const std::string& subject, const std::string& html,
                              const std::string& action = "save", const std::vector<Upload>& files = {},
                              const std::map<std::string, std::string>& more = {})
    {
        std::map<std::string, std::string> fields{{"csrf", browser.get(composition(group, id)).csrfToken()},
                                                  {"mode", "html"},
                                                  {"subject", subject},
                                                  {"html", html},
                                                  {"action", action}};
        for (const auto& [name, value] : more)
            fields[name] = value;
        return postMultipart(browser, composition(group, id), fields, files);
    }

    /// How many messages of the group the outbox screen lists.
    static std::size_t outboxSize(Browser& browser, const std::string& group)
    {
        std::string page = browser.get(base(group) + "outbox").body;
        std::size_t count = 0;
        for (std::size_t at = page.find("<tr data-message="); at != std::string::npos;
             at = page.find("<tr data-message=", at + 1))
            ++count;
        return count;
    }
};

namespace
{
// The suite inside its server's set-up and tear-down, in the registry TestMain runs.
CrmHostTests::SuiteRegistration
    registration([]()
                 { return new CrmHostTests::SuiteSetup(CompositionTest::suite(), startDemo, stopDemo); });
} // namespace
