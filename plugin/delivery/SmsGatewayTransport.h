#ifndef MassMailing_SmsGatewayTransport_INCLUDED
#define MassMailing_SmsGatewayTransport_INCLUDED

#include "delivery/SmsSettings.h"
#include "delivery/Transport.h"
#include <Poco/Net/HTTPClientSession.h>
#include <map>
#include <memory>

namespace MassMailing
{
/// SMS through a generic HTTP gateway (issue 15, M2): one POST per SMS to the configured URL,
/// its body the configured template with {{to}} (E.164), {{text}}, {{from}} and {{id}} (the
/// row's reference, for the delivery reports) each escaped for the body's content type (JSON
/// string, form URL-encoding, else as is), with the configured authentication; the message's
/// id read from a 2xx answer (a JSON pointer or a regular expression). The connection is kept
/// for the next SMS (one transport per worker).
///
/// Answers, as the dispatcher's TransportException understands them: 2xx accepted; 401 and
/// 403 refuse us (stage Authentication, permanent: the campaign pauses); 408, 429 and 5xx are
/// temporary (429 asks to slow down); any other status refuses this SMS for good. No
/// connection: stage Connect, temporary. A request written whose answer never came (a
/// timeout, a reset): in doubt, the gateway may have taken it.
class SmsGatewayTransport : public Transport
{
public:
    explicit SmsGatewayTransport(SmsSettings settings);
    ~SmsGatewayTransport() override;

    void send(const Envelope& envelope, const std::string& text) override;
    std::string messageId() const override;

    static std::string fill(const std::string& body, const std::string& contentType,
                            const std::map<std::string, std::string>& values);
    /// The body template with each {{name}} of values replaced, escaped for contentType.

    static std::string idFrom(const std::string& where, const std::string& answer);
    /// The id the answer gives (SmsSettings::messageId); "" when it gives none.

private:
    SmsSettings _settings;
    std::unique_ptr<Poco::Net::HTTPClientSession> _session;
    std::string _path;
    std::string _last;
};
} // namespace MassMailing

#endif
