#ifndef MassMailing_Base64_INCLUDED
#define MassMailing_Base64_INCLUDED

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/StreamCopier.h>
#include <sstream>
#include <string>

namespace MassMailing
{
/// Bytes as base64 on one line, for every stage (AUTH, data: URIs, sealed secrets).
inline std::string base64(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// The bytes of base64 text; throws Poco::DataFormatException when it is not base64.
inline std::string unbase64(const std::string& text)
{
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    Poco::StreamCopier::copyToString(decoder, bytes);
    return bytes;
}

/// Bytes as unpadded base64url (RFC 4648 section 5): Web Push keys, JWT parts.
inline std::string base64url(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// The bytes of base64url text, padded or not; throws Poco::DataFormatException when it is not
/// base64url.
inline std::string unbase64url(const std::string& text)
{
    std::string padded = text;
    if (padded.size() % 4 == 1)
        throw Poco::DataFormatException("base64url text of an impossible length");
    padded.append((4 - padded.size() % 4) % 4, '=');
    std::istringstream in(padded);
    Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING);
    std::string bytes;
    Poco::StreamCopier::copyToString(decoder, bytes);
    return bytes;
}
} // namespace MassMailing

#endif
