#include "content/Campaigns.h"
#include "SqlDialect.h"
#include "SqlTime.h"
#include "audience/EmailAddress.h"
#include "audience/RecipientDirectory.h"
#include "content/ContentException.h"
#include "content/HtmlSanitizer.h"
#include "content/MustacheTags.h"
#include "content/TextLine.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>
#include <algorithm>
#include <cstdlib>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
void requireLine(const std::string& field, const std::string& value, std::size_t max)
{
    TextLine::check(field, value, max);
}

void requireAddress(const std::string& field, const std::string& value)
{
    requireLine(field, value, 320);
    if (!EmailAddress::isValid(value))
        throw FieldException(field, "invalid_address",
                             field + ": \"" + value + "\" is not a valid email address");
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

// The columns, in the order of every SELECT and of bind().
const std::vector<std::string> COLUMNS{"id",
                                       "group_id",
                                       "channel",
                                       "recipient_type",
                                       "name",
                                       "sender_name",
                                       "sender_email",
                                       "reply_to",
                                       "subject",
                                       "subject_prefix",
                                       "html",
                                       "text_body",
                                       "dedupe",
                                       "forced_locale",
                                       "status",
                                       "created_by",
                                       "CAST(created_at AS CHAR)",
                                       "tracking",
                                       "automatic"};
const std::vector<std::string> BODIES{"html", "text_body"};

// A language code as the host keeps them (people.locale): two letters, "fr", "en", "de".
bool isLocale(const std::string& locale)
{
    return locale.size() == 2 &&
           std::all_of(locale.begin(), locale.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

const std::size_t MAX_VERSIONS = 20;

void checkVersions(Campaign& c)
{
    if (c.versions.size() > MAX_VERSIONS)
        throw FieldException("versions", "too_many",
                             "a campaign has at most " + std::to_string(MAX_VERSIONS) + " language versions");
    HtmlSanitizer sanitizer;
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < c.versions.size(); ++i)
    {
        CampaignVersion& v = c.versions[i];
        std::string field = "versions[" + std::to_string(i) + "].";
        v.locale = Poco::toLower(Poco::trim(v.locale));
        if (!isLocale(v.locale))
            throw FieldException(field + "locale", "bad_locale",
                                 field + "locale: \"" + v.locale +
                                     "\" is not a language code; use two letters such as fr or en");
        if (std::find(seen.begin(), seen.end(), v.locale) != seen.end())
            throw FieldException(field + "locale", "duplicate_locale",
                                 field + "locale: the campaign already has a version in \"" + v.locale +
                                     "\"");
        seen.push_back(v.locale);
        v.subject = Poco::trim(v.subject);
        if (v.subject.empty())
            throw FieldException(field + "subject", "required", field + "subject is required");
        requireLine(field + "subject", v.subject, 500);
        MustacheTags::checkNesting(v.subject, field + "subject");
        v.html = sanitizer.sanitize(v.html, field + "html");
        TextLine::checkBody(field + "text", v.text);
        MustacheTags::checkNesting(v.text, field + "text");
    }
    // Forcing a language without a version of its own sends the main version to everyone,
    // with the footer in that language: only the footer's languages make sense then.
    if (!c.forcedLocale.empty() && c.forcedLocale != "fr" && c.forcedLocale != "en" &&
        std::find(seen.begin(), seen.end(), c.forcedLocale) == seen.end())
        throw FieldException(
            "forced_locale", "bad_locale",
            "forced_locale must be empty, \"fr\", \"en\" or the locale of one of the versions");
}
} // namespace

Campaigns::Campaigns(CrmHost::Database& database, ChannelOn channelOn)
    : _database(database), _channelOn(std::move(channelOn))
{
}

std::string Campaigns::groupKind(long groupId)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> kinds;
    session << "SELECT kind FROM host_groups WHERE id = ?", use(groupId), into(kinds), now;
    if (kinds.empty())
        throw FieldException("group", "unknown_group", "no group has the id " + std::to_string(groupId));
    return kinds.front();
}

std::string Campaigns::groupName(long groupId)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> names;
    session << "SELECT name FROM host_groups WHERE id = ?", use(groupId), into(names), now;
    return names.empty() ? "" : names.front();
}

std::vector<std::string> Campaigns::verifiedDomains(long groupId)
{
    Poco::Data::Session session = _database.session();
    std::vector<std::string> domains;
    // The host's own list, and the sending domains whose records the module found (SenderDomains).
    session
        << "SELECT domain FROM verified_domains WHERE group_id = ? UNION "
           "SELECT domain FROM mm_sender_domains WHERE group_id = ? AND status = 'verified' ORDER BY domain",
        use(groupId), use(groupId), into(domains), now;
    return domains;
}

