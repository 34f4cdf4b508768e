#include "ContentException.h"
#include <cmath>
#include <cstdio>
#include <typeinfo>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(HeaderInjectionException, Poco::InvalidArgumentException, "Header injection")
POCO_IMPLEMENT_EXCEPTION(InvalidAddressException, Poco::InvalidArgumentException, "Invalid address")
POCO_IMPLEMENT_EXCEPTION(DkimKeyException, Poco::DataFormatException, "Unusable DKIM key")

MessageTooLargeException::MessageTooLargeException(std::size_t size, std::size_t limit)
    : Poco::RangeException("the message is " + megabytes(size) + " MB; the limit is " + megabytes(limit) +
                           " MB"),
      _size(size), _limit(limit)
{
}

std::string MessageTooLargeException::megabytes(std::size_t bytes)
{
    const double tenths = std::ceil(double(bytes) * 10.0 / 1048576.0);
    char text[32];
    if (std::fmod(tenths, 10.0) == 0.0)
        std::snprintf(text, sizeof text, "%.0f", tenths / 10.0);
    else
        std::snprintf(text, sizeof text, "%.1f", tenths / 10.0);
    return text;
}

const char* MessageTooLargeException::name() const noexcept
{
    return "Message too large";
}

const char* MessageTooLargeException::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* MessageTooLargeException::clone() const
{
    return new MessageTooLargeException(*this);
}

void MessageTooLargeException::rethrow() const
{
    throw *this;
}
} // namespace MassMailing
