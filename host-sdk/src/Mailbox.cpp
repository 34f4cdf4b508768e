#include "Mailbox.h"
#include "CrmHost/Exceptions.h"
#include <Poco/Ascii.h>
#include <Poco/Data/LOB.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
namespace
{
constexpr const char* TIME_FORMAT = "%Y-%m-%d %H:%M:%S";
const std::size_t MAX_DETAIL = 2000;
const std::size_t MAX_HEADER_SCAN = 256 * 1024; // headers beyond this are not read for addresses
const std::size_t MAX_HEADER_ADDRESSES = 100;
const std::size_t MAX_ADDRESS = 320;

Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.inbound");
}

// UTC to the second, as CURRENT_TIMESTAMP writes it: SQLite compares times as text.
std::string sqlTime(Poco::Timespan::TimeDiff offsetSeconds = 0)
{
    return Poco::DateTimeFormatter::format(Poco::DateTime() + Poco::Timespan(offsetSeconds, 0), TIME_FORMAT);
}

std::string clip(const std::string& text, std::size_t size = MAX_DETAIL)
{
    return text.size() <= size ? text : text.substr(0, size - 3) + "...";
}

std::string join(const std::vector<std::string>& items, const std::string& separator)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    Poco::StringTokenizer tokens(text, "\n",
                                 Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
    out.assign(tokens.begin(), tokens.end());
    return out;
}

// The header section's fields, unfolded: (name in lower case, value), in order.
std::vector<std::pair<std::string, std::string>> headerFields(const std::string& raw)
{
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t pos = 0;
    const std::size_t end = std::min(raw.size(), MAX_HEADER_SCAN);
    while (pos < end)
    {
        std::size_t eol = raw.find('\n', pos);
        if (eol == std::string::npos || eol > end)
            eol = end;
        std::string line = raw.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            break; // the body begins
        if ((line[0] == ' ' || line[0] == '\t') && !fields.empty())
        {
            fields.back().second += " " + Poco::trim(line);
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            continue;
        fields.emplace_back(Poco::toLower(Poco::trim(line.substr(0, colon))),
                            Poco::trim(line.substr(colon + 1)));
    }
    return fields;
}

bool plausibleAddress(const std::string& address)
{
    if (address.empty() || address.size() > MAX_ADDRESS || address.find('@') == std::string::npos)
        return false;
    for (char c : address)
        if (Poco::Ascii::isSpace(c) || (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) || c == '<' ||
            c == '>' || c == ',')
            return false;
    return true;
}

// The addresses of an address-list header value: "Ann <a@x>, b@y (Bob), \"c, d\" <c@z>".
std::vector<std::string> addressesIn(const std::string& value)
{
    std::vector<std::string> parts;
    std::string part;
    bool quoted = false, angle = false;
    int comment = 0;
    for (char c : value)
    {
        if (quoted)
        {
            if (c == '"')
                quoted = false;
            continue; // a display name: not an address
        }
        if (comment > 0)
        {
            comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            continue;
        }
        if (c == '"' && !angle)
            quoted = true;
        else if (c == '(' && !angle)
            comment = 1;
        else if (c == '<')
        {
            angle = true;
            part.clear(); // what came before was the display name
        }
        else if (c == '>')
            angle = false;
        else if (c == ',' && !angle)
        {
            parts.push_back(part);
            part.clear();
        }
        else
            part += c;
        if (comment > 64)
            break; // nested past any sense
    }
    parts.push_back(part);
    std::vector<std::string> out;
    for (auto& candidate : parts)
    {
        std::string address = Poco::trim(candidate);
        if (plausibleAddress(address) && out.size() < MAX_HEADER_ADDRESSES)
            out.push_back(address);
    }
    return out;
}

Poco::DateTime parseTime(const std::string& text)
{
    Poco::DateTime time;
    int zone = 0;
    Poco::DateTimeParser::tryParse(TIME_FORMAT, text.substr(0, 19), time, zone);
    return time;
}

int positive(const Poco::Util::AbstractConfiguration& config, const std::string& key, int fallback)
{
    std::string text = config.getString(key, std::to_string(fallback));
    int value = 0;
    if (!Poco::NumberParser::tryParse(Poco::trim(text), value) || value <= 0)
        throw SettingException(key + " must be a positive whole number, not \"" + text + "\"");
    return value;
}
} // namespace

