#include "DnsLookup.h"
#include <Poco/NumberParser.h>
#include <algorithm>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <utility>

namespace MassMailing
{
POCO_IMPLEMENT_EXCEPTION(DnsException, Poco::IOException, "DNS lookup failed")

namespace
{
bool splitResolver(const std::string& resolver, std::string& address, unsigned short& port)
{
    address = resolver;
    port = 53;
    const auto colon = resolver.rfind(':');
    if (colon != std::string::npos)
    {
        unsigned value = 0;
        if (!Poco::NumberParser::tryParseUnsigned(resolver.substr(colon + 1), value) || value == 0 ||
            value > 65535)
            return false;
        address = resolver.substr(0, colon);
        port = static_cast<unsigned short>(value);
    }
    in_addr parsed{};
    return inet_pton(AF_INET, address.c_str(), &parsed) == 1;
}
} // namespace

void DnsLookup::checkResolver(const std::string& resolver)
{
    std::string address;
    unsigned short port = 0;
    if (!resolver.empty() && !splitResolver(resolver, address, port))
        throw Poco::InvalidArgumentException("it must be an IPv4 address with an optional port "
                                             "(127.0.0.1:5353), or empty for the system's resolver");
}

DnsLookup::DnsLookup(const std::string& resolver)
{
    checkResolver(resolver);
    if (!resolver.empty())
        splitResolver(resolver, _address, _port);
}

std::vector<std::string> DnsLookup::txt(const std::string& name) const
{
    return query(name, ns_t_txt);
}

std::vector<std::string> DnsLookup::mx(const std::string& name) const
{
    return query(name, ns_t_mx);
}

std::vector<std::string> DnsLookup::query(const std::string& name, int type) const
{
    struct __res_state state;
    std::memset(&state, 0, sizeof state);
    if (res_ninit(&state) != 0)
        throw DnsException("the resolver cannot be initialised");
    if (!_address.empty())
    {
        state.nscount = 1;
        state.nsaddr_list[0].sin_family = AF_INET;
        state.nsaddr_list[0].sin_port = htons(_port);
        inet_pton(AF_INET, _address.c_str(), &state.nsaddr_list[0].sin_addr);
    }
    state.retrans = 2;
    state.retry = 2;
    std::vector<unsigned char> answer(65536);
    const int size = res_nquery(&state, name.c_str(), ns_c_in, type, answer.data(), int(answer.size()));
    const int error = state.res_h_errno;
    res_nclose(&state);
    if (size < 0)
    {
        if (error == HOST_NOT_FOUND || error == NO_DATA)
            return {};
        throw DnsException("no answer for " + name + " from " +
                           (_address.empty() ? std::string("the system's resolver")
                                             : _address + ":" + std::to_string(_port)));
    }
    return parseAnswer(answer.data(), std::size_t(size), type);
}

std::vector<std::string> DnsLookup::parseAnswer(const unsigned char* message, std::size_t size, int type)
{
    ns_msg handle;
    if (ns_initparse(message, int(size), &handle) != 0)
        throw DnsException("the answer is not a DNS message");
    std::vector<std::pair<unsigned, std::string>> found;
    const int count = ns_msg_count(handle, ns_s_an);
    for (int i = 0; i < count; ++i)
    {
        ns_rr record;
        if (ns_parserr(&handle, ns_s_an, i, &record) != 0)
            throw DnsException("a record of the answer is damaged");
        if (ns_rr_type(record) != type || ns_rr_class(record) != ns_c_in)
            continue; // a CNAME on the way, or another type
        const unsigned char* data = ns_rr_rdata(record);
        const std::size_t length = ns_rr_rdlen(record);
        if (type == ns_t_txt)
        {
            // One or more <length><bytes> strings.
            std::string text;
            for (std::size_t at = 0; at < length;)
            {
                const std::size_t part = data[at];
                if (at + 1 + part > length)
                    throw DnsException("a TXT record of the answer is cut");
                text.append(reinterpret_cast<const char*>(data + at + 1), part);
                at += 1 + part;
            }
            found.emplace_back(0, text);
        }
        else if (type == ns_t_mx)
        {
            if (length < 3)
                throw DnsException("an MX record of the answer is cut");
            char host[NS_MAXDNAME];
            if (ns_name_uncompress(ns_msg_base(handle), ns_msg_end(handle), data + 2, host, sizeof host) < 0)
                throw DnsException("an MX record of the answer names no host");
            std::string name = host;
            if (!name.empty() && name.back() == '.')
                name.pop_back();
            found.emplace_back(unsigned(data[0]) << 8 | data[1], name);
        }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> values;
    for (auto& [preference, value] : found)
        values.push_back(std::move(value));
    return values;
}
} // namespace MassMailing
