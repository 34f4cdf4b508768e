#ifndef CrmHost_Mailbox_INCLUDED
#define CrmHost_Mailbox_INCLUDED

#include "CrmHost/Database.h"
#include "CrmHost/InboundMail.h"
#include "Registry.h"
#include <Poco/Util/AbstractConfiguration.h>
#include <optional>
#include <string>
#include <vector>

namespace CrmHost
{
/// A received message as the mailbox lists it (its raw text apart).
struct StoredMail
{
    long id = 0;
    std::string receivedAt; /// UTC, "YYYY-MM-DD HH:MM:SS".
    std::string envelopeSender;
    std::vector<std::string> recipients; /// The envelope's; empty when it gave none.
    long size = 0;                       /// Bytes of the raw message.
    std::string status;                  /// Mailbox::PENDING, UNDERSTOOD or NOT_UNDERSTOOD.
    std::string handler;                 /// The handler that understood it.
    std::string detail;                  /// What the handler made of it, or why nothing did.
    int attempts = 0;                    /// Rounds whose handler failed (threw), or that never ended.
    std::string processedAt;             /// UTC; empty while pending.
    bool rawKept = true;                 /// False once the retention period dropped it.
};

/// How long the mailbox tries and keeps: from the configuration keys mail.inbound.*.
struct MailboxPolicy
{
    int maxAttempts = 10;   /// Failed (or never ended) rounds before a message is given up as not understood.
    int retrySeconds = 30;  /// A message whose handler failed N times waits N times this.
    int retentionDays = 30; /// Understood mail keeps its raw text so long; not-understood mail forever.
    int claimSeconds = 600; /// A round holds a message so long (a host that died mid-round lets go).

    static MailboxPolicy from(const Poco::Util::AbstractConfiguration& config);
    /// Throws SettingException naming the key when a value is not a positive number.
};

/// The host's store of received mail, and the one that hands it to the inbound mail handlers
/// (CrmHost/InboundMail.h): every message is committed before anything reads it, offered to
/// the handlers whose pattern matches one of its recipients, in the order they were
/// registered, and kept: understood (with the handler and its detail), not understood
/// (listed for the administrator, never dropped), or pending (a handler failed: tried again).
class Mailbox
{
public:
    static constexpr const char* PENDING = "pending";
    static constexpr const char* UNDERSTOOD = "understood";
    static constexpr const char* NOT_UNDERSTOOD = "not_understood";

    Mailbox(Database& database, const Registry<InboundMailHandler>& handlers, MailboxPolicy policy = {});

    long store(const std::string& raw, const std::string& envelopeSender,
               const std::vector<std::string>& recipients);
    /// Commits the message as pending and returns its id. Throws the database's exception when
    /// it could not be stored (then nothing was).

    StoredMail processOne(long id);
    /// Offers that message to the handlers now, if it is pending and no other round holds it,
    /// and returns it as it is afterwards. Throws Poco::NotFoundException for an unknown id.

    struct Round
    {
        int offered = 0;   /// Messages offered to the handlers.
        bool more = false; /// True when more pending messages may be due.
    };
    Round process(std::size_t limit);
    /// Offers up to limit pending messages that are due, oldest first.

    std::size_t dropExpiredRaw();
    /// Drops the raw text of understood messages processed longer ago than the retention
    /// period; returns how many.

    std::vector<StoredMail> unresolved(std::size_t limit) const;
    /// The messages not understood and those still pending, newest first.
    std::optional<StoredMail> find(long id) const;
    std::optional<std::string> raw(long id) const;
    /// The message as received; none once dropped, or for an unknown id.

    static bool matches(const std::string& pattern, const std::string& address);
    /// Whether the address matches the pattern, "*" standing for any run of characters, letters
    /// compared without regard to case.
    static std::vector<std::string> headerRecipients(const std::string& raw);
    /// The recipients the headers name, for a message that came without an envelope: the first
    /// Delivered-To, else the first X-Original-To, else the addresses of To and Cc.
    static std::string headerSender(const std::string& raw);
    /// The address of the Return-Path header ("" for "<>" or none).

private:
    StoredMail offer(StoredMail mail);

    Database& _database;
    const Registry<InboundMailHandler>& _handlers;
    MailboxPolicy _policy;
};
} // namespace CrmHost

#endif
