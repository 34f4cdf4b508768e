#include "audience/RecipientDirectory.h"
#include "SqlDialect.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <algorithm>

using namespace Poco::Data::Keywords;

namespace MassMailing
{
namespace
{
// Each yields (kind, id, email, first_name, last_name, company, locale) and takes the
// group id once per "?".
const char* const MEMBERS =
    "SELECT 'person' AS kind, p.id, COALESCE(p.email, '') AS email, p.first_name, p.last_name, '' AS "
    "company, "
    "p.locale FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.group_id = ?";
const char* const CONTACTS =
    "SELECT 'person' AS kind, p.id, COALESCE(p.email, '') AS email, p.first_name, p.last_name, "
    "COALESCE(a.name, '') AS company, p.locale FROM crm_contacts c JOIN people p ON p.id = c.person_id "
    "LEFT JOIN crm_accounts a ON a.id = c.account_id WHERE c.group_id = ?";
const char* const ACCOUNTS =
    "SELECT 'account' AS kind, a.id, COALESCE(a.email, '') AS email, '' AS first_name, "
    "'' AS last_name, a.name AS company, 'fr' AS locale FROM crm_accounts a WHERE a.group_id = ?";
const char* const LEADS = "SELECT 'lead' AS kind, l.id, COALESCE(l.email, p.email, '') AS email, "
                          "COALESCE(l.first_name, p.first_name, '') "
                          "AS first_name, COALESCE(l.last_name, p.last_name, '') AS last_name, l.company, "
                          "COALESCE(p.locale, 'fr') AS locale "
                          "FROM crm_leads l LEFT JOIN people p ON p.id = l.person_id WHERE l.group_id = ?";

std::string population(const std::string& type)
{
    if (type == "members")
        return MEMBERS;
    if (type == "contacts")
        return CONTACTS;
    if (type == "accounts")
        return ACCOUNTS;
    if (type == "leads")
        return LEADS;
    if (type == "targets")
        return std::string(CONTACTS) + " UNION ALL " + ACCOUNTS + " UNION ALL " + LEADS;
    throw Poco::InvalidArgumentException("recipient_type", "unknown recipient type \"" + type + "\"");
}

// Runs "SELECT ... FROM (population) r <tail>" binding the group id for each "?" of the population.
Poco::Data::Statement select(Poco::Data::Session& session, const std::string& type,
                             const std::string& columns, const std::string& tail, long& groupId)
{
    std::string source = population(type);
    Poco::Data::Statement statement(session);
    statement << "SELECT " + columns + " FROM (" + source + ") r " + tail;
    for (auto n = std::count(source.begin(), source.end(), '?'); n > 0; --n)
        statement, use(groupId);
    return statement;
}

std::vector<Recipient> fetch(Poco::Data::Statement& statement)
{
    std::vector<std::string> kinds, emails, firsts, lasts, companies, locales;
    std::vector<Poco::Int64> ids;
    statement, into(kinds), into(ids), into(emails), into(firsts), into(lasts), into(companies),
        into(locales);
    statement.execute();
    std::vector<Recipient> recipients;
    for (std::size_t i = 0; i < ids.size(); ++i)
        recipients.push_back(
            {kinds[i], long(ids[i]), emails[i], firsts[i], lasts[i], companies[i], locales[i]});
    return recipients;
}
} // namespace

RecipientDirectory::RecipientDirectory(CrmHost::Database& database) : _database(database) {}

bool RecipientDirectory::isRecipientType(const std::string& type)
{
    static const std::vector<std::string> types{"members", "contacts", "accounts", "leads", "targets"};
    return std::find(types.begin(), types.end(), type) != types.end();
}

std::vector<std::string> RecipientDirectory::typesFor(const std::string& groupKind)
{
    if (groupKind == "crm")
        return {"contacts", "accounts", "leads", "targets"};
    return {"members"};
}

std::vector<Recipient> RecipientDirectory::list(long groupId, const std::string& type, std::size_t limit,
                                                std::size_t offset)
{
    Poco::Data::Session session = _database.session();
    auto statement = select(session, type, "kind, id, email, first_name, last_name, company, locale",
                            "ORDER BY last_name, first_name, kind, id LIMIT " + std::to_string(limit) +
                                " OFFSET " + std::to_string(offset),
                            groupId);
    return fetch(statement);
}

std::optional<Recipient> RecipientDirectory::find(long groupId, const std::string& type,
                                                  const std::string& kind, long id)
{
    Poco::Data::Session session = _database.session();
    std::string k = kind;
    auto statement = select(session, type, "kind, id, email, first_name, last_name, company, locale",
                            "WHERE kind = ? AND id = ?", groupId);
    statement, use(k), use(id);
    auto found = fetch(statement);
    if (found.empty())
        return std::nullopt;
    return found.front();
}

std::optional<MemberContact> RecipientDirectory::member(long groupId, long personId)
{
    Poco::Data::Session session = _database.session();
    Poco::Data::Statement statement(session);
    statement
        << "SELECT p.id, COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), COALESCE(p.email, ''), "
           "COALESCE(p.phone, ''), p.consent_email, p.consent_sms, p.consent_push FROM memberships m JOIN "
           "people p ON p.id = m.person_id WHERE m.group_id = ? AND p.id = ?",
        use(groupId), use(personId);
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    if (rows.rowCount() == 0)
        return std::nullopt;
    MemberContact contact;
    contact.personId = long(rows.value(0, 0).convert<Poco::Int64>());
    contact.firstName = rows.value(1, 0).convert<std::string>();
    contact.lastName = rows.value(2, 0).convert<std::string>();
    contact.email = rows.value(3, 0).convert<std::string>();
    contact.phone = rows.value(4, 0).convert<std::string>();
    contact.consentEmail = rows.value(5, 0).convert<int>() != 0;
    contact.consentSms = rows.value(6, 0).convert<int>() != 0;
    contact.consentPush = rows.value(7, 0).convert<int>() != 0;
    return contact;
}

long RecipientDirectory::count(long groupId, const std::string& type)
{
    Poco::Data::Session session = _database.session();
    Poco::Int64 n = 0;
    auto statement = select(session, type, "COUNT(*)", "", groupId);
    statement, into(n);
    statement.execute();
    return long(n);
}

long RecipientDirectory::countWithout(long groupId, const std::string& type, const std::string& field)
{
    static const std::vector<std::string> fields{"email", "first_name", "last_name", "company"};
    if (std::find(fields.begin(), fields.end(), field) == fields.end())
        throw Poco::InvalidArgumentException("field", "no recipient field \"" + field + "\"");
    Poco::Data::Session session = _database.session();
    Poco::Int64 n = 0;
    auto statement = select(session, type, "COUNT(*)", "WHERE " + field + " = ''", groupId);
    statement, into(n);
    statement.execute();
    return long(n);
}
std::vector<Recipient> RecipientDirectory::withAddress(long groupId, const std::string& type,
                                                       const std::string& identity)
{
    Poco::Data::Session session = _database.session();
    std::string address = identity;
    auto statement = select(session, type, "kind, id, email, first_name, last_name, company, locale",
                            "WHERE " + SqlDialect(_database.dialect()).addressIdentity("email") +
                                " = ? ORDER BY kind, id LIMIT 20",
                            groupId);
    statement, use(address);
    return fetch(statement);
}
} // namespace MassMailing
