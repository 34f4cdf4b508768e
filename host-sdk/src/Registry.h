#ifndef CrmHost_Registry_INCLUDED
#define CrmHost_Registry_INCLUDED

#include "CrmHost/Exceptions.h"
#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace CrmHost
{
/// An extension point: entries by unique id, each owned by the module that added it
/// (after Envoy's registry). Read by the HTTP threads and the scheduler while modules
/// start and stop, hence the lock; entries are returned by copy.
template <class Entry> class Registry
{
public:
    explicit Registry(std::string what) : _what(std::move(what)) {}

    void add(const std::string& owner, const std::string& id, Entry entry)
    /// Throws DuplicateRegistrationException, naming the module that holds the id.
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _entries.find(id);
        if (it != _entries.end())
            throw DuplicateRegistrationException(_what + " \"" + id + "\" of module " + owner +
                                                 " is already registered by module " + it->second.owner);
        _entries.emplace(id, Owned{owner, std::move(entry), ++_added});
    }

    void removeOwnedBy(const std::string& owner)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _entries.begin(); it != _entries.end();)
            it = it->second.owner == owner ? _entries.erase(it) : std::next(it);
    }

    bool find(const std::string& id, Entry& entry, std::string* owner = nullptr) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _entries.find(id);
        if (it == _entries.end())
            return false;
        entry = it->second.entry;
        if (owner)
            *owner = it->second.owner;
        return true;
    }

    struct Owned
    {
        std::string owner;
        Entry entry;
        std::size_t sequence = 0; /// 1 for the first entry added, and so on.
    };

    std::vector<std::pair<std::string, Owned>> all() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return {_entries.begin(), _entries.end()};
    }

    std::vector<std::pair<std::string, Owned>> inOrder() const
    /// The entries in the order they were added (the inbound mail handlers are offered a
    /// message so).
    {
        auto entries = all();
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.second.sequence < b.second.sequence; });
        return entries;
    }

private:
    std::string _what;
    mutable std::mutex _mutex;
    std::map<std::string, Owned> _entries;
    std::size_t _added = 0;
};
} // namespace CrmHost

#endif
