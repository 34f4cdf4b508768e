#include "audience/Audience.h"
#include "FieldException.h"
#include "audience/EmailAddress.h"
#include "audience/PhoneNumber.h"
#include "audience/Suppressions.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/UTF8Encoding.h>
#include <algorithm>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
const char* const INSERT_ROWS =
    "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, "
    "first_name, last_name, company, locale, dedupe_key, status, reason, domain) ";

std::string toJson(const std::map<std::string, std::string>& params)
{
    Poco::JSON::Object object;
    for (const auto& [name, value] : params)
        object.set(name, value);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::map<std::string, std::string> fromJson(const std::string& json)
{
    std::map<std::string, std::string> params;
    auto object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, value] : *object)
        params[name] = value.toString();
    return params;
}

std::size_t characters(const std::string& utf8)
{
    // Valid UTF-8 (checked before): every byte but the continuation bytes starts a character.
    return std::size_t(std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool isUtf8(const std::string& text)
{
    Poco::UTF8Encoding utf8;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end)
    {
        int length = utf8.sequenceLength(p, int(end - p));
        if (length <= 0 || !utf8.isLegal(p, length))
            return false;
        p += length;
    }
    return true;
}

// Splits a CSV line on "," or ";" (French spreadsheets), with "quoted" fields.
std::vector<std::string> csvFields(const std::string& line, char separator)
{
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        char c = line[i];
        if (c == '"')
        {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += line[++i];
            else
                quoted = !quoted;
        }
        else if (c == separator && !quoted)
            fields.emplace_back();
        else
            fields.back() += c;
    }
    for (auto& field : fields)
        Poco::trimInPlace(field);
    return fields;
}
// Runs a statement with its values bound in order.
void execute(Poco::Data::Session& session, const std::string& sql, const std::vector<std::string>& values)
{
    Poco::Data::Statement statement(session);
    statement << sql;
    for (const auto& value : values)
        statement, bind(value);
    statement.execute();
}

// Whether the rows FROM ... WHERE ... (a clause, with its values) hold anyone.
bool any(Poco::Data::Session& session, const std::string& rows, const std::vector<std::string>& values)
{
    Poco::Data::Statement statement(session);
    std::vector<int> found;
    statement << "SELECT 1 " + rows + " LIMIT 1", into(found);
    for (const auto& value : values)
        statement, bind(value);
    statement.execute();
    return !found.empty();
}
} // namespace

long AudienceSummary::count(const std::string& reason) const
{
    auto it = leftOut.find(reason);
    return it == leftOut.end() ? 0 : it->second;
}

long AudienceSummary::remainingThisMonth() const
{
    return monthlyLimit <= 0 ? -1 : std::max(0L, monthlyLimit - sentThisMonth);
}

std::string AudienceRow::key() const
{
    return recipientId > 0 ? kind + ":" + std::to_string(recipientId) : email;
}

Audience::Audience(CrmHost::Database& database, const CrmHost::RecipientLoader& loader,
                   SentThisMonth sentThisMonth, PastDeliveries past, Country country)
    : _database(database), _loader(loader), _sql(database.dialect()),
      _sentThisMonth(std::move(sentThisMonth)), _past(std::move(past)), _country(std::move(country))
{
}

const char* const Audience::NOT_OPENED = "not_opened";
const char* const Audience::UNDELIVERED = "undelivered";

bool Audience::isCampaignRows(const std::string& kind)
{
    return kind == NOT_OPENED || kind == UNDELIVERED;
}

void Audience::addCampaignRows(const AudienceOwner& owner, const std::string& kind, long campaignId,
                               bool exclude)
{
    if (!isCampaignRows(kind))
        throw FieldException("kind", "unknown_kind",
                             "the rows of a campaign are not_opened or undelivered, not \"" +
                                 kind.substr(0, 40) + "\"");
    Poco::Data::Session session = _database.session();
    long group = owner.groupId;
    std::vector<std::string> names, statuses;
    std::vector<int> tracking;
    session << "SELECT name, status, tracking FROM mm_campaigns WHERE id = ? AND group_id = ?",
        use(campaignId), use(group), into(names), into(statuses), into(tracking), now;
    if (names.empty() || campaignId == owner.campaignId)
        throw Poco::NotFoundException("campaign",
                                      std::to_string(campaignId) + " is not another campaign of this group");
    if (!_past.hasSent || !_past.hasSent(statuses.front()))
        throw FieldException("campaign", "not_sent",
                             "the campaign \"" + names.front() +
                                 "\" has not been sent: nobody opened or missed it yet");
    if (kind == NOT_OPENED && tracking.front() == 0)
        throw FieldException("campaign", "not_tracked",
                             "the campaign \"" + names.front() +
                                 "\" was sent without tracking: nobody's opens are known");
    addSource(owner, exclude ? "exclude" : "add", kind, std::to_string(campaignId), "{}", names.front());
}