mstch::map Campaigns::valuesFor(const Campaign& campaign, const std::string& locale)
{
    mstch::map values{{"group_name", groupName(campaign.groupId)}, {"sender_name", campaign.senderName}};
    if (groupKind(campaign.groupId) != "food")
        return values;
    Poco::Data::Session session = _database.session();
    std::vector<Poco::DateTime> starts;
    std::vector<std::string> places;
    Poco::DateTime current;
    long groupId = campaign.groupId, distribution = campaign.id ? distributionOf(campaign.id) : 0;
    if (distribution)
        session << "SELECT starts_at, place FROM distributions WHERE id = ? AND group_id = ?",
            use(distribution), use(groupId), into(starts), into(places), now;
    else
        session << "SELECT starts_at, place FROM distributions WHERE group_id = ? AND starts_at > ? ORDER BY "
                   "starts_at "
                   "LIMIT 1",
            use(groupId), use(current), into(starts), into(places), now;
    if (!starts.empty())
    {
        values["next_distribution_date"] = Poco::DateTimeFormatter::format(
            starts.front(), locale == "fr" ? "%d/%m/%Y %H:%M" : "%Y-%m-%d %H:%M");
        values["next_distribution_place"] = places.front();
    }
    return values;
}

void Campaigns::setDistribution(long campaignId, long distributionId)
{
    Poco::Data::Session session = _database.session();
    session << "UPDATE mm_campaigns SET distribution_id = ? WHERE id = ?", use(distributionId),
        use(campaignId), now;
}

long Campaigns::distributionOf(long campaignId)
{
    Poco::Data::Session session = _database.session();
    Poco::Nullable<Poco::Int64> distribution;
    session << "SELECT distribution_id FROM mm_campaigns WHERE id = ?", use(campaignId), into(distribution),
        now;
    return distribution.isNull() ? 0 : long(distribution.value());
}

namespace
{
// Cents as the locale writes an amount: "12,50" in French, "12.50" otherwise.
std::string amount(Poco::Int64 cents, const std::string& locale)
{
    std::string units = std::to_string(cents / 100),
                rest = std::to_string(100 + std::abs(cents % 100)).substr(1);
    return (cents < 0 && cents > -100 ? "-" : "") + units + (locale == "fr" ? "," : ".") + rest;
}
} // namespace

RecipientLists Campaigns::orderLines(const Campaign& campaign, const Recipient& recipient,
                                     const std::string& locale)
{
    if (recipient.kind != "person" || recipient.id == 0)
        return {};
    Poco::Data::Session session = _database.session();
    long groupId = campaign.groupId, person = recipient.id, distribution = distributionOf(campaign.id);
    if (!distribution)
    {
        Poco::DateTime current;
        std::vector<Poco::Int64> next;
        session
            << "SELECT id FROM distributions WHERE group_id = ? AND starts_at > ? ORDER BY starts_at LIMIT 1",
            use(groupId), use(current), into(next), now;
        if (next.empty())
            return {};
        distribution = long(next.front());
    }
    std::vector<std::string> products;
    std::vector<Poco::Int64> quantities, totals;
    session
        << "SELECT c.name, o.quantity, o.amount_cents FROM orders o JOIN catalogues c ON c.id = "
           "o.catalogue_id WHERE o.distribution_id = ? AND o.person_id = ? AND o.group_id = ? ORDER BY o.id",
        use(distribution), use(person), use(groupId), into(products), into(quantities), into(totals), now;
    RecipientList lines;
    for (std::size_t i = 0; i < products.size(); ++i)
        lines.push_back({{"product", products[i]},
                         {"quantity", std::to_string(quantities[i])},
                         {"price", amount(quantities[i] ? totals[i] / quantities[i] : totals[i], locale)},
                         {"total", amount(totals[i], locale)}});
    if (lines.empty())
        return {};
    return {{"order.lines", lines}};
}

const std::vector<std::string>& Campaigns::channels()
{
    static const std::vector<std::string> names{"email", "sms", "push"};
    return names;
}

bool Campaigns::hasSubject(const std::string& channel)
{
    return channel != "sms";
}

bool Campaigns::hasSender(const std::string& channel)
{
    return channel == "email";
}

std::vector<std::string> Campaigns::channelsOf(long groupId) const
{
    std::vector<std::string> on{"email"};
    for (const std::string& channel : channels())
        if (channel != "email" && _channelOn && _channelOn(groupId, channel))
            on.push_back(channel);
    return on;
}

