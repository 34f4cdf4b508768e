#ifndef CrmHost_Scheduler_INCLUDED
#define CrmHost_Scheduler_INCLUDED

#include "Extensions.h"
#include <Poco/Timestamp.h>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace CrmHost
{
/// Fires the registered tasks on their interval or cron schedule. A task never runs twice
/// at once in one host; a task that throws is logged and fired again at its next time.
class Scheduler
{
public:
    explicit Scheduler(Extensions& extensions);
    ~Scheduler();

    void start();
    void stop();
    /// Waits for the running tasks to return.

    std::vector<std::string> due(const Poco::Timestamp& now);
    /// The tasks to fire at this time, and remembers that they fired (exposed for tests).

    void wake(const std::string& name);
    /// Fires the task at the scheduler's next tick, whatever its schedule says (the inbound
    /// listener wakes host.inbound after each stored message). A running task is not fired twice.

    bool runNow(const std::string& name);
    /// Runs a task once in this thread; returns true when it has due work left.
    /// Throws Poco::NotFoundException listing the known tasks.

private:
    void loop();
    void fire(const std::string& name);

    Extensions& _extensions;
    std::map<std::string, Poco::Timestamp> _lastFired;
    Poco::Timestamp _lastMinute = 0;
    std::set<std::string> _running;
    std::set<std::string> _woken;
    std::map<std::string, std::thread> _workers;
    std::mutex _mutex;
    std::condition_variable _wake;
    std::atomic<bool> _stopping{false};
    std::thread _thread;
};
} // namespace CrmHost

#endif