std::vector<CrmHost::Target> Audience::targets(long groupId, const std::string& recipientType) const
{
    std::vector<CrmHost::Target> result;
    for (const auto& target : _loader.targets(groupId))
        if (target.recipientType == recipientType ||
            (recipientType == "targets" && target.recipientType != "members"))
            result.push_back(target);
    return result;
}

CrmHost::Target Audience::findTarget(const AudienceOwner& owner, const std::string& targetId,
                                     const std::map<std::string, std::string>& params) const
{
    for (auto target : targets(owner.groupId, owner.recipientType))
    {
        if (target.id != targetId)
            continue;
        bool same = std::all_of(params.begin(), params.end(),
                                [&](const auto& param)
                                {
                                    auto it = target.params.find(param.first);
                                    return it != target.params.end() && it->second == param.second;
                                });
        if (same)
            return target;
    }
    // One member (the inbox's conversations): offered to every group with members, never listed;
    // the loader's query keeps out whoever is not a member of the group.
    if (targetId == MEMBER_TARGET && owner.recipientType == "members" && params.count("person"))
        return {MEMBER_TARGET, "massmailing.target.members.person", "members", "list", params};
    throw Poco::NotFoundException("target", "\"" + targetId + "\" " + toJson(params) +
                                                " is not a target this group offers for " +
                                                owner.recipientType);
}

long Audience::addSource(const AudienceOwner& owner, const std::string& action, const std::string& source,
                         const std::string& targetId, const std::string& params, const std::string& label)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    std::string a = action, s = source, t = targetId, p = params, l = label;
    session << "INSERT INTO mm_audience_sources (campaign_id, action, source, target_id, params, label) "
               "VALUES (?, ?, ?, ?, ?, ?)",
        use(campaign), use(a), use(s), use(t), use(p), use(l), now;
    Poco::Int64 id = 0;
    session << "SELECT MAX(id) FROM mm_audience_sources WHERE campaign_id = ?", use(campaign), into(id), now;
    return long(id);
}

const char* const Audience::MEMBER_TARGET = "members.person";

std::vector<long> Audience::campaignsLoading(long groupId, const std::string& targetId,
                                             const std::string& param, const std::string& value)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> campaigns;
    std::vector<std::string> params;
    std::string target = targetId;
    session << "SELECT s.campaign_id, s.params FROM mm_audience_sources s JOIN mm_campaigns c ON c.id = "
               "s.campaign_id WHERE c.group_id = ? AND s.action = 'add' AND s.source = 'target' AND "
               "s.target_id = ? ORDER BY s.campaign_id",
        use(groupId), use(target), into(campaigns), into(params), now;
    std::vector<long> found;
    for (std::size_t i = 0; i < campaigns.size(); ++i)
    {
        auto values = fromJson(params[i]);
        auto it = values.find(param);
        if (it != values.end() && it->second == value && (found.empty() || found.back() != campaigns[i]))
            found.push_back(long(campaigns[i]));
    }
    return found;
}

std::vector<Recipient> Audience::preview(long groupId, const std::string& recipientType,
                                         const std::string& targetId,
                                         const std::map<std::string, std::string>& params, std::size_t limit)
{
    CrmHost::RecipientQuery query = _loader.query(
        findTarget({0, groupId, recipientType, "address"}, targetId, params), groupId, _database.dialect());
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    select << "SELECT r.kind, r.id, r.email, r.first_name, r.last_name, r.company, r.locale FROM (" +
                  query.sql + ") r ORDER BY r.last_name, r.first_name, r.id LIMIT " + std::to_string(limit);
    for (const auto& value : query.bindings)
        select, bind(value);
    select.execute();
    Poco::Data::RecordSet rows(select);
    std::vector<Recipient> found;
    for (std::size_t i = 0; i < rows.rowCount(); ++i)
    {
        Recipient recipient;
        recipient.kind = rows.value(0, i).convert<std::string>();
        recipient.id = long(rows.value(1, i).convert<Poco::Int64>());
        recipient.email = rows.value(2, i).convert<std::string>();
        recipient.firstName = rows.value(3, i).convert<std::string>();
        recipient.lastName = rows.value(4, i).convert<std::string>();
        recipient.company = rows.value(5, i).convert<std::string>();
        recipient.locale = rows.value(6, i).convert<std::string>();
        found.push_back(recipient);
    }
    return found;
}

void Audience::addTarget(const AudienceOwner& owner, const std::string& targetId,
                         const std::map<std::string, std::string>& params, bool exclude)
{
    CrmHost::Target target = findTarget(owner, targetId, params);
    _loader.query(target, owner.groupId,
                  _database.dialect()); // refuses bad parameters now, not at resolution
    addSource(owner, exclude ? "exclude" : "add", "target", target.id, toJson(target.params), target.label);
}

