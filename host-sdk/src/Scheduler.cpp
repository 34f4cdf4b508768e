#include "Scheduler.h"
#include "CronExpression.h"
#include <Poco/DateTime.h>
#include <Poco/Logger.h>

namespace CrmHost
{
namespace
{
Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.scheduler");
}
} // namespace

Scheduler::Scheduler(Extensions& extensions) : _extensions(extensions) {}

Scheduler::~Scheduler()
{
    stop();
}

void Scheduler::start()
{
    _stopping = false;
    _thread = std::thread([this] { loop(); });
}

void Scheduler::stop()
{
    _stopping = true;
    _wake.notify_all();
    if (_thread.joinable())
        _thread.join();
    std::map<std::string, std::thread> workers;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        workers.swap(_workers);
    }
    for (auto& [name, worker] : workers)
        if (worker.joinable())
            worker.join();
}

std::vector<std::string> Scheduler::due(const Poco::Timestamp& now)
{
    std::vector<std::string> names;
    // Cron tasks fire once per minute that matches, seen at the first tick of that minute.
    Poco::Timestamp minute = now - now.epochMicroseconds() % (60 * Poco::Timestamp::resolution());
    bool newMinute = minute != _lastMinute;
    _lastMinute = minute;
    std::set<std::string> woken;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        woken.swap(_woken);
    }
    for (const auto& [name, owned] : _extensions.tasks.all())
    {
        const Schedule& schedule = owned.entry.schedule;
        bool fire = false;
        if (woken.count(name))
            fire = true;
        else if (!schedule.cron.empty())
            fire = newMinute && CronExpression(schedule.cron).matches(Poco::DateTime(minute));
        else
        {
            auto last = _lastFired.find(name);
            fire = last == _lastFired.end() ||
                   now - last->second >=
                       Poco::Timestamp::TimeDiff(schedule.intervalSeconds) * Poco::Timestamp::resolution();
        }
        if (fire)
        {
            _lastFired[name] = now;
            names.push_back(name);
        }
    }
    return names;
}

void Scheduler::wake(const std::string& name)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _woken.insert(name);
    }
    _wake.notify_all();
}

bool Scheduler::runNow(const std::string& name)
{
    ScheduledTask task;
    if (!_extensions.tasks.find(name, task))
    {
        std::string known;
        for (const auto& [id, owned] : _extensions.tasks.all())
            known += (known.empty() ? "" : ", ") + id;
        throw Poco::NotFoundException("no task named " + name +
                                      " (known tasks: " + (known.empty() ? "none" : known) + ")");
    }
    return task.run();
}

void Scheduler::loop()
{
    while (!_stopping)
    {
        for (const auto& name : due(Poco::Timestamp()))
            fire(name);
        std::unique_lock<std::mutex> lock(_mutex);
        _wake.wait_for(lock, std::chrono::seconds(1), [this] { return _stopping.load() || !_woken.empty(); });
    }
}

void Scheduler::fire(const std::string& name)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_running.count(name))
        return; // still busy with the previous round
    auto previous = _workers.find(name);
    if (previous != _workers.end())
    {
        previous->second.join(); // finished: it left _running
        _workers.erase(previous);
    }
    _running.insert(name);
    _workers[name] = std::thread(
        [this, name]
        {
            try
            {
                runNow(name);
            }
            catch (const Poco::Exception& error)
            {
                logger().error("Task %s failed: %s", name, error.displayText());
            }
            catch (const std::exception& error)
            {
                logger().error("Task %s failed: %s", name, std::string(error.what()));
            }
            std::lock_guard<std::mutex> lock(_mutex);
            _running.erase(name);
        });
}
} // namespace CrmHost
