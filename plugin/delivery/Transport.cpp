#include "Transport.h"
#include "delivery/TransportException.h"

namespace MassMailing
{
Transport::~Transport() = default;

void Transport::prepare(const Envelope&, const std::string&) {}

void Transport::abandon() {}

std::string Transport::messageId() const
{
    return {};
}

std::size_t Transport::batchSize() const
{
    return 1;
}

std::vector<Transport::Answer> Transport::sendBatch(const std::vector<Parcel>& parcels)
{
    std::vector<Answer> answers;
    for (const Parcel& parcel : parcels)
    {
        try
        {
            send(parcel.envelope, parcel.message);
            answers.push_back({});
        }
        catch (const TransportException& error)
        {
            answers.push_back({std::make_shared<TransportException>(error)});
        }
    }
    return answers;
}

bool Transport::reconciles() const
{
    return false;
}

std::vector<bool> Transport::reconcile(const std::vector<long>&)
{
    throw Poco::NotImplementedException("this transport cannot say what became of a message");
}
} // namespace MassMailing