void Audience::excludeCampaign(const AudienceOwner& owner, long campaignId)
{
    Poco::Data::Session session = _database.session();
    long group = owner.groupId;
    std::vector<std::string> names;
    session << "SELECT name FROM mm_campaigns WHERE id = ? AND group_id = ?", use(campaignId), use(group),
        into(names), now;
    if (names.empty())
        throw Poco::NotFoundException("campaign",
                                      std::to_string(campaignId) + " is not a campaign of this group");
    addSource(owner, "exclude", "campaign", std::to_string(campaignId), "{}", names.front());
}

void Audience::addAddresses(const AudienceOwner& owner, const std::vector<std::string>& addresses)
{
    std::string text;
    for (const auto& address : addresses)
        text += address + "\n";
    CsvReport report = importLines(owner, text, true, "addresses", "");
    if (!report.refused.empty())
        throw Poco::InvalidArgumentException("addresses", "line " +
                                                              std::to_string(report.refused.front().line) +
                                                              ": " + report.refused.front().message);
}

CsvReport Audience::addAddressLines(const AudienceOwner& owner, const std::string& text)
{
    return importLines(owner, text, true, "addresses", "");
}

CsvReport Audience::importCsv(const AudienceOwner& owner, const std::string& csv, const std::string& fileName)
{
    return importLines(owner, csv, false, fileName.empty() ? "addresses" : "csv", fileName);
}

CsvReport Audience::importLines(const AudienceOwner& owner, const std::string& text, bool wholeLine,
                                const std::string& sourceKind, const std::string& label)
{
    CsvReport report;
    struct Line
    {
        long number;
        std::string address, firstName, lastName;
    };
    std::vector<Line> good;
    std::istringstream in(text);
    std::string line;
    long number = 0;
    auto refuse = [&](const std::string& code, const std::string& value, const std::string& message,
                      const std::string& field = "") {
        report.refused.push_back({number, code, value, message, field});
    };
    while (std::getline(in, line))
    {
        ++number;
        if (number > MAX_LINES)
        {
            // Refused whole: a file cut at an arbitrary line would be a silent loss.
            report.taken = 0;
            report.refused = {{number, "too_many_lines", std::to_string(MAX_LINES),
                               "more than " + std::to_string(MAX_LINES) + " lines: split the file", ""}};
            return report;
        }
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.size() > MAX_LINE_BYTES)
        {
            refuse("line_too_long", std::to_string(MAX_LINE_BYTES),
                   "the line is longer than " + std::to_string(MAX_LINE_BYTES) + " bytes (" +
                       std::to_string(line.size()) + ")");
            continue;
        }
        if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3); // a spreadsheet's byte order mark
        if (Poco::trim(line).empty())
            continue;
        if (!isUtf8(line))
        {
            refuse("not_utf8", "", "not valid UTF-8 text");
            continue;
        }
        std::vector<std::string> fields{Poco::trim(line)};
        if (!wholeLine)
        {
            char separator =
                line.find(';') != std::string::npos && line.find(',') == std::string::npos ? ';' : ',';
            fields = csvFields(line, separator);
            if (number == 1 && fields[0].find('@') == std::string::npos &&
                Poco::icompare(fields[0], "email") == 0)
                continue; // header
            if (fields.size() > 3)
            {
                refuse("columns", std::to_string(fields.size()),
                       "expected 1 to 3 columns (email, first name, last name), found " +
                           std::to_string(fields.size()));
                continue;
            }
            bool tooLong = false;
            for (std::size_t i = 1; i < fields.size() && !tooLong; ++i)
            {
                const std::string field = i == 1 ? "first_name" : "last_name";
                if ((tooLong = characters(fields[i]) > MAX_NAME_CHARACTERS))
                    refuse(field + "_too_long", std::to_string(characters(fields[i])),
                           field + " is longer than " + std::to_string(MAX_NAME_CHARACTERS) +
                               " characters (" + std::to_string(characters(fields[i])) + ")",
                           field);
            }
            if (tooLong)
                continue;
        }
        std::string address = EmailAddress::normalize(fields[0]);
        if (address.empty())
            refuse("no_address", "", "no address", "email");
        else if (!EmailAddress::isValid(address))
            refuse("invalid_address", fields[0], "\"" + fields[0] + "\" is not a valid email address",
                   "email");
        else
            good.push_back(
                {number, address, fields.size() > 1 ? fields[1] : "", fields.size() > 2 ? fields[2] : ""});
    }
    if (good.empty())
        return report;

    long source = addSource(owner, "add", sourceKind, "", "{}", label);
    Poco::Data::Session session = _database.session();
    session.begin();
    // Multi-row VALUES: Poco's MySQL connector has no bulk binding.
    for (std::size_t start = 0; start < good.size(); start += 500)
    {
        std::size_t end = std::min(good.size(), start + 500);
        Poco::Data::Statement insert(session);
        std::string sql =
            "INSERT INTO mm_audience_addresses (source_id, line, address, first_name, last_name) VALUES ";
        for (std::size_t i = start; i < end; ++i)
            sql += std::string(i == start ? "" : ", ") + "(?, ?, ?, ?, ?)";
        insert << sql;
        for (std::size_t i = start; i < end; ++i)
            insert, use(source), use(good[i].number), use(good[i].address), use(good[i].firstName),
                use(good[i].lastName);
        insert.execute();
    }
    session.commit();
    report.taken = long(good.size());
    return report;
}

