#ifndef MassMailing_DnsLookup_INCLUDED
#define MassMailing_DnsLookup_INCLUDED

#include <Poco/Exception.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// A DNS query that got no answer (timeout, SERVFAIL, a resolver that cannot be reached): the
/// record may exist, so nothing can be said of it.
POCO_DECLARE_EXCEPTION(, DnsException, Poco::IOException)

/// TXT and MX lookups for the checks of a sending domain (C1, D10), through libresolv's
/// res_nquery: Poco resolves addresses only. The resolver is the system's (/etc/resolv.conf),
/// or the one the setting massmailing.dns.resolver names ("127.0.0.1:5353"), so that tests ask
/// a DNS server they started and never the internet.
class DnsLookup
{
public:
    explicit DnsLookup(const std::string& resolver = "");
    /// resolver: "" for the system's, else "IPv4" or "IPv4:port". Throws
    /// Poco::InvalidArgumentException for anything else.

    std::vector<std::string> txt(const std::string& name) const;
    /// The TXT records of name, each its strings joined (a DKIM key is split in strings of at
    /// most 255 bytes). Empty when the name or the record does not exist. Throws DnsException
    /// when there was no answer.

    std::vector<std::string> mx(const std::string& name) const;
    /// The mail exchangers of name, without the final dot, lowest preference first. Throws as txt().

    static std::vector<std::string> parseAnswer(const unsigned char* message, std::size_t size, int type);
    /// The records of that type (16 TXT, 15 MX) in a DNS answer's answer section, as txt() and
    /// mx() return them. Throws DnsException for a message that is not a well-formed answer.

    static void checkResolver(const std::string& resolver);
    /// The rule of the constructor's argument, for the setting. Throws as the constructor.

private:
    std::vector<std::string> query(const std::string& name, int type) const;

    std::string _address;
    unsigned short _port = 53;
};
} // namespace MassMailing

#endif
