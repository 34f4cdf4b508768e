#include "audience/AudienceLoads.h"
#include <chrono>

namespace MassMailing
{
struct AudienceLoads::Load
{
    State state;
    std::exception_ptr error;
    std::thread thread;
};

LoadRunningException::LoadRunningException(long campaignId, long rows)
    : Poco::Exception("a load of the audience of campaign " + std::to_string(campaignId) + " is under way (" +
                          std::to_string(rows) +
                          " rows loaded so far): wait for it to finish, then change the audience",
                      409),
      _rows(rows)
{
}

AudienceLoads::AudienceLoads(Audience& audience)
    : AudienceLoads(
          [&audience](const AudienceOwner& owner, long monthlyLimit, const Audience::Progress& progress)
          { return audience.resolve(owner, monthlyLimit, progress); })
{
}

AudienceLoads::AudienceLoads(Resolve resolve) : _resolve(std::move(resolve)) {}

AudienceLoads::~AudienceLoads()
{
    std::map<long, std::shared_ptr<Load>> loads;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        loads = _loads;
    }
    for (auto& [campaign, load] : loads)
        if (load->thread.joinable())
            load->thread.join();
}

AudienceLoads::State AudienceLoads::start(const AudienceOwner& owner, long monthlyLimit,
                                          long waitMilliseconds)
{
    auto load = std::make_shared<Load>();
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _loads.find(owner.campaignId);
        if (it != _loads.end() && it->second->state.running())
            throw LoadRunningException(owner.campaignId, it->second->state.rows);
        if (it != _loads.end() && it->second->thread.joinable())
            it->second->thread.join(); // ended: its thread returns at once
        load->state.state = "running";
        load->state.step = "exclusions";
        _loads[owner.campaignId] = load;
    }
    load->thread = std::thread(
        [this, load, owner, monthlyLimit]
        {
            try
            {
                AudienceSummary summary = _resolve(owner, monthlyLimit,
                                                   [this, load](const Audience::Step& step)
                                                   {
                                                       std::lock_guard<std::mutex> lock(_mutex);
                                                       load->state.step = step.name;
                                                       load->state.rows = step.rows;
                                                       load->state.done = step.done;
                                                       load->state.total = step.total;
                                                       _changed.notify_all();
                                                   });
                std::lock_guard<std::mutex> lock(_mutex);
                load->state.summary = summary;
                load->state.state = "done";
                load->state.done = load->state.total;
                load->state.rows = summary.loaded;
            }
            catch (const Poco::Exception& error)
            {
                std::lock_guard<std::mutex> lock(_mutex);
                load->error = std::current_exception();
                load->state.state = "failed";
                load->state.error = error.displayText();
            }
            catch (const std::exception& error)
            {
                std::lock_guard<std::mutex> lock(_mutex);
                load->error = std::current_exception();
                load->state.state = "failed";
                load->state.error = error.what();
            }
            _changed.notify_all();
        });
    State state = wait(owner.campaignId, waitMilliseconds);
    if (state.state == "failed")
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (load->error)
            std::rethrow_exception(load->error);
    }
    return state;
}

AudienceLoads::State AudienceLoads::wait(long campaignId, long waitMilliseconds) const
{
    std::unique_lock<std::mutex> lock(_mutex);
    auto it = _loads.find(campaignId);
    if (it == _loads.end())
        return State{"", "", 0, 0, 1, "", {}};
    std::shared_ptr<Load> load = it->second;
    auto ended = [&] { return !load->state.running(); };
    if (waitMilliseconds < 0)
        _changed.wait(lock, ended);
    else
        _changed.wait_for(lock, std::chrono::milliseconds(waitMilliseconds), ended);
    return load->state;
}

std::optional<AudienceLoads::State> AudienceLoads::state(long campaignId) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _loads.find(campaignId);
    if (it == _loads.end())
        return std::nullopt;
    return it->second->state;
}

bool AudienceLoads::running(long campaignId) const
{
    auto found = state(campaignId);
    return found && found->running();
}

void AudienceLoads::refuseWhileRunning(long campaignId) const
{
    auto found = state(campaignId);
    if (found && found->running())
        throw LoadRunningException(campaignId, found->rows);
}
} // namespace MassMailing
