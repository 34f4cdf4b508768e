#ifndef MassMailing_RecipientDirectory_INCLUDED
#define MassMailing_RecipientDirectory_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Recipient.h"
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// One member as a message written to them needs: how to reach them, and what they consented to
/// (A8: the inbox warns before it writes to a member without consent, seed 003 step 5).
struct MemberContact
{
    long personId = 0;
    std::string firstName;
    std::string lastName;
    std::string email; /// "" when none.
    std::string phone; /// As stored; "" when none.
    bool consentEmail = false;
    bool consentSms = false;
    bool consentPush = false;
};

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

    std::optional<MemberContact> member(long groupId, long personId);
    /// A member of the group; empty for anyone else.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
