#ifndef MassMailing_ContentException_INCLUDED
#define MassMailing_ContentException_INCLUDED

#include "FieldException.h"
#include <Poco/Exception.h>
#include <cstddef>
#include <string>

namespace MassMailing
{
/// A header field (a name, the subject, an address, a header value, a file name) holds a
/// CR or LF, which would let whoever wrote it add headers or a body of their own. The
/// message names the field: "subject contains a line break".
POCO_DECLARE_EXCEPTION(, HeaderInjectionException, Poco::InvalidArgumentException)

/// An address that cannot be written into a header: no "@", spaces, non-ASCII characters.
POCO_DECLARE_EXCEPTION(, InvalidAddressException, Poco::InvalidArgumentException)

/// A DKIM private key that cannot be read, or is neither RSA nor Ed25519.
POCO_DECLARE_EXCEPTION(, DkimKeyException, Poco::DataFormatException)

/// The written message is larger than the limit (25 MB by default). The message says both
/// sizes in MB ("the message is 26.3 MB; the limit is 25 MB"); size() and limit() give the
/// bytes, for screens that say it in the user's language.
class MessageTooLargeException : public Poco::RangeException
{
public:
    MessageTooLargeException(std::size_t size, std::size_t limit);

    std::size_t size() const { return _size; }
    /// Bytes of the written message.

    std::size_t limit() const { return _limit; }
    /// Bytes allowed.

    static std::string megabytes(std::size_t bytes);
    /// "26.3" for 27,577,549 bytes (MB of 1,048,576 bytes, rounded up to one decimal so
    /// that a message just over the limit never reads as equal to it); "25" for exactly 25 MB.

    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    std::size_t _size;
    std::size_t _limit;
};
} // namespace MassMailing

#endif
