#include "TransportException.h"
#include <typeinfo>

namespace MassMailing
{
TransportException::TransportException(const std::string& message, int replyCode,
                                       const std::string& serverText, Stage stage, bool inDoubt,
                                       std::vector<Rejection> rejections)
    : Poco::IOException(message, replyCode), _serverText(serverText), _stage(stage), _inDoubt(inDoubt),
      _rejections(std::move(rejections))
{
}

bool TransportException::temporary() const
{
    return code() < 500 || code() > 599;
}

const char* TransportException::stageName(Stage stage)
{
    switch (stage)
    {
    case Stage::Connect:
        return "connect";
    case Stage::Tls:
        return "tls";
    case Stage::Authentication:
        return "authentication";
    case Stage::Sender:
        return "sender";
    case Stage::Recipients:
        return "recipients";
    case Stage::Data:
        return "data";
    }
    return "unknown";
}

const char* TransportException::name() const noexcept
{
    return "Transport failure";
}

const char* TransportException::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* TransportException::clone() const
{
    return new TransportException(*this);
}

void TransportException::rethrow() const
{
    throw *this;
}
} // namespace MassMailing