void Campaigns::check(Campaign& c)
{
    if (!c.automatic.empty() && c.automatic != "model" && c.automatic != "occurrence")
        throw FieldException("automatic", "bad_automatic", "automatic is \"\", \"model\" or \"occurrence\"");
    std::string kind = groupKind(c.groupId);
    const auto& known = channels();
    if (std::find(known.begin(), known.end(), c.channel) == known.end())
        throw FieldException("channel", "bad_channel",
                             "channel \"" + c.channel.substr(0, 40) +
                                 "\" does not exist; choose one of: " + join(known));
    if (c.channel != "email" && !(_channelOn && _channelOn(c.groupId, c.channel)))
        throw FieldException("channel", "channel_unavailable",
                             "the " + c.channel +
                                 " channel is not switched on for this group: a host administrator switches "
                                 "it on in the group's settings (channel." +
                                 c.channel + ")");
    auto types = RecipientDirectory::typesFor(kind);
    if (std::find(types.begin(), types.end(), c.recipientType) == types.end())
        throw FieldException("recipient_type", "bad_recipient_type",
                             "recipient_type \"" + c.recipientType + "\" does not exist in a " + kind +
                                 " group; choose one of: " + join(types));
    c.name = Poco::trim(c.name);
    if (c.name.empty())
        throw FieldException("name", "required", "name is required");
    requireLine("name", c.name, 200);
    requireLine("sender_name", c.senderName, 200);
    c.senderEmail = EmailAddress::normalize(c.senderEmail);
    c.replyTo = EmailAddress::normalize(c.replyTo);
    if (hasSender(c.channel))
    {
        requireAddress("sender_email", c.senderEmail);
        auto domains = verifiedDomains(c.groupId);
        std::string domain = c.senderEmail.substr(c.senderEmail.rfind('@') + 1);
        if (std::find(domains.begin(), domains.end(), domain) == domains.end())
            throw FieldException("sender_email", "unverified_domain",
                                 "sender_email: " + domain +
                                     " is not a verified sending domain of this group (verified: " +
                                     (domains.empty() ? std::string("none") : join(domains)) + ")");
        if (!c.replyTo.empty())
            requireAddress("reply_to", c.replyTo);
    }
    else
    {
        // An SMS or a notification has no sender's address: nothing to verify, nothing kept.
        c.senderEmail.clear();
        c.replyTo.clear();
    }
    requireLine("subject", c.subject, 500);
    requireLine("subject_prefix", c.subjectPrefix, 50);
    if (c.dedupe != "address" && c.dedupe != "contact")
        throw FieldException("dedupe", "bad_dedupe", "dedupe must be \"address\" or \"contact\"");
    MustacheTags::checkNesting(c.subjectPrefix + " " + c.subject, "subject");
    c.html = HtmlSanitizer().sanitize(c.html);
    TextLine::checkBody("text", c.text);
    MustacheTags::checkNesting(c.text, "text");
    checkVersions(c);
}

long Campaigns::create(Campaign c)
{
    check(c);
    c.status = "draft";
    int tracking = c.tracking ? 1 : 0;
    Poco::Data::Session session = _database.session();
    session.begin();
    session
        << "INSERT INTO mm_campaigns (group_id, channel, recipient_type, name, sender_name, sender_email, "
           "reply_to, subject, subject_prefix, html, text_body, dedupe, forced_locale, status, created_by, "
           "tracking, automatic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(c.groupId), use(c.channel), use(c.recipientType), use(c.name), use(c.senderName),
        use(c.senderEmail), use(c.replyTo), use(c.subject), use(c.subjectPrefix), use(c.html), use(c.text),
        use(c.dedupe), use(c.forcedLocale), use(c.status), use(c.createdBy), use(tracking), use(c.automatic),
        now;
    Poco::Int64 id = 0;
    // This session's own insert: MAX(id) could be another's, committed in between.
    session << SqlDialect(_database.dialect()).lastInsertId(), into(id), now;
    c.id = long(id);
    storeVersions(session, c);
    session.commit();
    return long(id);
}

void Campaigns::update(const Campaign& changes)
{
    Poco::Data::Session session = _database.session();
    session.begin();
    update(changes, session);
    session.commit();
}