void Audience::setChecked(const AudienceOwner& owner, const std::string& key, bool checked)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    std::string k = key.find(':') == std::string::npos ? EmailAddress::identity(key) : key;
    session << "DELETE FROM mm_audience_unchecked WHERE campaign_id = ? AND recipient_key = ?", use(campaign),
        use(k), now;
    if (checked && k.find(':') != std::string::npos)
    {
        // A row may be unchecked through its address too: checking it brings that back as well.
        std::string kind = k.substr(0, k.find(':'));
        Poco::Int64 id = 0;
        if (Poco::NumberParser::tryParse64(k.substr(k.find(':') + 1), id))
            session << "DELETE FROM mm_audience_unchecked WHERE campaign_id = ? AND recipient_key IN "
                       "(SELECT " +
                           _sql.addressIdentity("email") +
                           " FROM mm_recipients WHERE campaign_id = ? AND kind = ? AND recipient_id = ?)",
                use(campaign), use(campaign), use(kind), use(id), now;
    }
    if (!checked)
        session << "INSERT INTO mm_audience_unchecked (campaign_id, recipient_key) VALUES (?, ?)",
            use(campaign), use(k), now;
}

void Audience::setControlGroup(const AudienceOwner& owner, int percent)
{
    if (percent < 0 || percent > 50)
        throw Poco::InvalidArgumentException("control_group",
                                             "the control group is 0 to 50 percent of the audience");
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    session << "UPDATE mm_campaigns SET control_group_percent = ? WHERE id = ?", use(percent), use(campaign),
        now;
}

int Audience::controlGroup(const AudienceOwner& owner)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    int percent = 0;
    session << "SELECT control_group_percent FROM mm_campaigns WHERE id = ?", use(campaign), into(percent),
        now;
    return percent;
}

std::vector<AudienceSource> Audience::sources(long campaignId)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids, counted, counts;
    std::vector<std::string> actions, kinds, targetIds, params, labels;
    session << "SELECT id, action, source, target_id, params, label FROM mm_audience_sources WHERE "
               "campaign_id = ? "
               "ORDER BY id",
        use(campaignId), into(ids), into(actions), into(kinds), into(targetIds), into(params), into(labels),
        now;
    session << "SELECT source_id, COUNT(*) FROM mm_recipients WHERE campaign_id = ? GROUP BY source_id",
        use(campaignId), into(counted), into(counts), now;
    std::map<Poco::Int64, long> rowsOf;
    for (std::size_t i = 0; i < counted.size(); ++i)
        rowsOf[counted[i]] = long(counts[i]);
    std::vector<AudienceSource> result;
    for (std::size_t i = 0; i < ids.size(); ++i)
        result.push_back({long(ids[i]), actions[i], kinds[i], targetIds[i], fromJson(params[i]), labels[i],
                          actions[i] == "add" ? rowsOf[ids[i]] : 0});
    return result;
}

void Audience::removeSource(const AudienceOwner& owner, long sourceId)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    Poco::Int64 found = 0;
    session << "SELECT COUNT(*) FROM mm_audience_sources WHERE id = ? AND campaign_id = ?", use(sourceId),
        use(campaign), into(found), now;
    if (found == 0)
        throw Poco::NotFoundException("source",
                                      std::to_string(sourceId) + " is not a source of this campaign");
    session.begin();
    session << "DELETE FROM mm_audience_addresses WHERE source_id = ?", use(sourceId), now;
    session << "DELETE FROM mm_audience_sources WHERE id = ?", use(sourceId), now;
    session.commit();
}

void Audience::clear(const AudienceOwner& owner)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    session.begin();
    session << "DELETE FROM mm_audience_addresses WHERE source_id IN "
               "(SELECT id FROM mm_audience_sources WHERE campaign_id = ?)",
        use(campaign), now;
    session << "DELETE FROM mm_audience_sources WHERE campaign_id = ?", use(campaign), now;
    session << "DELETE FROM mm_audience_unchecked WHERE campaign_id = ?", use(campaign), now;
    session << "DELETE FROM mm_audience_exclusions WHERE campaign_id = ?", use(campaign), now;
    session << "DELETE FROM mm_recipients WHERE campaign_id = ?", use(campaign), now;
    session.commit();
}

