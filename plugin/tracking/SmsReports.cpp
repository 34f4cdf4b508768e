#include "tracking/SmsReports.h"
#include "audience/PhoneNumber.h"
#include "content/HmacSha256.h"
#include "delivery/SmsChannel.h"
#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/String.h>
#include <Poco/UTF8String.h>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.module.massmailing.tracking");
}

bool sameText(const std::string& a, const std::string& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        differ |= static_cast<unsigned char>(a[i] ^ b[i]);
    return differ == 0;
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& name)
{
    if (!object->has(name) || object->isNull(name))
        return {};
    return object->get(name).convert<std::string>();
}

SmsReports::Report reportOf(const Poco::JSON::Object::Ptr& object)
{
    SmsReports::Report report;
    report.reference = text(object, "reference");
    report.messageId = text(object, "message_id");
    if (report.messageId.empty())
        report.messageId = text(object, "id");
    report.status = text(object, "status");
    report.reason = text(object, "reason");
    return report;
}
} // namespace

SmsReports::SmsReports(CrmHost::Database& database, const Suppressions& suppressions, Clock clock,
                       std::function<std::string()> secret, ReplyHandler replies)
    : _database(database), _suppressions(suppressions), _clock(std::move(clock)), _secret(std::move(secret)),
      _replies(std::move(replies))
{
}

bool SmsReports::authentic(const std::string& body, const std::string& signature,
                           const std::string& token) const
{
    const std::string secret = _secret();
    if (secret.empty())
        return false;
    if (!token.empty() && sameText(token, secret))
        return true;
    std::string given = Poco::toLower(Poco::trim(signature));
    if (given.compare(0, 7, "sha256=") == 0)
        given = given.substr(7);
    if (given.empty())
        return false;
    const std::string digest = HmacSha256(secret).digest(body);
    const std::string expected =
        Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(digest.begin(), digest.end()));
    return sameText(given, expected);
}

std::vector<SmsReports::Report> SmsReports::parse(const std::string& body,
                                                  const std::map<std::string, std::string>& form)
{
    std::vector<Report> reports;
    const std::string trimmed = Poco::trim(body);
    if (trimmed.empty())
    {
        auto field = [&](const char* name)
        {
            auto found = form.find(name);
            return found == form.end() ? std::string() : found->second;
        };
        Report report{field("reference"), field("message_id").empty() ? field("id") : field("message_id"),
                      field("status"), field("reason")};
        if (report.status.empty())
            throw Poco::SyntaxException("a delivery report needs a status");
        reports.push_back(report);
        return reports;
    }
    Poco::Dynamic::Var parsed;
    try
    {
        parsed = Poco::JSON::Parser().parse(trimmed);
    }
    catch (const Poco::Exception& error)
    {
        throw Poco::SyntaxException("the delivery report is not JSON: " + error.message());
    }
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
    {
        auto array = parsed.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i)
        {
            auto object = array->getObject(static_cast<unsigned>(i));
            if (!object)
                throw Poco::SyntaxException("a delivery report is a JSON object");
            reports.push_back(reportOf(object));
        }
    }
    else if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
        reports.push_back(reportOf(parsed.extract<Poco::JSON::Object::Ptr>()));
    else
        throw Poco::SyntaxException("a delivery report is a JSON object or an array of them");
    return reports;
}

std::string SmsReports::outcomeOf(const std::string& status)
{
    const std::string s = Poco::toLower(Poco::trim(status));
    for (const char* word : {"delivered", "delivrd", "delivery_success", "success", "received"})
        if (s == word)
            return "delivered";
    for (const char* word : {"failed", "undelivered", "undeliv", "undeliverable", "rejected", "rejectd",
                             "expired", "expird", "error", "deleted", "delivery_failed", "unknown_number"})
        if (s == word)
            return "failed";
    return {};
}

SmsReports::Outcome SmsReports::record(const std::vector<Report>& reports)
{
    Outcome outcome;
    Poco::Data::Session session = _database.session();
    session.begin();
    try
    {
        for (const Report& report : reports)
        {
            const std::string final = outcomeOf(report.status);
            if (final.empty())
            {
                ++outcome.ignored;
                continue;
            }
            long row = SmsChannel::rowOf(report.reference);
            if (row == 0 && !report.messageId.empty())
            {
                std::vector<Poco::Int64> rows;
                std::string id = report.messageId;
                session
                    << "SELECT recipient_id FROM mm_message_ids WHERE message_id = ? ORDER BY recipient_id "
                       "DESC",
                    use(id), into(rows), now;
                row = rows.empty() ? 0 : long(rows.front());
            }
            if (row == 0)
            {
                ++outcome.unknown;
                continue;
            }
            const std::string reason =
                report.reason.empty() ? "the gateway reports " + report.status : report.reason;
            switch (Deliveries::reported(session, row, final == "delivered", reason, _clock()))
            {
            case Deliveries::ReportChange::Recorded:
                ++outcome.recorded;
                break;
            case Deliveries::ReportChange::NotYet:
                ++outcome.pending;
                break;
            case Deliveries::ReportChange::Unknown:
                ++outcome.unknown;
                break;
            }
        }
        session.commit();
    }
    catch (...)
    {
        if (session.isTransaction())
            session.rollback();
        throw;
    }
    return outcome;
}

bool SmsReports::isStop(const std::string& text)
{
    std::string word;
    for (char c : Poco::trim(text))
    {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '.' || c == '!' || c == ',')
            break;
        word += c;
    }
    word = Poco::UTF8::toUpper(word);
    Poco::replaceInPlace(word, std::string("\xC3\x8A"), std::string("E")); // Ê
    Poco::replaceInPlace(word, std::string("\xC3\x89"), std::string("E")); // É
    for (const char* stop :
         {"STOP", "ARRET", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "CANCEL", "DESABONNER", "DESINSCRIRE"})
        if (word == stop)
            return true;
    return false;
}

std::size_t SmsReports::receive(const Reply& reply)
{
    const std::string number = PhoneNumber::toE164(Poco::trim(reply.from), "");
    if (number.empty())
        throw Poco::InvalidArgumentException("from",
                                             "\"" + reply.from.substr(0, 40) + "\" is not a phone number");
    // The groups that sent this number an SMS: a STOP is for each of them, a reply in each's inbox.
    Poco::Data::Session session = _database.session();
    std::vector<Poco::Int64> groups, campaigns;
    std::string address = number;
    session
        << "SELECT c.group_id, MAX(c.id) FROM mm_recipients r JOIN mm_campaigns c ON c.id = r.campaign_id "
           "WHERE c.channel = 'sms' AND r.email = ? GROUP BY c.group_id",
        use(address), into(groups), into(campaigns), now;
    if (!isStop(reply.text))
    {
        if (_replies)
            for (Poco::Int64 group : groups)
                _replies(long(group), number, reply.text, reply.id);
        logger().information("SMS reply from %s for %z groups", number, groups.size());
        return groups.size();
    }
    for (std::size_t i = 0; i < groups.size(); ++i)
        _suppressions.unsubscribe(long(groups[i]), number, long(campaigns[i]), UnsubscribeMethod::SmsStop);
    logger().information("SMS STOP from %s: unsubscribed in %z groups", number, groups.size());
    return groups.size();
}
} // namespace MassMailing
