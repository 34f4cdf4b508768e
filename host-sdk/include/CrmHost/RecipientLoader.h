#ifndef CrmHost_RecipientLoader_INCLUDED
#define CrmHost_RecipientLoader_INCLUDED

#include "CrmHost/Database.h"
#include <map>
#include <string>
#include <vector>

namespace CrmHost
{
/// One list or filter a loader offers: "all members", "waiting list of session 12", ...
struct Target
{
    std::string id;                            /// Stable id within the loader, e.g. "members.all".
    std::string label;                         /// Catalogue key of the label; {param} placeholders are
                                               /// filled from params ("Buyers of {catalogue_name}").
    std::string recipientType;                 /// "members", "contacts", "accounts" or "leads".
    std::string kind;                          /// "list", "filter", "session", ...
    std::map<std::string, std::string> params; /// Parameters the target takes, with their values.
};

/// A set-based query over the host's people. Its SELECT yields exactly the columns
/// kind ('person', 'account' or 'lead'), id, email, first_name, last_name, company, locale
/// (strings never NULL: '' instead), one row per recipient, and takes the bindings in order.
struct RecipientQuery
{
    std::string sql;
    std::vector<std::string> bindings;
    bool hasPhone = false;
    /// The SELECT also yields an eighth column, phone: the recipient's phone number as stored
    /// ('' when none, never NULL), for SMS campaigns. Since API 1.8; without it a module has
    /// no number for anyone.
};

/// An extension point shared by the host's screens (the Members filter) and the modules
/// (campaign audiences): it turns a target into a set of people, never a loop over rows.
class RecipientLoader
{
public:
    virtual ~RecipientLoader() = default;

    virtual std::string name() const = 0;
    /// Unique name of the loader.

    virtual std::vector<Target> targets(long groupId) const = 0;
    /// The targets that apply to this group (only AMAP lists for an AMAP, ...).

    virtual RecipientQuery query(const Target& target, long groupId, Dialect dialect) const = 0;
    /// The query that yields the target's people. Throws Poco::NotFoundException for an
    /// unknown target and Poco::InvalidArgumentException for a bad parameter.
};
} // namespace CrmHost

#endif