void Audience::knowNumbers(const CrmHost::RecipientQuery& query, const std::string& country)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::vector<std::string> raw;
    select << "SELECT DISTINCT r.phone FROM (" + query.sql +
                  ") r WHERE r.phone <> '' AND NOT EXISTS (SELECT 1 FROM mm_phone_numbers n WHERE n.raw = "
                  "r.phone AND n.country = ?)",
        into(raw);
    for (const auto& value : query.bindings)
        select, bind(value);
    select, bind(country);
    select.execute();
    session.begin();
    for (std::size_t from = 0; from < raw.size(); from += 300)
    {
        const std::size_t end = std::min(raw.size(), from + 300);
        std::vector<std::string> values;
        std::string sql = "INSERT INTO mm_phone_numbers (raw, country, e164) VALUES ";
        for (std::size_t i = from; i < end; ++i)
        {
            sql += std::string(i == from ? "" : ", ") + "(?, ?, ?)";
            values.insert(values.end(),
                          {raw[i].substr(0, 64), country, PhoneNumber::toE164(raw[i], country)});
        }
        // Another resolution may have written some meanwhile: the first stays, they are the same.
        execute(session, sql + _sql.keepingTheFirst("raw, country"), values);
    }
    session.commit();
}

AudienceSummary Audience::resolve(const AudienceOwner& owner, long monthlyLimit, const Progress& progress)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId;
    std::vector<Poco::Int64> ids;
    std::vector<std::string> actions, sources, targetIds, params;
    session << "SELECT id, action, source, target_id, params FROM mm_audience_sources WHERE campaign_id = ? "
               "ORDER BY id",
        use(campaign), into(ids), into(actions), into(sources), into(targetIds), into(params), now;
    int percent = 0;
    std::string channel;
    session << "SELECT control_group_percent, channel FROM mm_campaigns WHERE id = ?", use(campaign),
        into(percent), into(channel), now;
    // An SMS campaign's rows hold the person's number in E.164 (issue 15, A6): normalised with the
    // group's country, once per number as written (mm_phone_numbers), before the set-based load.
    const bool sms = channel == "sms";
    const std::string country = sms && _country ? _country(owner.groupId) : std::string();

    // Set-based: the exclusions listed, then one INSERT ... SELECT per loaded source, in order,
    // that decides every reason of its rows as it writes them.
    struct Load
    {
        long source;
        std::string rows; /// "FROM (...) r", yielding kind, id, email, first_name, last_name, company, locale
        std::vector<std::string> values;
    };
    std::vector<Load> loads;
    // The rows of an earlier campaign a source names (A11), as delivery says (PastDeliveries).
    auto campaignRows = [&](const std::string& kind)
    {
        if (!_past.delivered || !_past.undelivered)
            throw Poco::IllegalStateException("the audience was not told what delivery calls delivered");
        return kind == NOT_OPENED ? _past.delivered("x.") + " AND x.opens = 0" : _past.undelivered("x.");
    };
    auto targetOf = [&](std::size_t i)
    {
        return _loader.query(findTarget(owner, targetIds[i], fromJson(params[i])), owner.groupId,
                             _database.dialect());
    };
    // The address is sent as written (email) and known by its identity (address_key): the
    // latter decides duplicates and every list compared by address.
    const std::string email = _sql.addressToSend("r.email"), identity = _sql.addressIdentity("r.email");
    // The key that decides duplicates, of a row whose forms are computed (e).
    const std::string key =
        owner.dedupe == "contact"
            ? "CASE WHEN e.id > 0 THEN " + _sql.concat({"e.kind", "':'", "e.id"}) + " ELSE e.identity END"
            : "e.identity";
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (actions[i] != "add")
            continue;
        if (isCampaignRows(sources[i]))
            loads.push_back({long(ids[i]),
                             "FROM (SELECT x.kind, x.recipient_id AS id, x.email, x.first_name, x.last_name, "
                             "x.company, x.locale FROM mm_recipients x WHERE x.campaign_id = ? AND " +
                                 campaignRows(sources[i]) + ") r",
                             {targetIds[i]}});
        else if (sources[i] == "target" && sms)
        {
            CrmHost::RecipientQuery query = targetOf(i);
            if (query.hasPhone)
                knowNumbers(query, country);
            std::vector<std::string> values = query.bindings;
            values.push_back(country);
            // A valid number's E.164 form, else the number as written (left out as invalid below).
            loads.push_back({long(ids[i]),
                             query.hasPhone ? "FROM (SELECT r.kind, r.id, COALESCE(n.e164, r.phone) AS "
                                              "email, r.first_name, r.last_name, "
                                              "r.company, r.locale FROM (" +
                                                  query.sql +
                                                  ") r LEFT JOIN mm_phone_numbers n ON n.raw = r.phone AND "
                                                  "n.country = ? AND n.e164 <> '') r"
                                            : "FROM (SELECT r.kind, r.id, '' AS email, r.first_name, "
                                              "r.last_name, r.company, r.locale "
                                              "FROM (" +
                                                  query.sql + ") r WHERE '' = ?) r",
                             values});
        }
        else if (sources[i] == "target")
        {
            CrmHost::RecipientQuery query = targetOf(i);
            loads.push_back({long(ids[i]), "FROM (" + query.sql + ") r", query.bindings});
        }
        else
            loads.push_back({long(ids[i]),
                             "FROM (SELECT 'person' AS kind, 0 AS id, a.address AS email, a.first_name, "
                             "a.last_name, '' AS company, '' AS locale FROM mm_audience_addresses a WHERE "
                             "a.source_id = ?) r",
                             {std::to_string(ids[i])}});
    }

    int done = 0;
    const int total = int(loads.size()) + 2;
    auto report = [&](const std::string& step, long rows)
    {
        if (progress)
            progress({step, rows, std::min(done++, total - 1), total});
    };
    report("exclusions", 0);
    session.begin();
    session << "DELETE FROM mm_recipients WHERE campaign_id = ?", use(campaign), now;
    session << "DELETE FROM mm_audience_exclusions WHERE campaign_id = ?", use(campaign), now;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (actions[i] != "exclude")
            continue;
        Poco::Data::Statement exclude(session);
        exclude << "INSERT INTO mm_audience_exclusions (campaign_id, email, recipient_key) ";
        if (sources[i] == "campaign")
            // Everyone who was sent campaign X (A11).
            exclude << "SELECT ?, " + _sql.addressIdentity("email") + ", " +
                           _sql.concat({"kind", "':'", "recipient_id"}) +
                           " FROM mm_recipients WHERE campaign_id = ? AND status = 'sent'",
                bind(campaign), bind(targetIds[i]);
        else if (isCampaignRows(sources[i]))
            // Those of campaign X who did not open it, or whose delivery failed (A11).
            exclude << "SELECT ?, " + _sql.addressIdentity("x.email") + ", " +
                           _sql.concat({"x.kind", "':'", "x.recipient_id"}) +
                           " FROM mm_recipients x WHERE x.campaign_id = ? AND " + campaignRows(sources[i]),
                bind(campaign), bind(targetIds[i]);
        else
        {
            CrmHost::RecipientQuery query = targetOf(i);
            exclude << "SELECT ?, " + identity + ", " + _sql.concat({"r.kind", "':'", "r.id"}) + " FROM (" +
                           query.sql + ") r",
                bind(campaign);
            for (const auto& value : query.bindings)
                exclude, bind(value);
        }
        exclude.execute();
    }
    if (loads.empty())
    {
        session.commit();
        return summary(owner, monthlyLimit);
    }
    // Every reason is decided in the one pass that writes the row, in the order they win, so that
    // a row is written once and never updated: the address's forms are computed once per row (in a
    // derived table kept whole, everyRow()), each list is an indexed lookup of the row's key or
    // identity (a list with nobody in it for this campaign is left out), "invalid" tests the stored
    // form, and the duplicates of one source are ranked by a window over its rows.
    const std::string id = std::to_string(campaign);
    struct Rule
    {
        std::string when, reason;
        std::vector<std::string> values;
        std::string list; /// The list's rows, when the rule reads one.
        std::vector<std::string> listValues;
    };
    const std::string who = _sql.concat({"e.kind", "':'", "e.id"});
    const std::string unchecked = "FROM mm_audience_unchecked WHERE campaign_id = ?",
                      excluded = "FROM mm_audience_exclusions WHERE campaign_id = ?";
    std::vector<Rule> rules{{who + " IN (SELECT recipient_key " + unchecked +
                                 ") OR e.identity IN (SELECT recipient_key " + unchecked + ")",
                             "unchecked",
                             {id, id},
                             unchecked,
                             {id}},
                            {"(e.id > 0 AND " + who + " IN (SELECT recipient_key " + excluded +
                                 ")) OR e.identity IN (SELECT email " + excluded + ")",
                             "excluded",
                             {id, id},
                             excluded,
                             {id}},
                            {"e.email = ''", "no_address", {}, "", {}},
                            // An SMS row's address is the E.164 form of a valid number, else the
                            // number as written (its mm_phone_numbers row has no E.164 form).
                            {sms ? "(e.email NOT LIKE '+%' OR e.email IN (SELECT raw FROM "
                                   "mm_phone_numbers WHERE e164 = ''))"
                                 : _sql.invalidEmail("e.email"),
                             "invalid",
                             {},
                             "",
                             {}}};
    // Then the suppressions (unsubscribed, bounced, complained), as their owner lists them.
    Suppressions::prepare(session); // the erased list's condition hashes the address
    for (const Suppressions::List& list : Suppressions::lists(owner.groupId))
        rules.push_back({list.condition("e.identity"), list.reason, list.values, list.rows, list.values});
    std::vector<std::string> earlyValues;
    std::string early;
    for (const Rule& rule : rules)
    {
        if (!rule.list.empty() && !any(session, rule.list, rule.listValues))
            continue;
        early += "WHEN " + rule.when + " THEN '" + rule.reason + "' ";
        earlyValues.insert(earlyValues.end(), rule.values.begin(), rule.values.end());
    }
    // A row still in whose key an earlier source brought in, still in too, is a duplicate: found by
    // the person (index mm_recipients_who) when the key is the person, else by the address's
    // identity (index mm_recipients_identity, which leads with it).
    const std::string stillIn = "d.campaign_id = " + id + " AND d.reason IN ('', 'control_group')";
    const std::string byIdentity =
        "EXISTS (SELECT 1 FROM mm_recipients d WHERE d.email_identity = f.identity "
        "AND d.dedupe_key = f.dedupe_key AND " +
        stillIn + ")";
    const std::string earlier = owner.dedupe == "contact"
                                    ? "CASE WHEN f.id > 0 THEN EXISTS (SELECT 1 FROM mm_recipients d WHERE "
                                      "d.campaign_id = " +
                                          id + " AND d.kind = f.kind AND d.recipient_id = f.id AND " +
                                          stillIn + ") ELSE " + byIdentity + " END"
                                    : byIdentity;
    // The control group: a fixed pseudo-random share of the rows still in, so that resolving again
    // holds out the same people.
    const std::string held = "(f.id * 2654435761 + LENGTH(f.email) * 7919 + " + id + " * 40503) % 100 < " +
                             std::to_string(percent);
    // One INSERT ... SELECT per source, in the order they were added, its rows in the order of their
    // ids: each row is written once, numbered in that order.
    long loaded = 0;
    for (std::size_t i = 0; i < loads.size(); ++i)
    {
        const Load& load = loads[i];
        report("loading", loaded);
        std::string reason =
            "CASE WHEN f.early <> '' THEN f.early WHEN ROW_NUMBER() OVER (PARTITION BY "
            "f.dedupe_key, f.early ORDER BY f.id, f.email, f.first_name, f.last_name) > 1 THEN "
            "'duplicate' ";
        if (i > 0)
            reason += "WHEN " + earlier + " THEN 'duplicate' ";
        if (percent > 0)
            reason += "WHEN " + held + " THEN 'control_group' ";
        reason += "ELSE '' END";
        std::vector<std::string> values = earlyValues;
        values.insert(values.end(), load.values.begin(), load.values.end());
        Poco::Data::Statement insert(session);
        insert
            << std::string(INSERT_ROWS) + "SELECT " + id + ", " + std::to_string(load.source) +
                   ", kind, id, email, first_name, last_name, company, locale, dedupe_key, CASE WHEN reason "
                   "= '' THEN 'planned' ELSE 'left_out' END, reason, " +
                   _sql.addressDomain("email") + " FROM (SELECT f.*, " + reason +
                   " AS reason FROM (SELECT e.*, " + key + " AS dedupe_key, " +
                   (early.empty() ? std::string("''") : "CASE " + early + "ELSE '' END") +
                   " AS early FROM (SELECT r.kind, r.id, " + email + " AS email, " + identity +
                   " AS identity, r.first_name, r.last_name, r.company, r.locale " + load.rows +
                   _sql.everyRow() + ") e" + _sql.everyRow() +
                   ") f) u ORDER BY id, email, first_name, last_name";
        for (const auto& value : values)
            insert, bind(value);
        loaded += long(insert.execute());
    }
    session.commit();
    report("summary", loaded);
    return summary(owner, monthlyLimit);
}