void Campaigns::update(const Campaign& changes, Poco::Data::Session& session)
{
    auto stored = find(changes.id);
    if (!stored)
        throw Poco::NotFoundException("campaign " + std::to_string(changes.id));
    if (changes.recipientType != stored->recipientType)
        throw FieldException("recipient_type", "recipient_type_fixed",
                             "the recipient type of a campaign cannot change once it exists (it is \"" +
                                 stored->recipientType + "\"); create a new campaign instead");
    if (changes.channel != stored->channel)
        throw FieldException("channel", "channel_fixed",
                             "the channel of a campaign cannot change once it exists (it is \"" +
                                 stored->channel + "\"); create a new campaign instead");
    if (changes.groupId != stored->groupId)
        throw FieldException("group", "group_fixed", "a campaign cannot move to another group");
    Campaign c = changes;
    check(c);
    int tracking = c.tracking ? 1 : 0;
    std::string updated = sqlTime(Poco::DateTime());
    session
        << "UPDATE mm_campaigns SET channel = ?, name = ?, sender_name = ?, sender_email = ?, reply_to = ?, "
           "subject = ?, subject_prefix = ?, html = ?, text_body = ?, dedupe = ?, forced_locale = ?, "
           "tracking = ?, updated_at = ? WHERE id = ?",
        use(c.channel), use(c.name), use(c.senderName), use(c.senderEmail), use(c.replyTo), use(c.subject),
        use(c.subjectPrefix), use(c.html), use(c.text), use(c.dedupe), use(c.forcedLocale), use(tracking),
        use(updated), use(c.id), now;
    storeVersions(session, c);
}

void Campaigns::storeVersions(Poco::Data::Session& session, const Campaign& c)
{
    long id = c.id;
    session << "DELETE FROM mm_campaign_versions WHERE campaign_id = ?", use(id), now;
    for (const auto& v : c.versions)
    {
        CampaignVersion version = v;
        session << "INSERT INTO mm_campaign_versions (campaign_id, locale, subject, html, text_body) "
                   "VALUES (?, ?, ?, ?, ?)",
            use(id), use(version.locale), use(version.subject), use(version.html), use(version.text), now;
    }
}

std::string Campaigns::messageLocale(const Campaign& campaign, const std::string& recipientLocale)
{
    if (!campaign.forcedLocale.empty())
        return campaign.forcedLocale;
    for (const auto& version : campaign.versions)
        if (version.locale == recipientLocale)
            return recipientLocale;
    return recipientLocale == "en" ? "en" : "fr";
}

Campaign Campaigns::inLocale(const Campaign& campaign, const std::string& locale)
{
    Campaign chosen = campaign;
    for (const auto& version : campaign.versions)
        if (version.locale == locale)
        {
            chosen.subject = version.subject;
            chosen.html = version.html;
            chosen.text = version.text;
        }
    return chosen;
}

std::vector<std::string> Campaigns::locales(const Campaign& campaign)
{
    std::vector<std::string> all{""};
    for (const auto& version : campaign.versions)
        all.push_back(version.locale);
    return all;
}

std::optional<Campaign> Campaigns::find(long id)
{
    auto found = select("WHERE id = ?", id);
    if (found.empty())
        return std::nullopt;
    return found.front();
}

std::vector<Campaign> Campaigns::ofGroup(long groupId)
{
    return select("WHERE group_id = ? ORDER BY id DESC", groupId);
}

std::vector<Campaign> Campaigns::select(const std::string& where, long parameter)
{
    Poco::Data::Session session = _database.session();
    const SqlDialect dialect(_database.dialect());
    Poco::Data::RecordSet rows(
        dialect.selectWithLongTexts(session, COLUMNS, BODIES, "FROM mm_campaigns " + where, parameter));
    std::vector<Campaign> campaigns;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) { return rows.value(column, row).convert<std::string>(); };
        auto number = [&](std::size_t column)
        { return long(rows.value(column, row).convert<Poco::Int64>()); };
        campaigns.push_back(Campaign{number(0),
                                     number(1),
                                     text(2),
                                     text(3),
                                     text(4),
                                     text(5),
                                     text(6),
                                     text(7),
                                     text(8),
                                     text(9),
                                     text(10),
                                     text(11),
                                     text(12),
                                     text(13),
                                     text(14),
                                     number(15),
                                     text(16),
                                     {}});
        campaigns.back().tracking = number(17) != 0;
        campaigns.back().automatic = text(18);
    }
    for (auto& campaign : campaigns)
    {
        Poco::Data::RecordSet found(dialect.selectWithLongTexts(
            session, {"locale", "subject", "html", "text_body"}, BODIES,
            "FROM mm_campaign_versions WHERE campaign_id = ? ORDER BY locale", campaign.id));
        for (std::size_t row = 0; row < found.rowCount(); ++row)
        {
            auto text = [&](std::size_t column) { return found.value(column, row).convert<std::string>(); };
            campaign.versions.push_back(CampaignVersion{text(0), text(1), text(2), text(3)});
        }
    }
    return campaigns;
}
} // namespace MassMailing
