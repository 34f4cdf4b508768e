#include "push/PushMessage.h"
#include "push/PushEncryption.h"
#include <Poco/JSON/Object.h>
#include <sstream>

namespace MassMailing
{
namespace
{
std::string json(const std::string& title, const std::string& body, const std::string& url)
{
    Poco::JSON::Object object;
    object.set("title", title);
    object.set("body", body);
    object.set("url", url);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// The text cut to at most size bytes, not inside a UTF-8 sequence.
std::string cut(const std::string& text, std::size_t size)
{
    while (size > 0 && size < text.size() && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
        --size;
    return text.substr(0, size);
}
} // namespace

std::string PushMessage::payload() const
{
    std::string whole = json(title, body, url);
    if (whole.size() <= PushEncryption::MAX_PLAINTEXT)
        return whole;
    if (json(title, "…", url).size() > PushEncryption::MAX_PLAINTEXT)
        throw Poco::InvalidArgumentException("a push notification's title and link are too long");
    // JSON escapes may grow the text: halve what is cut until it fits.
    std::size_t low = 0, high = body.size();
    while (low < high)
    {
        std::size_t middle = (low + high + 1) / 2;
        if (json(title, cut(body, middle) + "…", url).size() <= PushEncryption::MAX_PLAINTEXT)
            low = middle;
        else
            high = middle - 1;
    }
    return json(title, cut(body, low) + "…", url);
}
} // namespace MassMailing
