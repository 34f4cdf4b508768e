#ifndef MassMailing_SmsOutboxTransport_INCLUDED
#define MassMailing_SmsOutboxTransport_INCLUDED

#include "delivery/Transport.h"
#include <Poco/Timestamp.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// One SMS of the outbox, as the SMS outbox screen lists it.
struct SmsOutboxEntry
{
    std::string name; /// "20261204-210000-123456-4242-000001.json"
    Poco::Timestamp time;
    std::string to;       /// E.164
    std::string from;     /// The sender's name or number
    std::string text;     /// UTF-8
    std::string encoding; /// "gsm7" or "ucs2"
    std::size_t segments = 0;
    std::string reference; /// The row's ("mm-123")
};

/// The SMS transport of the embedded default (massmailing.sms.outbox.dir): every SMS becomes
/// one JSON file of a folder, {"to", "from", "text", "encoding", "segments", "characters",
/// "reference", "at"}, to read on the SMS outbox screen instead of sending. Named and written
/// as OutboxTransport's files (time-sorted names, a hidden temporary name renamed into place),
/// ending in ".json". send() may be called from several threads at once; messageId() is the
/// file's name.
class SmsOutboxTransport : public Transport
{
public:
    SmsOutboxTransport(const std::string& dir, const std::string& from);
    /// Creates the folder when missing. Throws Poco::FileException when it cannot.

    void send(const Envelope& envelope, const std::string& text) override;
    /// envelope: one E.164 recipient, from the row's reference; text: the SMS in UTF-8.
    /// Throws Poco::InvalidArgumentException for an envelope Envelope::check() refuses, and a
    /// temporary TransportException (stage Data) when the file cannot be written.

    std::string messageId() const override;

    std::vector<SmsOutboxEntry> entries(std::size_t limit) const;
    /// The newest limit messages, newest first; files that cannot be read are left out.
    /// Throws Poco::FileException when the folder cannot be read.

    static bool isMessageName(const std::string& name);

private:
    std::string _dir;
    std::string _from;
    std::string _last;
};
} // namespace MassMailing

#endif
