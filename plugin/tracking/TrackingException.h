#ifndef MassMailing_TrackingException_INCLUDED
#define MassMailing_TrackingException_INCLUDED

#include <Poco/Exception.h>

namespace MassMailing
{
/// A link's token that this module did not sign as it stands: malformed, cut, altered,
/// signed with another key, or made for another purpose (a "view online" token offered to
/// the unsubscribe screen). The message says which, in English, for the log.
POCO_DECLARE_EXCEPTION(, InvalidTokenException, Poco::DataFormatException)

/// The key that signs links cannot be read or made: the file in the module's data folder
/// is damaged or cannot be written, or no random bytes are available.
POCO_DECLARE_EXCEPTION(, SigningKeyException, Poco::RuntimeException)
} // namespace MassMailing

#endif
