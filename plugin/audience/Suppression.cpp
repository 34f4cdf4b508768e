#include "audience/Suppression.h"
#include <Poco/Exception.h>

namespace MassMailing
{
std::string Suppression::methodName(UnsubscribeMethod method)
{
    switch (method)
    {
    case UnsubscribeMethod::Link:
        return "link";
    case UnsubscribeMethod::OneClick:
        return "one-click";
    case UnsubscribeMethod::Admin:
        return "admin";
    case UnsubscribeMethod::SmsStop:
        return "sms-stop";
    }
    return "link";
}

UnsubscribeMethod Suppression::parseMethod(const std::string& name)
{
    for (auto method : {UnsubscribeMethod::Link, UnsubscribeMethod::OneClick, UnsubscribeMethod::Admin,
                        UnsubscribeMethod::SmsStop})
        if (methodName(method) == name)
            return method;
    throw Poco::DataFormatException("unknown unsubscribe method \"" + name + "\"");
}
} // namespace MassMailing
