#ifndef MassMailing_AudienceLoads_INCLUDED
#define MassMailing_AudienceLoads_INCLUDED

#include "audience/Audience.h"
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace MassMailing
{
/// The resolutions of audiences that run in the background (issue 18): a load of a big list
/// takes longer than a page may wait, so each runs in a thread the module owns, one at a time
/// per campaign, and tells where it is (the step, the rows loaded so far) until its summary is
/// there. The threads are joined when the module stops. What a node runs is known to that node
/// (the screens of a campaign are served by the node that loads it).
class AudienceLoads
{
public:
    /// Where a campaign's last load stands.
    struct State
    {
        std::string state; /// running, done, failed
        std::string step;  /// Audience::Progress's step while it runs
        long rows = 0;     /// Rows loaded so far
        int done = 0;      /// Steps done of total, for a progress bar
        int total = 1;
        std::string error;       /// Why it failed
        AudienceSummary summary; /// When done
        bool running() const { return state == "running"; }
    };

    using Resolve = std::function<AudienceSummary(const AudienceOwner& owner, long monthlyLimit,
                                                  const Audience::Progress& progress)>;
    /// What a load runs: Audience::resolve.

    explicit AudienceLoads(Audience& audience);
    explicit AudienceLoads(Resolve resolve);
    ~AudienceLoads();
    /// Waits for the loads that run.

    AudienceLoads(const AudienceLoads&) = delete;
    AudienceLoads& operator=(const AudienceLoads&) = delete;

    State start(const AudienceOwner& owner, long monthlyLimit, long waitMilliseconds);
    /// Resolves the campaign's audience in the background and waits for it at most
    /// waitMilliseconds: the state then (done with its summary, or running). Throws
    /// LoadRunningException when a load of the campaign runs already; and, when it ends within
    /// the wait, what the resolution threw.

    State wait(long campaignId, long waitMilliseconds) const;
    /// The campaign's load once it ends, or as it stands after waitMilliseconds (-1: no limit).

    std::optional<State> state(long campaignId) const;
    /// The campaign's last load since the module started; none when there was none.

    bool running(long campaignId) const;

    void refuseWhileRunning(long campaignId) const;
    /// Throws LoadRunningException when a load of the campaign runs: a change to its audience
    /// must wait for it.

    static const long WAIT_MILLISECONDS = 1000;
    /// What a page or a JSON answer waits for a load before it answers "running".

private:
    struct Load;
    void finish(const std::shared_ptr<Load>& load);

    Resolve _resolve;
    mutable std::mutex _mutex;
    mutable std::condition_variable _changed;
    std::map<long, std::shared_ptr<Load>> _loads; /// by campaign
};

/// A load of the campaign's audience runs already (HTTP 409).
class LoadRunningException : public Poco::Exception
{
public:
    LoadRunningException(long campaignId, long rows);
    const char* name() const noexcept override { return "load running"; }
    const char* className() const noexcept override { return typeid(*this).name(); }
    Poco::Exception* clone() const override { return new LoadRunningException(*this); }
    void rethrow() const override { throw *this; }
    long rows() const { return _rows; }

private:
    long _rows;
};
} // namespace MassMailing

#endif