AudienceSummary Audience::summary(const AudienceOwner& owner, long monthlyLimit)
{
    Poco::Data::Session session = _database.session();
    long campaign = owner.campaignId, group = owner.groupId;
    std::vector<std::string> statuses, reasons;
    std::vector<Poco::Int64> counts;
    session
        << "SELECT status, reason, COUNT(*) FROM mm_recipients WHERE campaign_id = ? GROUP BY status, reason",
        use(campaign), into(statuses), into(reasons), into(counts), now;
    AudienceSummary summary;
    for (std::size_t i = 0; i < counts.size(); ++i)
    {
        summary.loaded += long(counts[i]);
        if (statuses[i] == "left_out")
            summary.leftOut[reasons[i]] += long(counts[i]);
        else
            summary.planned += long(counts[i]);
    }
    summary.sentThisMonth = _sentThisMonth(group);
    summary.monthlyLimit = monthlyLimit;
    // A8: the planned people who gave no consent to marketing messages of the campaign's channel
    // (email, SMS, push: seed 003): persons, and leads that are a person.
    std::vector<std::string> channels;
    session << "SELECT channel FROM mm_campaigns WHERE id = ?", use(campaign), into(channels), now;
    const std::string channel = channels.empty() ? "email" : channels.front();
    const std::string consent = channel == "sms"    ? "p.consent_sms"
                                : channel == "push" ? "p.consent_push"
                                                    : "p.consent_email";
    Poco::Int64 persons = 0, leads = 0;
    session << "SELECT COUNT(*) FROM mm_recipients m JOIN people p ON p.id = m.recipient_id WHERE "
               "m.campaign_id = ? "
               "AND m.status = 'planned' AND m.kind = 'person' AND " +
                   consent + " = 0",
        use(campaign), into(persons), now;
    session << "SELECT COUNT(*) FROM mm_recipients m JOIN crm_leads l ON l.id = m.recipient_id "
               "JOIN people p ON p.id = l.person_id WHERE m.campaign_id = ? AND m.status = 'planned' "
               "AND m.kind = 'lead' AND " +
                   consent + " = 0",
        use(campaign), into(leads), now;
    summary.withoutConsent = long(persons + leads);
    return summary;
}

