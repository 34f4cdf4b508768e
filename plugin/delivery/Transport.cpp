#include "Transport.h"

namespace MassMailing
{
Transport::~Transport() = default;

void Transport::prepare(const Envelope&, const std::string&) {}

void Transport::abandon() {}

std::string Transport::messageId() const
{
    return {};
}
} // namespace MassMailing