MailboxPolicy MailboxPolicy::from(const Poco::Util::AbstractConfiguration& config)
{
    MailboxPolicy policy;
    policy.maxAttempts = positive(config, "mail.inbound.max_attempts", policy.maxAttempts);
    policy.retrySeconds = positive(config, "mail.inbound.retry_seconds", policy.retrySeconds);
    policy.retentionDays = positive(config, "mail.inbound.retention_days", policy.retentionDays);
    return policy;
}

Mailbox::Mailbox(Database& database, const Registry<InboundMailHandler>& handlers, MailboxPolicy policy)
    : _database(database), _handlers(handlers), _policy(policy)
{
}

long Mailbox::store(const std::string& raw, const std::string& envelopeSender,
                    const std::vector<std::string>& recipients)
{
    Poco::Data::BLOB blob(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    std::string receivedAt = sqlTime();
    std::string sender = clip(envelopeSender, MAX_ADDRESS);
    std::string to = join(recipients, "\n");
    Poco::Int64 size = Poco::Int64(raw.size());
    std::string status = PENDING, empty;
    Poco::Data::Session session = _database.session();
    // One statement with autocommit: once it returns, the message is on disk.
    session
        << "INSERT INTO inbound_mail (received_at, envelope_sender, recipients, raw, size, status, detail) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)",
        use(receivedAt), use(sender), use(to), use(blob), use(size), use(status), use(empty), now;
    Poco::Int64 id = 0;
    session << (_database.dialect() == Dialect::SQLite ? "SELECT last_insert_rowid()"
                                                       : "SELECT LAST_INSERT_ID()"),
        into(id), now;
    logger().information("Stored inbound message %ld from <%s> for %s (%Ld bytes)", long(id), sender,
                         to.empty() ? std::string("no envelope recipient") : join(recipients, ", "), size);
    return long(id);
}

std::optional<StoredMail> Mailbox::find(long id) const
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 key = id;
    std::vector<std::string> received, sender, recipients, status, handler, detail, processed;
    std::vector<Poco::Int64> size;
    std::vector<int> attempts, kept;
    session
        << "SELECT CAST(received_at AS CHAR), envelope_sender, recipients, size, status, handler, detail, "
           "attempts, COALESCE(CAST(processed_at AS CHAR), ''), CASE WHEN raw IS NULL THEN 0 ELSE 1 END "
           "FROM inbound_mail WHERE id = ?",
        use(key), into(received), into(sender), into(recipients), into(size), into(status), into(handler),
        into(detail), into(attempts), into(processed), into(kept), now;
    if (received.empty())
        return std::nullopt;
    StoredMail mail;
    mail.id = id;
    mail.receivedAt = received[0].substr(0, 19);
    mail.envelopeSender = sender[0];
    mail.recipients = lines(recipients[0]);
    mail.size = long(size[0]);
    mail.status = status[0];
    mail.handler = handler[0];
    mail.detail = detail[0];
    mail.attempts = attempts[0];
    mail.processedAt = processed[0].substr(0, 19);
    mail.rawKept = kept[0] != 0;
    return mail;
}

std::optional<std::string> Mailbox::raw(long id) const
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 key = id;
    std::vector<Poco::Int64> sizes;
    session << "SELECT size FROM inbound_mail WHERE id = ? AND raw IS NOT NULL", use(key), into(sizes), now;
    if (sizes.empty())
        return std::nullopt;
    // Asked for with its length: Poco's MySQL connector would otherwise give the statement a
    // cleared buffer of a MEDIUMBLOB's largest size, 16 MiB, for every message read. Above 64 KiB
    // so that MySQL still calls the result a BLOB, which is what the connector reads as one.
    std::vector<Poco::Data::BLOB> blobs;
    session << "SELECT SUBSTR(raw, 1, " + std::to_string(std::max<Poco::Int64>(70000, sizes[0])) +
                   ") FROM inbound_mail WHERE id = ? AND raw IS NOT NULL",
        use(key), into(blobs), now;
    if (blobs.empty())
        return std::nullopt;
    return std::string(reinterpret_cast<const char*>(blobs[0].rawContent()), blobs[0].size());
}

