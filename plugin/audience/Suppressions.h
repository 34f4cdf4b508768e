#ifndef MassMailing_Suppressions_INCLUDED
#define MassMailing_Suppressions_INCLUDED

#include "CrmHost/Database.h"
#include "audience/Suppression.h"
#include <Poco/Data/Session.h>
#include <Poco/DateTime.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace MassMailing
{
/// The addresses that left a group's messages (table mm_unsubscribes), one row per group and
/// address (X1). An unsubscription is recorded once, with its first time; only the person
/// (through their own signed link) takes it back. Addresses are stored and compared by their
/// identity (EmailAddress::identity): whoever left as X@Y.org is not mailed at x@y.org.
class Suppressions
{
public:
    explicit Suppressions(CrmHost::Database& database);

    bool unsubscribe(long groupId, const std::string& address, long campaignId,
                     UnsubscribeMethod method) const;
    /// Records that the address receives no more of the group's messages; campaignId is the
    /// campaign whose link was used, 0 for none. Returns true when recorded now, false when
    /// the address had already left the group: the first record (time, campaign, method) is
    /// kept. Throws Poco::InvalidArgumentException for an address normalise() refuses, and the
    /// database's exception (Poco::Data::DataException) when it fails.

    bool isUnsubscribed(long groupId, const std::string& address) const;
    /// True when the address left the group's messages. Throws as unsubscribe() does.

    std::optional<Suppression> find(long groupId, const std::string& address) const;
    /// The address's unsubscription from the group, if any. Throws as unsubscribe() does.

    bool resubscribe(long groupId, const std::string& address) const;
    /// Takes an unsubscription back: only for the person, from their signed link (X1).
    /// Returns false when the address had not left the group. Throws as unsubscribe() does.

    bool suppress(long groupId, const std::string& address, const std::string& reason,
                  const std::string& detail, long campaignId, const Poco::DateTime& at) const;
    static bool suppress(Poco::Data::Session& session, long groupId, const std::string& address,
                         const std::string& reason, const std::string& detail, long campaignId,
                         const Poco::DateTime& at);
    /// Records that the group's messages must not reach the address any more (A8, table
    /// mm_group_suppressions): reason "bounced" (a permanent failure, or soft bounces past the
    /// group's limit) or "complained" (reported as spam), with the server's text (500 characters
    /// kept), the campaign it came from (0: none) and the time. The first record that holds is
    /// kept; one that was lifted is replaced. Returns true when recorded now. Bounce and
    /// complaint processing (tracking) writes through it; the second form in the caller's
    /// transaction. Throws Poco::InvalidArgumentException for another reason or an address
    /// normalise() refuses, and the database's exception.
    ///
    /// The older table mm_address_blocks (a block of every group) is no longer written: its
    /// rows still suppress in every group (lists()).

    std::map<std::string, std::string> reasons(long groupId, const std::vector<std::string>& addresses) const;
    /// Of these addresses, those the group's messages must not reach now, each with the first
    /// reason that applies ("unsubscribed", "bounced", "complained": the order of lists()),
    /// keyed by the address as given. Delivery asks it for the rows it claims (X1, A8): whoever
    /// left after the campaign was scheduled is not sent it. Throws the database's exception.

    /// A list of suppressed addresses: rows is "FROM ... WHERE ..." with a column address that
    /// holds identities (EmailAddress::identity), and the values it binds, in order.
    struct List
    {
        std::string reason;
        std::string rows;
        std::vector<std::string> values;
        bool hashed = false; /// Its column is address_hash: EmailAddress::erasedForm, not the identity.

        std::string condition(const std::string& identity) const;
        /// The SQL condition "the identity (an expression) is on this list". For a hashed list
        /// it computes SHA2(identity, 256): on SQLite, after prepare() on the session.
    };

    static std::vector<List> lists(long groupId);
    /// Every list that keeps an address from the group's messages, in the order their reasons
    /// win: audience resolution and reasons() read these, and no other.

    static void prepare(Poco::Data::Session& session);
    /// Gives a SQLite connection the function SHA2(text, 256) that MariaDB has (the SQL twin of
    /// EmailAddress::erasedForm), which the condition() of the erased list calls; nothing on
    /// MariaDB. Call it on the session that runs a statement holding that condition.

    // A person's erasure (X2). --------------------------------------------------------------

    static long erase(Poco::Data::Session& session, long groupId, const std::string& address,
                      const std::vector<std::string>& personKeys);
    /// Forgets the address in the group, in the caller's transaction: its unsubscription, bounce
    /// and complaint suppressions (and a block of every group) are replaced by its erasedForm in
    /// mm_erased_addresses (so that lists() still keeps it from every campaign, as "erased"), and
    /// the audience's inputs that name it (typed and imported lines of the group's campaigns,
    /// unchecked rows and gathered exclusions, by address or by one of personKeys, "KIND:ID")
    /// are removed. Returns how many rows were changed or removed. Throws
    /// Poco::InvalidArgumentException for what normalise() refuses.

    bool isErased(long groupId, const std::string& address) const;
    /// True when the address was erased in the group (or blocked in every group and erased).

    std::optional<std::string> groupName(long groupId) const;
    /// The group's name, to tell the person what they leave; none for an unknown group.
    /// Throws the database's exception when it fails.

    // One address's suppressions, the group's list, and lifting (R5). -------------------------

    /// One suppression of an address in a group: an unsubscription (X1), a bounce or a complaint
    /// of the group (mm_group_suppressions, lifted ones kept), or a block for every group.
    struct Entry
    {
        std::string address;    /// Its identity.
        std::string reason;     /// unsubscribed, bounced, complained, erased (X2: address is then
                                /// the one asked about, detail the reasons it had)
        std::string detail;     /// The server's text of a bounce; an unsubscription's method.
        std::string scope;      /// "group", or "all" for a block of every group (mm_address_blocks).
        long campaignId = 0;    /// The campaign it came from; 0 when none.
        std::string at;         /// When, UTC "YYYY-MM-DD HH:MM:SS".
        std::string liftedAt;   /// When it was lifted; "" while it holds.
        long liftedBy = 0;      /// The user who lifted it.
        std::string liftReason; /// Why.

        bool holds() const { return liftedAt.empty(); }
        bool liftable() const;
        /// A bounce or complaint of the group that holds: what a user may lift. An unsubscription
        /// is the person's own to take back (X1), a block belongs to no group.
    };

    void lift(long groupId, const std::string& address, long userId, const std::string& reason) const;
    /// Lifts the group's bounce or complaint suppression of the address, recording when, by whom
    /// and why; the row stays, lifted. Throws FieldException: "reason" when the reason is empty,
    /// "address" when the address has nothing a user may lift here (code "unsubscribed" for an
    /// unsubscription, "not_suppressed" otherwise), and Poco::InvalidArgumentException for what
    /// normalise() refuses.

    std::vector<Entry> listed(long groupId, std::size_t limit, std::size_t offset) const;
    /// The suppressions that hold in the group now (its unsubscriptions, bounces and complaints),
    /// newest first, a page of at most limit from offset.

    long countListed(long groupId) const;
    /// How many listed() has in all.

    std::vector<Entry> ofAddress(long groupId, const std::string& address) const;
    /// Every suppression of the address in the group, lifted ones too, oldest first. Throws
    /// Poco::InvalidArgumentException for what normalise() refuses.

    static std::string normalise(const std::string& address);
    /// The address as it is stored and compared: its EmailAddress::identity. Throws
    /// Poco::InvalidArgumentException when it is not local@domain or is longer than 320
    /// characters.

private:
    CrmHost::Database& _database;
};
} // namespace MassMailing

#endif
