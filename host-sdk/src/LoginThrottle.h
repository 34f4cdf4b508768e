#ifndef CrmHost_LoginThrottle_INCLUDED
#define CrmHost_LoginThrottle_INCLUDED

#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace CrmHost
{
/// Failed logins, counted per login and per client address over a sliding window: after
/// too many, the next attempts are refused without looking at the password until the oldest
/// failure leaves the window. A success clears the login's count, never the address's.
///
/// Kept in memory, not in the database: a refused attempt costs no query, so a flood of
/// guesses can neither fill nor slow the shared database, and the window is short enough
/// that forgetting it at a restart gives little away. With several host nodes each counts
/// its own (the limit is per node). The memory is bounded: at most the limit's number of
/// times per key, and at most MAX_KEYS keys.
class LoginThrottle
{
public:
    static constexpr int LOGIN_FAILURES = 5;    /// Per login, in the window.
    static constexpr int ADDRESS_FAILURES = 20; /// Per client address (several users may share one).
    static constexpr std::size_t MAX_KEYS = 100000;

    explicit LoginThrottle(int loginFailures = LOGIN_FAILURES, int addressFailures = ADDRESS_FAILURES,
                           Poco::Timespan window = Poco::Timespan(0, 0, 15, 0, 0));

    Poco::Timespan wait(const std::string& login, const std::string& address,
                        const Poco::Timestamp& now = Poco::Timestamp()) const;
    /// How long until this login from this address may be tried again; 0 when it may now.
    void failed(const std::string& login, const std::string& address,
                const Poco::Timestamp& now = Poco::Timestamp());
    void succeeded(const std::string& login);

private:
    using Failures = std::map<std::string, std::deque<Poco::Timestamp>>;

    static std::string loginKey(const std::string& login);
    Poco::Timespan waitFor(const Failures& failures, const std::string& key, int limit,
                           const Poco::Timestamp& now) const;
    void record(Failures& failures, const std::string& key, int limit, const Poco::Timestamp& now);

    int _loginFailures;
    int _addressFailures;
    Poco::Timespan _window;
    mutable std::mutex _mutex;
    Failures _byLogin;
    Failures _byAddress;
};
} // namespace CrmHost

#endif
