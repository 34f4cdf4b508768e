#include "ResultsFixture.h"
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

using namespace Poco::Data::Keywords;

namespace CrmHostTests
{
const char* const ResultsFixture::STARTED_AT = "2001-11-02 09:00:00";

namespace
{
struct Row
{
    const char* email;
    const char* domain;
    const char* firstName;
    const char* lastName;
    const char* locale;
    const char* status;
    const char* reason;
    const char* detail;
    const char* bounce;
    const char* bounceDetail;
    int opens, machineOpens, clicks, machineClicks;
    const char* firstOpenAt; /// "" for NULL
    bool unsubscribed, complained;
};

const Row ROWS[] = {
    {"anne@example.org", "example.org", "Anne", "Martin", "fr", "sent", "", "", "", "", 3, 1, 2, 0,
     "2001-11-02 09:20:00", false, false},
    {"bob@example.org", "example.org", "Bob", "Durand, fils", "fr", "sent", "", "", "", "", 1, 0, 0, 0,
     "2001-11-02 10:05:00", false, false},
    {"chloe@gmail.com", "gmail.com", "Chlo\xC3\xA9 \"Coco\"",
     "O'Hara\nLign\xC3\xA9"
     "e 2",
     "en", "sent", "", "", "", "", 0, 2, 0, 1, "", false, false},
    {"dan@gmail.com", "gmail.com", "Dan", "=HYPERLINK(\"http://evil.example\")", "en", "bounced", "", "",
     "hard", "550 5.1.1 <dan@gmail.com>: user unknown,\r\n\"no such\" mailbox", 0, 0, 0, 0, "", false, false},
    {"eve@yahoo.fr", "yahoo.fr", "\xC3\x88ve", "Lef\xC3\xA8vre", "fr", "sent", "", "", "soft",
     "452 4.2.2 mailbox full", 0, 0, 0, 0, "", false, false},
    {"fay@example.org", "example.org", "Fay", "+33 6 12 34 56 78", "fr", "sent", "", "", "", "", 2, 0, 1, 0,
     "2001-11-02 10:30:00", true, false},
    {"gus@example.org", "example.org", "Gus", "@gus", "de", "sent", "", "", "", "", 1, 0, 0, 0,
     "2001-11-02 12:10:00", false, true},
    {"hal@orange.fr", "orange.fr", "Hal", "Renard", "fr", "failed", "", "=cmd|' /C calc'!A0", "", "", 0, 0, 0,
     0, "", false, false},
    {"ivy@example.org", "example.org", "Ivy", "T\xC3\xA9moin", "fr", "left_out", "control_group", "", "", "",
     0, 0, 0, 0, "", false, false},
    {"jo@example.org", "example.org", "Jo", "T\xC3\xA9moin", "fr", "left_out", "control_group", "", "", "", 0,
     0, 0, 0, "", false, false},
    {"kim@example.org", "example.org", "Kim", "Double", "fr", "left_out", "duplicate", "", "", "", 0, 0, 0, 0,
     "", false, false},
    {"-lee@example.net", "example.net", "Lee", "-1", "en", "sent", "", "", "", "", 0, 0, 0, 0, "", false,
     false},
};
} // namespace

ResultsFixture ResultsFixture::write(Poco::Data::Session& session, long groupId,
                                     const std::vector<long>& people, long catalogueId)
{
    if (people.size() < 12)
        throw Poco::InvalidArgumentException("the results fixture needs 12 people");
    ResultsFixture fixture;
    std::string started = STARTED_AT, finished = "2001-11-02 10:00:00";
    session << "INSERT INTO mm_campaigns (group_id, recipient_type, name, subject, html, text_body, status, "
               "sender_email, started_at, finished_at) VALUES (?, 'members', 'R\xC3\xA9sultats de novembre', "
               "'Les paniers', '<p>Bonjour</p>', '', 'done', 'paniers@example.org', ?, ?)",
        use(groupId), use(started), use(finished), now;
    Poco::Int64 id = 0;
    session << "SELECT MAX(id) FROM mm_campaigns", into(id), now;
    fixture.campaignId = long(id);
    long campaign = fixture.campaignId;
    session << "INSERT INTO mm_campaign_versions (campaign_id, locale, subject, html, text_body) VALUES (?, "
               "'en', "
               "'The baskets', '<p>Hello</p>', '')",
        use(campaign), now;
    std::size_t i = 0;
    for (const Row& row : ROWS)
    {
        long person = people[i++];
        std::string email = row.email, domain = row.domain, first = row.firstName, last = row.lastName,
                    locale = row.locale, status = row.status, reason = row.reason, detail = row.detail,
                    bounce = row.bounce, bounceDetail = row.bounceDetail, firstOpen = row.firstOpenAt,
                    key = email;
        int opens = row.opens, machineOpens = row.machineOpens, clicks = row.clicks,
            machineClicks = row.machineClicks;
        const bool sent = status == "sent" || status == "bounced";
        Poco::Data::Statement insert(session);
        insert << "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, "
                  "last_name, locale, dedupe_key, status, reason, detail, bounce, bounce_detail, opens, "
                  "machine_opens, clicks, machine_clicks, domain, sent_at, first_open_at, first_click_at, "
                  "unsubscribed_at, complained_at, bounced_at) VALUES (?, 1, 'person', ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, "
                  "?, ?, ?, ?, ?, ?, ?, " +
                      std::string(sent ? "'2001-11-02 09:01:00'" : "NULL") + ", " +
                      (firstOpen.empty() ? "NULL" : "'" + firstOpen + "'") + ", " +
                      (clicks > 0 ? "'2001-11-02 10:40:00'" : "NULL") + ", " +
                      (row.unsubscribed ? "'2001-11-02 11:00:00'" : "NULL") + ", " +
                      (row.complained ? "'2001-11-02 12:30:00'" : "NULL") + ", " +
                      (bounce.empty() ? "NULL" : "'2001-11-02 09:30:00'") + ")",
            use(campaign), use(person), use(email), use(first), use(last), use(locale), use(key), use(status),
            use(reason), use(detail), use(bounce), use(bounceDetail), use(opens), use(machineOpens),
            use(clicks), use(machineClicks), use(domain);
        insert.execute();
        fixture.emails.push_back(email);
    }
    session
        << "INSERT INTO mm_links (campaign_id, url, url_hash, clicks, unique_clicks, machine_clicks) VALUES "
           "(?, 'https://example.org/panier?x=1&y=<2>', 'h1', 2, 2, 1), (?, 'https://example.org/a,b\"c', "
           "'h2', 1, 1, "
           "0)",
        use(campaign), use(campaign), now;
    session << "INSERT INTO mm_result_hours (campaign_id, hour, opens, machine_opens, clicks, "
               "machine_clicks) VALUES "
               "(?, '2001-11-02 09:00:00', 2, 0, 1, 0), (?, '2001-11-02 10:00:00', 4, 3, 2, 0), "
               "(?, '2001-11-02 12:00:00', 1, 0, 0, 1)",
        use(campaign), use(campaign), use(campaign), now;
    // Orders: Anne (sent) within the week, Fay (sent) twice within it, Ivy (control) within it;
    // Bob after the week, Chloé before the send, Hal (failed, not sent) within it.
    const std::pair<std::size_t, const char*> orders[] = {
        {0, "2001-11-03 18:00:00"}, {5, "2001-11-04 18:00:00"}, {5, "2001-11-05 18:00:00"},
        {8, "2001-11-04 12:00:00"}, {1, "2001-11-20 12:00:00"}, {2, "2001-11-01 12:00:00"},
        {7, "2001-11-03 12:00:00"}};
    for (const auto& [who, at] : orders)
    {
        long person = people[who];
        std::string when = at;
        long catalogue = catalogueId, group = groupId;
        session << "INSERT INTO orders (group_id, person_id, catalogue_id, ordered_at) VALUES (?, ?, ?, ?)",
            use(group), use(person), use(catalogue), use(when), now;
    }
    return fixture;
}
} // namespace CrmHostTests
