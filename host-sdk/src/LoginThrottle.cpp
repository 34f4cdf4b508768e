#include "LoginThrottle.h"
#include <Poco/String.h>

namespace CrmHost
{
LoginThrottle::LoginThrottle(int loginFailures, int addressFailures, Poco::Timespan window)
    : _loginFailures(loginFailures), _addressFailures(addressFailures), _window(window)
{
}

// "Admin " and "admin" are one login to guess at (MySQL compares them as equal).
std::string LoginThrottle::loginKey(const std::string& login)
{
    return Poco::toLower(Poco::trim(login)).substr(0, 200);
}

Poco::Timespan LoginThrottle::waitFor(const Failures& failures, const std::string& key, int limit,
                                      const Poco::Timestamp& now) const
{
    auto it = failures.find(key);
    if (it == failures.end() || int(it->second.size()) < limit)
        return 0;
    // The oldest of the last `limit` failures: once it leaves the window, one more try.
    Poco::Timestamp free = it->second.front() + _window.totalMicroseconds();
    return free > now ? Poco::Timespan(free - now) : Poco::Timespan(0);
}

Poco::Timespan LoginThrottle::wait(const std::string& login, const std::string& address,
                                   const Poco::Timestamp& now) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return std::max(waitFor(_byLogin, loginKey(login), _loginFailures, now),
                    waitFor(_byAddress, address, _addressFailures, now));
}

void LoginThrottle::record(Failures& failures, const std::string& key, int limit, const Poco::Timestamp& now)
{
    if (failures.size() >= MAX_KEYS && !failures.count(key))
    {
        for (auto it = failures.begin(); it != failures.end();)
            it = it->second.back() + _window.totalMicroseconds() <= now ? failures.erase(it) : std::next(it);
        if (failures.size() >= MAX_KEYS)
            failures.erase(failures.begin());
    }
    auto& times = failures[key];
    times.push_back(now);
    while (int(times.size()) > limit)
        times.pop_front();
}

void LoginThrottle::failed(const std::string& login, const std::string& address, const Poco::Timestamp& now)
{
    std::lock_guard<std::mutex> lock(_mutex);
    record(_byLogin, loginKey(login), _loginFailures, now);
    record(_byAddress, address, _addressFailures, now);
}

void LoginThrottle::succeeded(const std::string& login)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _byLogin.erase(loginKey(login));
}
} // namespace CrmHost
