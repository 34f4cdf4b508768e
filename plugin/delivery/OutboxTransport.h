#ifndef MassMailing_OutboxTransport_INCLUDED
#define MassMailing_OutboxTransport_INCLUDED

#include "delivery/OutboxEntry.h"
#include "delivery/Transport.h"
#include <string>
#include <vector>

namespace MassMailing
{
/// The embedded default transport: every message becomes one file of a folder, for a
/// developer or a small installation to read on the outbox screen instead of sending.
///
/// Each file is the message as a mailbox would store it: two lines of envelope are
/// prepended, "Return-Path: <from>" and "X-Outbox-Envelope-To: a@x, b@y" (folded after
/// each comma when there are several), then the message's bytes unchanged. Files are
/// named "YYYYMMDD-HHMMSS-uuuuuu-PID-COUNTER.eml" (UTC, microseconds, process id, a
/// counter of the process), so that names sort by time and never collide across threads
/// and processes; each is written under a hidden temporary name and renamed into place,
/// so a reader never sees half a message. Files are not fsync'ed: a crash of the machine
/// (not of the process) may lose the last ones.
///
/// send() may be called from several threads at once.
class OutboxTransport : public Transport
{
public:
    explicit OutboxTransport(const std::string& dir);
    /// Creates the folder (and its parents) when missing. Throws Poco::FileException (or a
    /// subclass) when it cannot.

    void send(const Envelope& envelope, const std::string& message) override;
    /// Writes the message's file. Throws Poco::InvalidArgumentException for an envelope
    /// Envelope::check() refuses, and a temporary TransportException (reply code 0, stage
    /// Data, the system's error as server text) when the file cannot be written.

    std::vector<OutboxEntry> entries(std::size_t limit) const;
    /// The newest limit messages, newest first. Reads only the head of each file. Files
    /// that vanish while listing are left out. Throws Poco::FileException when the folder
    /// cannot be read.

    std::string read(const std::string& name) const;
    /// The bytes of the message file of that name, envelope lines included. Throws
    /// Poco::InvalidArgumentException ("name ...") when name is not the plain name of a
    /// message file ("/", "\", a leading ".", control characters, not ending in ".eml"),
    /// and Poco::FileNotFoundException when there is no such message.

    const std::string& dir() const { return _dir; }

    static bool isMessageName(const std::string& name);
    /// True when name could be the name of a message file of the folder (see read()).

    static std::string envelopeHeaders(const Envelope& envelope);
    /// The lines prepended to the message: "Return-Path: <...>\r\nX-Outbox-Envelope-To: ...\r\n".

private:
    std::string newName() const;
    std::string path(const std::string& name) const;

    std::string _dir;
};
} // namespace MassMailing

#endif
