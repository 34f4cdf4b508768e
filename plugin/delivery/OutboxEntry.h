#ifndef MassMailing_OutboxEntry_INCLUDED
#define MassMailing_OutboxEntry_INCLUDED

#include <Poco/Timestamp.h>
#include <cstddef>
#include <string>

namespace MassMailing
{
/// One message of the outbox, as the outbox screen lists it.
struct OutboxEntry
{
    std::string name; /// The file name, for OutboxTransport::read(): "20261123-081530-123456-4242-000001.eml"
    Poco::Timestamp time; /// When it was written (from the name; the file's time for a foreign name)
    std::string from;     /// The From header, RFC 2047 decoded: "Hélène Dupont <helene@amap.example>"
    std::string to;       /// The envelope recipients joined by ", " (the To header when there is no envelope)
    std::string subject;  /// RFC 2047 decoded
    std::size_t size = 0; /// Bytes of the file
};
} // namespace MassMailing

#endif
