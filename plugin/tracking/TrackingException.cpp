#include "TrackingException.h"
#include <typeinfo>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(InvalidTokenException, Poco::DataFormatException, "Invalid link token")
POCO_IMPLEMENT_EXCEPTION(SigningKeyException, Poco::RuntimeException, "Unusable signing key")
} // namespace MassMailing