std::vector<StoredMail> Mailbox::unresolved(std::size_t limit) const
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids;
    std::string pending = PENDING, notUnderstood = NOT_UNDERSTOOD;
    session << "SELECT id FROM inbound_mail WHERE status IN (?, ?) ORDER BY id DESC LIMIT " +
                   std::to_string(limit),
        use(pending), use(notUnderstood), into(ids), now;
    std::vector<StoredMail> out;
    for (auto id : ids)
        if (auto mail = find(long(id)))
            out.push_back(*mail);
    return out;
}

Mailbox::Round Mailbox::process(std::size_t limit)
{
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> ids;
    std::string pending = PENDING, current = sqlTime();
    session
        << "SELECT id FROM inbound_mail WHERE status = ? AND (claimed_until IS NULL OR claimed_until <= ?) "
           "ORDER BY id LIMIT " +
               std::to_string(limit),
        use(pending), use(current), into(ids), now;
    Round round;
    for (auto id : ids)
    {
        processOne(long(id));
        ++round.offered;
    }
    round.more = ids.size() == limit;
    return round;
}

StoredMail Mailbox::processOne(long id)
{
    // The claim: only the round whose UPDATE changed the row offers the message, so that two
    // hosts, or the listener's host and `mail receive`, never hand one message out twice. It
    // counts the round as an attempt until the round ends well: a round that never ends (the
    // host crashed inside a handler) stays counted, and such a message is given up in the end.
    std::string pending = PENDING, current = sqlTime(), until = sqlTime(_policy.claimSeconds);
    Poco::Int64 key = id;
    std::size_t claimed = 0;
    {
        Poco::Data::Session session = _database.session();
        Poco::Data::Statement claim(session);
        claim << "UPDATE inbound_mail SET claimed_until = ?, attempts = attempts + 1 WHERE id = ? AND status "
                 "= ? AND "
                 "(claimed_until IS NULL OR claimed_until <= ?)",
            use(until), use(key), use(pending), use(current);
        claimed = claim.execute();
    }
    auto mail = find(id);
    if (!mail)
        throw Poco::NotFoundException("no inbound message with id " + std::to_string(id));
    if (claimed == 0)
        return *mail;
    return offer(*mail);
}

