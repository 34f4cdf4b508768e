#ifndef MassMailing_RecipientDirectory_INCLUDED
#define MassMailing_RecipientDirectory_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Recipient.h"
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// Everyone a group can reach with one recipient type (members; contacts, accounts, leads
/// or targets), read from the host's data model (docs/data-model.md). One query per type,
/// so that counts stay set-based.
class RecipientDirectory
{
public:
    explicit RecipientDirectory(CrmHost::Database& database);

    static bool isRecipientType(const std::string& type);
    static std::vector<std::string> typesFor(const std::string& groupKind);
    /// "members" for food and studio groups; contacts, accounts, leads, targets for a CRM.

    std::vector<Recipient> list(long groupId, const std::string& type, std::size_t limit,
                                std::size_t offset = 0);
    std::optional<Recipient> find(long groupId, const std::string& type, const std::string& kind, long id);
    long count(long groupId, const std::string& type);
    long countWithout(long groupId, const std::string& type, const std::string& field);
    /// How many have no value for a field: email, first_name, last_name or company.
    /// Throws Poco::InvalidArgumentException for another field.

    std::vector<Recipient> withAddress(long groupId, const std::string& type, const std::string& identity);
    /// Those of the type whose address has this identity (EmailAddress::identity): whether an
    /// address still belongs to the group (R5), and as whom.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
