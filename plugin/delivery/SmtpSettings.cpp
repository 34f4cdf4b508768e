#include "SmtpSettings.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace MassMailing
{
namespace
{
const std::string PREFIX = "massmailing.smtp.";

std::string value(const SmtpSettings::Getter& get, const std::string& key)
{
    try
    {
        return Poco::trim(get(PREFIX + key));
    }
    catch (const Poco::NotFoundException&)
    {
        return {};
    }
}

void refuseControlCharacters(const std::string& text, const std::string& key)
{
    for (const char c : text)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < ' ' || byte == 0x7f)
            throw Poco::InvalidArgumentException(PREFIX + key + " holds a control character");
    }
}
} // namespace

SmtpSettings SmtpSettings::parse(const Getter& get)
{
    SmtpSettings settings;

    settings.host = value(get, "host");
    if (settings.host.empty())
        throw Poco::InvalidArgumentException(PREFIX + "host is required");
    refuseControlCharacters(settings.host, "host");
    if (settings.host.find(' ') != std::string::npos)
        throw Poco::InvalidArgumentException(PREFIX + "host \"" + settings.host + "\" holds a space");

    const std::string tls = Poco::toLower(value(get, "tls"));
    if (tls == "none")
        settings.tls = TlsMode::None;
    else if (tls == "starttls" || tls.empty())
        settings.tls = TlsMode::StartTls;
    else if (tls == "tls")
        settings.tls = TlsMode::Tls;
    else
        throw Poco::InvalidArgumentException(PREFIX + "tls must be none, starttls or tls, not \"" + tls +
                                             "\"");

    const std::string port = value(get, "port");
    if (port.empty())
        settings.port = settings.tls == TlsMode::None ? 25 : settings.tls == TlsMode::StartTls ? 587 : 465;
    else
    {
        unsigned number = 0;
        if (!Poco::NumberParser::tryParseUnsigned(port, number) || number < 1 || number > 65535)
            throw Poco::InvalidArgumentException(PREFIX + "port must be a number from 1 to 65535, not \"" +
                                                 port + "\"");
        settings.port = static_cast<Poco::UInt16>(number);
    }

    settings.user = value(get, "user");
    settings.password = value(get, "password");
    refuseControlCharacters(settings.user, "user");
    refuseControlCharacters(settings.password, "password");
    if (!settings.user.empty() && settings.password.empty())
        throw Poco::InvalidArgumentException(PREFIX + "password is required when " + PREFIX + "user is set");
    if (settings.user.empty() && !settings.password.empty())
        throw Poco::InvalidArgumentException(PREFIX + "user is required when " + PREFIX + "password is set");

    const std::string verify = Poco::toLower(value(get, "verify"));
    if (verify.empty() || verify == "true" || verify == "yes" || verify == "1")
        settings.verifyCertificate = true;
    else if (verify == "false" || verify == "no" || verify == "0")
        settings.verifyCertificate = false;
    else
        throw Poco::InvalidArgumentException(PREFIX + "verify must be true or false, not \"" + verify + "\"");

    return settings;
}

void SmtpSettings::check(const std::string& key, const std::string& value)
{
    if (key == "user" || key == "password")
        refuseControlCharacters(value, key);
    else
        parse([&](const std::string& asked)
              { return asked == PREFIX + key      ? value
                       : asked == PREFIX + "host" ? "localhost"
                                                  : ""; });
}

const char* SmtpSettings::tlsModeName(TlsMode mode)
{
    switch (mode)
    {
    case TlsMode::None:
        return "none";
    case TlsMode::StartTls:
        return "starttls";
    case TlsMode::Tls:
        return "tls";
    }
    return "unknown";
}
} // namespace MassMailing