StoredMail Mailbox::offer(StoredMail mail)
{
    InboundMessage message;
    message.id = mail.id;
    message.raw = raw(mail.id).value_or("");
    message.envelopeSender = mail.envelopeSender;
    message.recipients = mail.recipients.empty() ? headerRecipients(message.raw) : mail.recipients;
    message.receivedAt = parseTime(mail.receivedAt);

    std::string status = NOT_UNDERSTOOD, handler, detail, failure, failedHandler;
    std::vector<std::string> notes;
    bool matched = false;
    // mail.attempts counts this round: the rounds before it that failed or never ended.
    const int before = mail.attempts - 1;
    const bool givenUp = before >= _policy.maxAttempts;
    const auto handlers = givenUp ? decltype(_handlers.inOrder()){} : _handlers.inOrder();
    for (const auto& [name, owned] : handlers)
    {
        const InboundMailHandler& candidate = owned.entry;
        bool applies = false;
        for (const auto& address : message.recipients)
            applies = applies || matches(candidate.pattern, address);
        if (!applies)
            continue;
        matched = true;
        try
        {
            InboundOutcome outcome = candidate.handle(message);
            if (outcome.understood)
            {
                status = UNDERSTOOD;
                handler = name;
                detail = outcome.detail;
                break;
            }
            notes.push_back(name + ": " + (outcome.detail.empty() ? "not understood" : outcome.detail));
        }
        catch (const Poco::Exception& error)
        {
            failure = error.displayText();
        }
        catch (const std::exception& error)
        {
            failure = error.what();
        }
        catch (...)
        {
            failure = "an exception that is no std::exception";
        }
        if (!failure.empty())
        {
            failedHandler = name;
            break;
        }
    }

    Poco::Int64 key = mail.id;
    int attempts = before;
    std::string current = sqlTime(), pending = PENDING, next;
    if (givenUp)
    {
        detail = "given up after " + std::to_string(before) +
                 " rounds that failed or never ended (the host stopped while a handler held it)";
        logger().warning("Inbound message %ld: %s", mail.id, detail);
    }
    else if (!failedHandler.empty())
    {
        attempts = mail.attempts;
        if (attempts >= _policy.maxAttempts)
        {
            status = NOT_UNDERSTOOD;
            detail = "handler " + failedHandler + " failed " + std::to_string(attempts) +
                     " times, last: " + failure;
        }
        else
        {
            status = PENDING;
            detail =
                "handler " + failedHandler + " failed (attempt " + std::to_string(attempts) + "): " + failure;
            next = sqlTime(Poco::Timespan::TimeDiff(_policy.retrySeconds) * attempts);
        }
        logger().warning("Inbound message %ld: %s", mail.id, detail);
    }
    else if (status == NOT_UNDERSTOOD)
    {
        if (!matched)
            detail = message.recipients.empty()
                         ? "the message names no recipient"
                         : "no inbound mail handler takes mail for " + join(message.recipients, ", ");
        else
            detail = join(notes, "; ");
    }
    detail = clip(detail);
    handler = clip(handler, 191);
    Poco::Data::Session session = _database.session();
    if (status == PENDING)
        session << "UPDATE inbound_mail SET attempts = ?, detail = ?, claimed_until = ? WHERE id = ? AND "
                   "status = ?",
            use(attempts), use(detail), use(next), use(key), use(pending), now;
    else
        session
            << "UPDATE inbound_mail SET status = ?, handler = ?, detail = ?, attempts = ?, processed_at = ?, "
               "claimed_until = NULL WHERE id = ? AND status = ?",
            use(status), use(handler), use(detail), use(attempts), use(current), use(key), use(pending), now;
    if (status != PENDING)
        logger().information("Inbound message %ld %s%s: %s", mail.id,
                             std::string(status == UNDERSTOOD ? "understood by " : "not understood"), handler,
                             detail);
    mail.status = status;
    mail.handler = handler;
    mail.detail = detail;
    mail.attempts = attempts;
    if (status != PENDING)
        mail.processedAt = current;
    return mail;
}

std::size_t Mailbox::dropExpiredRaw()
{
    std::string understood = UNDERSTOOD,
                before = sqlTime(-Poco::Timespan::TimeDiff(_policy.retentionDays) * 86400);
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement drop(session);
    drop << "UPDATE inbound_mail SET raw = NULL WHERE status = ? AND processed_at < ? AND raw IS NOT NULL",
        use(understood), use(before);
    std::size_t dropped = drop.execute();
    if (dropped > 0)
        logger().information("Dropped the raw text of %z understood inbound messages older than %d days",
                             dropped, _policy.retentionDays);
    return dropped;
}

bool Mailbox::matches(const std::string& pattern, const std::string& address)
{
    // The classic wildcard walk: on a mismatch, the last "*" takes one more character.
    std::size_t p = 0, a = 0, star = std::string::npos, resume = 0;
    while (a < address.size())
    {
        if (p < pattern.size() && pattern[p] == '*')
        {
            star = p++;
            resume = a;
        }
        else if (p < pattern.size() && Poco::Ascii::toLower(pattern[p]) == Poco::Ascii::toLower(address[a]))
        {
            ++p;
            ++a;
        }
        else if (star != std::string::npos)
        {
            p = star + 1;
            a = ++resume;
        }
        else
            return false;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::vector<std::string> Mailbox::headerRecipients(const std::string& raw)
{
    auto fields = headerFields(raw);
    for (const char* name : {"delivered-to", "x-original-to"})
        for (const auto& [field, value] : fields)
            if (field == name)
            {
                auto addresses = addressesIn(value);
                if (!addresses.empty())
                    return {addresses.front()};
            }
    std::vector<std::string> out;
    for (const auto& [field, value] : fields)
        if (field == "to" || field == "cc")
            for (const auto& address : addressesIn(value))
                if (out.size() < MAX_HEADER_ADDRESSES)
                    out.push_back(address);
    return out;
}

std::string Mailbox::headerSender(const std::string& raw)
{
    for (const auto& [field, value] : headerFields(raw))
        if (field == "return-path")
        {
            auto addresses = addressesIn(value);
            return addresses.empty() ? "" : addresses.front();
        }
    return "";
}
} // namespace CrmHost