std::vector<AudienceRow> Audience::rows(long campaignId, const std::string& status, const std::string& reason,
                                        std::size_t limit, std::size_t offset)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::string s = status, r = reason;
    // A leased row handed to the mail server is in flight until its worker records the answer.
    const std::string handed = "m.status = 'leased' AND m.in_flight_at IS NOT NULL";
    // The status asked for, bound once: any, in flight, leased and not yet handed over, or as stored.
    std::string which = s.empty()          ? "? = ''"
                        : s == "in_flight" ? "? = 'in_flight' AND " + handed
                        : s == "leased"    ? "? = 'leased' AND m.status = 'leased' AND m.in_flight_at IS NULL"
                                           : "m.status = ?";
    select << "SELECT m.id, m.kind, m.recipient_id, m.email, m.first_name, m.last_name, CASE WHEN " + handed +
                  " THEN 'in_flight' ELSE m.status END, m.reason, m.source_id, COALESCE(s.source, ''), "
                  "COALESCE(s.label, ''), COALESCE(s.params, '{}') FROM mm_recipients m LEFT JOIN "
                  "mm_audience_sources s ON s.id = m.source_id WHERE m.campaign_id = ? AND (" +
                  which + ") AND (? = '' OR m.reason = ?) ORDER BY m.id LIMIT " + std::to_string(limit) +
                  " OFFSET " + std::to_string(offset),
        use(campaignId), use(s), use(r), use(r), now;
    Poco::Data::RecordSet set(select);
    std::vector<AudienceRow> result;
    for (std::size_t row = 0; row < set.rowCount(); ++row)
    {
        auto text = [&](std::size_t column) { return set.value(column, row).convert<std::string>(); };
        auto number = [&](std::size_t column) { return long(set.value(column, row).convert<Poco::Int64>()); };
        AudienceRow item;
        item.id = number(0);
        item.kind = text(1);
        item.recipientId = number(2);
        item.email = text(3);
        item.firstName = text(4);
        item.lastName = text(5);
        item.status = text(6);
        item.reason = text(7);
        item.sourceId = number(8);
        item.sourceKind = text(9);
        item.sourceLabel = text(10);
        item.sourceParams = fromJson(text(11));
        item.source = item.sourceLabel.empty() ? item.sourceKind : item.sourceLabel;
        result.push_back(std::move(item));
    }
    return result;
}

std::optional<Recipient> Audience::recipient(long campaignId, long recipientId, const std::string& email)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement select(session);
    std::string address = email, identity = EmailAddress::identity(email);
    select << "SELECT kind, recipient_id, email, first_name, last_name, company, locale FROM mm_recipients "
              "WHERE email_identity = ? AND campaign_id = ? AND recipient_id = ? AND email = ? ORDER BY id "
              "LIMIT 1",
        use(identity), use(campaignId), use(recipientId), use(address), now;
    Poco::Data::RecordSet set(select);
    if (set.rowCount() == 0)
        return std::nullopt;
    auto text = [&](std::size_t column) { return set.value(column, 0).convert<std::string>(); };
    return Recipient{
        text(0), long(set.value(1, 0).convert<Poco::Int64>()), text(2), text(3), text(4), text(5), text(6)};
}
} // namespace MassMailing
