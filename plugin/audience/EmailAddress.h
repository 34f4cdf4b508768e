#ifndef MassMailing_EmailAddress_INCLUDED
#define MassMailing_EmailAddress_INCLUDED

#include <string>

namespace MassMailing
{
/// The address rules of the audience stage: what counts as one address, and what is valid.
/// Its two forms have one SQL twin each, in SqlDialect (addressToSend, addressIdentity), and
/// the tests hold each pair equal on both databases.
class EmailAddress
{
public:
    static std::string normalize(const std::string& address);
    /// The address to send to: trimmed (ASCII blanks), the domain in lower case, the local
    /// part kept as written (what the person typed goes into the envelope and the To header).

    static std::string identity(const std::string& address);
    /// The one normal form of an address for telling mailboxes apart (dedupe, suppressions,
    /// unsubscribes, bounces, exclusions by address, unchecked addresses): trimmed, and the
    /// whole address in lower case. RFC 5321 lets a server tell "Alice" from "alice", but no
    /// provider does, and mailing Alice@ and alice@ twice is the defect users see. Only ASCII
    /// letters are lowered: it is what both databases compute exactly alike (a Unicode lower
    /// case differs between MariaDB's collations, and SQLite has none).

    static std::string domain(const std::string& address);
    /// The domain of the address to send to (normalize): what follows its last "@", in lower
    /// case; the whole text when it has no "@". Stored with each recipient row for the results
    /// per domain; its SQL twin is SqlDialect::addressDomain.

    static std::string erasedForm(const std::string& address);
    /// What is kept of an erased person's address (X2): the SHA-256 of its identity, 64 lower-case
    /// hex digits, so that the address is known again (and not mailed) but not read. Its SQL twin
    /// is SHA2(identity, 256): MariaDB's own function, and the one Suppressions::prepare gives a
    /// SQLite connection.

    static bool isValid(const std::string& address);
    /// A dot-atom local part of at most 64 characters, "@", a domain of at least two labels
    /// (letters, digits, hyphens, at most 63 each) of at most 255 characters; at most 254 in all.

    static const char* const ERASED_DOMAIN;
    /// "erased.invalid" (RFC 2606: never a real domain): an erased person's rows get the address
    /// "erased-N@erased.invalid" (N the row's id), which Suppressions::reasons calls erased, so
    /// that nothing is ever sent to it.

    static const char* const BLANKS;
    /// What trimming removes from both ends: space, tab, line feed, vertical tab, form feed,
    /// carriage return (and nothing else, in C++ and SQL alike).
};
} // namespace MassMailing

#endif
