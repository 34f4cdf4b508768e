#include "MailMessage.h"
#include <Poco/String.h>
#include <algorithm>

namespace MassMailing
{
void MailMessage::setHeader(const std::string& name, const std::string& value)
{
    for (auto& existing : headers)
    {
        if (Poco::icompare(existing.name, name) == 0)
        {
            existing.value = value;
            return;
        }
    }
    headers.push_back({name, value});
}

const std::string* MailMessage::header(const std::string& name) const
{
    for (const auto& existing : headers)
    {
        if (Poco::icompare(existing.name, name) == 0)
            return &existing.value;
    }
    return nullptr;
}

void MailMessage::removeHeader(const std::string& name)
{
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const Header& h) { return Poco::icompare(h.name, name) == 0; }),
                  headers.end());
}
} // namespace MassMailing
