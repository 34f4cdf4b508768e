#include "Transport.h"

namespace MassMailing
{
Transport::~Transport() = default;
} // namespace MassMailing
